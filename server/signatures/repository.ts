// All SQL of signing decisions with a USB token: the one-time sessions (tokens kept hashed) and the
// decisions' signed copies. Every function takes the database, or the transaction, first.
import type { Database } from '../db/database.ts';

export async function insertSession(trx: Database, session: { decisionId: number; sourceTokenHash: Buffer; uploadTokenHash: Buffer; sourcePdf: Buffer; createdBy: number; expiresAt: Date }) {
  return trx
    .insertInto('signing_sessions')
    .values({ decision_id: session.decisionId, source_token_hash: session.sourceTokenHash, upload_token_hash: session.uploadTokenHash, source_pdf: session.sourcePdf, created_by: session.createdBy, expires_at: session.expiresAt })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** The session a source token opens, locked until the transaction ends; undefined for an unknown token. */
export async function lockSessionBySource(trx: Database, tokenHash: Buffer) {
  return trx.selectFrom('signing_sessions').select(['id', 'decision_id', 'source_pdf', 'expires_at', 'source_fetched_at', 'completed_at']).where('source_token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

/** The session an upload token opens, locked until the transaction ends. */
export async function lockSessionByUpload(trx: Database, tokenHash: Buffer) {
  return trx.selectFrom('signing_sessions').select(['id', 'decision_id', 'source_pdf', 'expires_at', 'completed_at', 'created_by']).where('upload_token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
}

export async function markSourceFetched(trx: Database, id: number): Promise<void> {
  await trx.updateTable('signing_sessions').set({ source_fetched_at: new Date() }).where('id', '=', id).execute();
}

export async function markCompleted(trx: Database, id: number): Promise<void> {
  await trx.updateTable('signing_sessions').set({ completed_at: new Date() }).where('id', '=', id).execute();
}

export async function saveSignedCopy(trx: Database, copy: { decisionId: number; pdf: Buffer; signerName: string | null; sessionId: number }) {
  return trx
    .insertInto('decision_signed_copies')
    .values({ decision_id: copy.decisionId, pdf: copy.pdf, signer_name: copy.signerName, session_id: copy.sessionId })
    .onConflict((oc) => oc.column('decision_id').doUpdateSet((eb) => ({ pdf: eb.ref('excluded.pdf'), signer_name: eb.ref('excluded.signer_name'), session_id: eb.ref('excluded.session_id'), signed_at: new Date() })))
    .returning(['decision_id', 'signer_name', 'signed_at'])
    .executeTakeFirstOrThrow();
}

/** A decision's signed copy without its file: what its page shows. */
export async function findSignedCopyInfo(db: Database, decisionId: number) {
  return db.selectFrom('decision_signed_copies').select(['signer_name', 'signed_at']).where('decision_id', '=', decisionId).executeTakeFirst();
}

export async function findSignedCopy(db: Database, decisionId: number) {
  return db.selectFrom('decision_signed_copies').select(['pdf', 'signer_name', 'signed_at']).where('decision_id', '=', decisionId).executeTakeFirst();
}
