// What a credential says, as JSON-LD: a certificate as an Open Badges 3.0 OpenBadgeCredential (a W3C
// Verifiable Credential 2.0), and a status list as a BitstringStatusListCredential. Pure: the
// service signs what these build.

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OPEN_BADGES_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

/** The facts a certificate's credential carries, as its sheet and the verification page state them. */
export interface CredentialFacts {
  /** The credential's own address: the public verification of the certificate's code. */
  id: string;
  issuer: { id: string; name: string };
  /** The decision's date (YYYY-MM-DD), Vietnam's time. */
  awardedOn: string;
  recipientName: string;
  achievement: { id: string; name: string; description: string; narrative: string };
  status: { listUrl: string; index: number };
}

export function openBadgeCredential(facts: CredentialFacts) {
  const validFrom = `${facts.awardedOn}T00:00:00+07:00`;
  return {
    '@context': [VC_CONTEXT, OPEN_BADGES_CONTEXT],
    id: facts.id,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: facts.achievement.name,
    issuer: { id: facts.issuer.id, type: ['Profile'], name: facts.issuer.name },
    validFrom,
    awardedDate: validFrom,
    credentialSubject: {
      type: ['AchievementSubject'],
      name: facts.recipientName,
      // Open Badges names the recipient through an identifier; a name in clear, as the sheet prints it.
      identifier: [{ type: 'IdentityObject', identityHash: facts.recipientName, identityType: 'name', hashed: false }],
      achievement: {
        id: facts.achievement.id,
        type: ['Achievement'],
        name: facts.achievement.name,
        description: facts.achievement.description,
        criteria: { narrative: facts.achievement.narrative },
      },
    },
    credentialStatus: {
      id: `${facts.status.listUrl}#${facts.status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(facts.status.index),
      statusListCredential: facts.status.listUrl,
    },
  };
}

export function statusListCredential(list: { url: string; issuerId: string; encodedList: string; validFrom: Date }) {
  return {
    '@context': [VC_CONTEXT],
    id: list.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: list.issuerId,
    validFrom: list.validFrom.toISOString(),
    credentialSubject: { id: `${list.url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: list.encodedList },
  };
}
