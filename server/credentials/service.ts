// Digital credentials: a certificate as a signed Open Badges 3.0 credential (a VC-JWT, EdDSA), the
// DID document that publishes the keys, the status list a revocation flips, and key rotation.
// The private key is read here, used, and never returned, logged or audited.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, SignJWT, type JWK } from 'jose';
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { recordAction, type Actor } from '../audit/audit.ts';
import { NotFoundError } from '../errors.ts';
import { listVisibleCertificates } from '../certificates/repository.ts';
import { verifyCertificate } from '../certificates/verification.ts';
import { verificationUrl } from '../certificates/rendering/sheets.ts';
import { encodeStatusList } from './bitstring.ts';
import { openBadgeCredential, statusListCredential } from './content.ts';
import { didWebOf, underPublicUrl } from './did.ts';
import * as repository from './repository.ts';

export const CREDENTIAL_MEDIA_TYPE = 'application/vc+jwt';

/** The address of status list `id`'s credential. */
export function statusListUrl(publicUrl: string, id: number): string {
  return underPublicUrl(publicUrl, `/api/v1/credentials/status/${id}`);
}

/** The DID document: every key ever made (retired ones verify what they signed), the current one first. */
export async function didDocument(db: Database, publicUrl: string) {
  await ensureSigningKey(db);
  const did = didWebOf(publicUrl);
  const keys = await repository.listPublicKeys(db);
  const methods = keys.map((key) => ({ id: `${did}#${key.key_id}`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: key.public_jwk as JWK }));
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: methods.map((method) => method.id),
  };
}

/**
 * A certificate's credential by its verification code (public, like the verification): revoked and
 * replaced ones are issued too, with their status bit set. 404 for a code no certificate holds.
 */
export async function credentialForCode(db: Database, publicUrl: string, code: string): Promise<string> {
  const facts = await verifyCertificate(db, code); // 404 for a code no certificate holds
  // Once given, an index is the certificate's for good and revocations set its bit: only the first
  // download writes, locked against a revocation running now (the bit set by one or the other, never by neither).
  const entry = (await repository.findStatusEntry(db, code)) ?? (await db.transaction().execute(async (trx) => {
    const status = await repository.lockCertificateStatus(trx, code);
    if (!status) throw new NotFoundError();
    const assigned = (await repository.findStatusEntry(trx, code)) ?? (await repository.assignStatusEntry(trx, code));
    if (status !== 'valid') await repository.setBit(trx, assigned);
    return assigned;
  }));
  const did = didWebOf(publicUrl);
  const decided = facts.decisionDate.split('-').reverse().join('/');
  const id = verificationUrl(publicUrl, code);
  const credential = openBadgeCredential({
    id,
    issuer: { id: did, name: facts.issuer },
    awardedOn: facts.decisionDate,
    recipientName: facts.recipientName,
    achievement: {
      id: `${id}#achievement`,
      name: facts.awardTitle,
      description: facts.model
        ? `Mô hình "${facts.model.title}" (${facts.model.fieldName}, năm ${facts.model.year}) của ${facts.model.unitName}, mã ${facts.model.code}`
        : `${facts.awardTitle} tặng ${facts.recipientName}`,
      narrative: facts.model ? `Công nhận ngày ${decided} của ${facts.issuer}` : `Quyết định số ${facts.decisionNumber} ngày ${decided} của ${facts.issuer}`,
    },
    status: { listUrl: statusListUrl(publicUrl, entry.list_id), index: entry.list_index },
  });
  return sign(db, did, credential, id);
}

/** A certificate's credential by its id, for those who see the certificate; 404 otherwise. */
export async function credentialForCertificate(db: Database, viewer: Caller, publicUrl: string, id: number): Promise<string> {
  const [record] = await listVisibleCertificates(db, viewer, { id });
  if (!record) throw new NotFoundError();
  return credentialForCode(db, publicUrl, record.verification_code);
}

/** A status list as a signed BitstringStatusListCredential, its bits as they stand now. */
export async function statusListCredentialFor(db: Database, publicUrl: string, listId: number): Promise<string> {
  const list = await repository.findStatusList(db, listId);
  if (!list) throw new NotFoundError();
  const did = didWebOf(publicUrl);
  const url = statusListUrl(publicUrl, list.id);
  return sign(db, did, statusListCredential({ url, issuerId: did, encodedList: encodeStatusList(list.bits), validFrom: list.updated_at }), url);
}

/** Retires the signing key and makes a new one; the old one stays in did.json. Audited, without key material. */
export async function rotateSigningKey(db: Database, actor: Actor): Promise<{ retired: string | undefined; current: string }> {
  const key = await newKey();
  return db.transaction().execute(async (trx) => {
    const retired = await repository.retireCurrentKey(trx);
    await repository.insertCurrentKey(trx, key);
    await recordAction(trx, actor, { action: 'credential.rotate_key', entityType: 'credential_key', entityId: null, before: { keyId: retired ?? null }, after: { keyId: key.keyId } });
    return { retired, current: key.keyId };
  });
}

async function sign(db: Database, did: string, payload: Record<string, unknown>, id: string): Promise<string> {
  const key = await ensureSigningKey(db);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', typ: 'vc+jwt', cty: 'vc', kid: `${did}#${key.keyId}` })
    .setIssuer(did)
    .setJti(id)
    .setIssuedAt()
    .sign(key.privateKey);
}

/** The current key, made at the first need (two processes at once: one key wins, both use it). */
async function ensureSigningKey(db: Database): Promise<{ keyId: string; privateKey: KeyObject }> {
  let stored = await repository.findSigningKey(db);
  if (!stored) {
    await repository.insertCurrentKey(db, await newKey());
    stored = await repository.findSigningKey(db);
    if (!stored) throw new Error('no credential signing key after making one');
  }
  return { keyId: stored.key_id, privateKey: createPrivateKey({ key: stored.private_pkcs8, format: 'der', type: 'pkcs8' }) };
}

async function newKey(): Promise<{ keyId: string; publicJwk: JWK; privatePkcs8: Buffer }> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
  const keyId = await calculateJwkThumbprint(publicJwk, 'sha256');
  return { keyId, publicJwk: { ...publicJwk, kid: keyId }, privatePkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}
