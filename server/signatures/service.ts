// Signing a decision with the body's USB token through the VGCA signing tool: a session hands the
// tool a one-time address for the unsigned PDF and another for the signed one; the upload must be
// that very PDF with a valid signature appended over the whole file. It becomes the signed copy.
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { recordAction } from '../audit/audit.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { enforce } from '../policy.ts';
import { findActingDecision } from '../certificates/repository.ts';
import { checkPdfSignature } from './pades.ts';
import { canHaveSigned } from './policy.ts';
import * as repository from './repository.ts';

/** How long the tool has to fetch the PDF and send it back signed. */
export const SESSION_MINUTES = 30;

const hashOf = (token: string) => createHash('sha256').update(token).digest();
const newToken = () => randomBytes(32).toString('base64url');

/**
 * Opens a signing session over the decision as it is now (rendered by `render`, unsigned, whole):
 * the two tokens are returned once and kept only hashed.
 */
export async function openSigningSession(db: Database, viewer: Caller, decisionId: number, render: () => Promise<Buffer>) {
  enforce(canHaveSigned(viewer));
  const decision = await findActingDecision(db, viewer, decisionId);
  if (!decision) throw new NotFoundError();
  enforce(canHaveSigned(viewer, decision.issuing_unit_id));
  const sourcePdf = await render();
  const sourceToken = newToken();
  const uploadToken = newToken();
  return db.transaction().execute(async (trx) => {
    const session = await repository.insertSession(trx, {
      decisionId, sourceTokenHash: hashOf(sourceToken), uploadTokenHash: hashOf(uploadToken), sourcePdf, createdBy: viewer.user.id, expiresAt: new Date(Date.now() + SESSION_MINUTES * 60_000),
    });
    await recordAction(trx, viewer.actor, { action: 'decision.signing_session', entityType: 'decision', entityId: decisionId, after: { sessionId: session.id, expiresAt: session.expires_at.toISOString(), bytes: sourcePdf.length } });
    return { sessionId: session.id, sourceToken, uploadToken, expiresAt: session.expires_at };
  });
}

/** The unsigned PDF, once: a second fetch, or one after the session expired, is refused (409). */
export async function takeSigningSource(db: Database, sourceToken: string): Promise<Buffer> {
  return db.transaction().execute(async (trx) => {
    const session = await repository.lockSessionBySource(trx, hashOf(sourceToken));
    if (!session) throw new NotFoundError();
    refuseSpent(session);
    if (session.source_fetched_at) throw new ConflictError('signing_link_used', 'signing.linkUsed');
    await repository.markSourceFetched(trx, session.id);
    return session.source_pdf;
  });
}

/**
 * Takes the signed PDF back: it must begin with the exact bytes served, carry a signature over the
 * whole file whose CMS verifies, and it is kept as the decision's signed copy. Every refusal: 422 or 409, nothing written.
 */
export async function acceptSignedDecision(db: Database, uploadToken: string, signed: Buffer, ip: string | null) {
  return db.transaction().execute(async (trx) => {
    const session = await repository.lockSessionByUpload(trx, hashOf(uploadToken));
    if (!session) throw new NotFoundError();
    refuseSpent(session);
    const check = await checkPdfSignature(signed);
    if (!check || !check.valid || !check.coversWholeDocument) throw new ValidationError([{ field: 'file', reason: 'signature_invalid', key: 'signing.signatureInvalid' }]);
    const source = session.source_pdf;
    const sameDocument = check.signedFrom >= source.length && signed.subarray(0, source.length).equals(source);
    if (!sameDocument) throw new ValidationError([{ field: 'file', reason: 'not_same_document', key: 'signing.notSameDocument' }]);
    const copy = await repository.saveSignedCopy(trx, { decisionId: session.decision_id, pdf: signed, signerName: check.signerName, sessionId: session.id });
    await repository.markCompleted(trx, session.id);
    await recordAction(trx, { userId: session.created_by, ip }, { action: 'decision.signed_copy', entityType: 'decision', entityId: session.decision_id, after: { sessionId: session.id, signerName: check.signerName, bytes: signed.length } });
    return { decisionId: copy.decision_id, signerName: copy.signer_name, signedAt: copy.signed_at };
  });
}

/** The decision's signed copy, for those who have it signed; 404 when there is none or the decision is out of sight. */
export async function signedDecisionCopy(db: Database, viewer: Caller, decisionId: number) {
  const decision = await findActingDecision(db, viewer, decisionId);
  if (!decision) throw new NotFoundError();
  const copy = await repository.findSignedCopy(db, decisionId);
  if (!copy) throw new NotFoundError();
  return copy;
}

function refuseSpent(session: { expires_at: Date; completed_at: Date | null }): void {
  if (session.completed_at) throw new ConflictError('signing_link_used', 'signing.linkUsed');
  if (session.expires_at.getTime() <= Date.now()) throw new ConflictError('signing_link_expired', 'signing.linkExpired');
}

/** What the decision page shows the secretariat: whether it may have the decision signed, and the signed copy if any. */
export async function signingStatus(db: Database, viewer: Caller, decisionId: number, issuingUnitId: number) {
  if (!canHaveSigned(viewer, issuingUnitId).allowed) return null;
  return { copy: (await repository.findSignedCopyInfo(db, decisionId)) ?? null };
}
