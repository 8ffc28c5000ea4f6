// All SQL of digital credentials: the signing keys, the status lists and which index each
// certificate's credential holds. Every function takes the database, or the transaction, first.
import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { setBitPosition } from './bitstring.ts';

// ------------------------------------------------------------------ keys

/** Every key ever made, current first, without its private part: what did.json publishes. */
export async function listPublicKeys(db: Database) {
  return db.selectFrom('credential_keys').select(['key_id', 'public_jwk', 'retired_at']).orderBy('id', 'desc').execute();
}

/** The key that signs now, private part included: read by the signing code only. */
export async function findSigningKey(db: Database) {
  return db.selectFrom('credential_keys').select(['key_id', 'private_pkcs8']).where('retired_at', 'is', null).executeTakeFirst();
}

/** Stores a new current key; false when another process stored one first (one current key, sql/0037). */
export async function insertCurrentKey(db: Database, key: { keyId: string; publicJwk: object; privatePkcs8: Buffer }): Promise<boolean> {
  const row = await db
    .insertInto('credential_keys')
    .values({ key_id: key.keyId, public_jwk: JSON.stringify(key.publicJwk), private_pkcs8: key.privatePkcs8 })
    .onConflict((oc) => oc.expression(sql`(true)`).where('retired_at', 'is', null).doNothing())
    .returning('key_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Retires the current key (it stays published); its id, or undefined when there was none. */
export async function retireCurrentKey(trx: Database): Promise<string | undefined> {
  const row = await trx.updateTable('credential_keys').set({ retired_at: new Date() }).where('retired_at', 'is', null).returning('key_id').executeTakeFirst();
  return row?.key_id;
}

// ------------------------------------------------------------------ status lists

/** A list's bits and when they last changed; undefined for an unknown list. */
export async function findStatusList(db: Database, id: number) {
  return db.selectFrom('credential_status_lists').select(['id', 'bits', 'updated_at']).where('id', '=', id).executeTakeFirst();
}

export async function findStatusEntry(db: Database, verificationCode: string) {
  return db.selectFrom('credential_status_entries').select(['list_id', 'list_index']).where('verification_code', '=', verificationCode).executeTakeFirst();
}

/**
 * Gives a certificate's credential an index in the newest list with room (a new list when none has),
 * at random among the free ones; a taken index is drawn again.
 */
export async function assignStatusEntry(trx: Database, verificationCode: string): Promise<{ list_id: number; list_index: number }> {
  const reserve = () =>
    trx.updateTable('credential_status_lists').set((eb) => ({ assigned: eb('assigned', '+', 1) }))
      .where('id', '=', trx.selectFrom('credential_status_lists').select((eb) => eb.fn.max('id').as('id')))
      // Half full at most: a random draw then finds a free index at once nearly always.
      .where(sql<boolean>`assigned < size / 2`)
      .returning(['id', 'size'])
      .executeTakeFirst();
  const list = (await reserve()) ?? (await trx.insertInto('credential_status_lists').defaultValues().returning(['id', 'size']).executeTakeFirstOrThrow());
  for (;;) {
    const entry = await trx
      .insertInto('credential_status_entries')
      .values({ verification_code: verificationCode, list_id: list.id, list_index: randomInt(list.size) })
      .onConflict((oc) => oc.doNothing())
      .returning(['list_id', 'list_index'])
      .executeTakeFirst();
    if (entry) return entry;
    // Either the index was taken, or a request for the same certificate assigned one a moment ago.
    const assigned = await findStatusEntry(trx, verificationCode);
    if (assigned) return assigned;
  }
}

/** Sets the revocation bit of a certificate's credential, if it was ever issued one. */
export async function setRevoked(trx: Database, verificationCode: string): Promise<void> {
  const entry = await findStatusEntry(trx, verificationCode);
  if (entry) await setBit(trx, entry);
}

export async function setBit(trx: Database, entry: { list_id: number; list_index: number }): Promise<void> {
  await trx
    .updateTable('credential_status_lists')
    .set({ bits: sql<Buffer>`set_bit(bits, ${setBitPosition(entry.list_index)}, 1)`, updated_at: new Date() })
    .where('id', '=', entry.list_id)
    .execute();
}

// ------------------------------------------------------------------ certificates

/**
 * The status of the certificate holding a verification code (an award's or a model's), its row
 * locked against a revocation until the transaction ends; undefined for an unknown code.
 */
export async function lockCertificateStatus(trx: Database, verificationCode: string): Promise<string | undefined> {
  const award = await trx.selectFrom('certificates').select('status').where('verification_code', '=', verificationCode).forShare().executeTakeFirst();
  if (award) return award.status;
  const model = await trx.selectFrom('model_certificates').select('status').where('verification_code', '=', verificationCode).forShare().executeTakeFirst();
  return model?.status;
}
