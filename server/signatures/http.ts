// What the signing API and the decision page share over HTTP: opening a session over the decision
// as rendered now, the two one-time addresses it hands out, and sending the signed copy.
import type { Request, Response } from 'express';
import type { Database } from '../db/database.ts';
import type { CertificateRenderer } from '../certificates/rendering/renderer.ts';
import { fileNameOf, sendPdf } from '../certificates/http.ts';
import { decisionNumberText } from '../certificates/repository.ts';
import { unsignedDecisionPdf } from '../documents/http.ts';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';

export interface SigningDeps {
  db: Database;
  renderer: CertificateRenderer | undefined;
  publicUrl: string;
}

/** Opens a session on the decision of the route; answers its id, its two addresses and when they expire. */
export async function openSession({ db, renderer, publicUrl }: SigningDeps, req: Request, res: Response) {
  const viewer = await callerOf(req, db);
  const { id } = validate(idParams, req.params);
  const session = await service.openSigningSession(db, viewer, id, () => unsignedDecisionPdf({ db, renderer }, res, viewer, id));
  const base = `${publicUrl.replace(/\/+$/, '')}/api/v1/signing`;
  return { viewer, decisionId: id, sessionId: session.sessionId, sourceUrl: `${base}/${session.sourceToken}/source.pdf`, uploadUrl: `${base}/${session.uploadToken}/signed.pdf`, expiresAt: session.expiresAt };
}

export async function sendSignedCopy(db: Database, req: Request, res: Response): Promise<void> {
  const viewer = await callerOf(req, db);
  const { id } = validate(idParams, req.params);
  const copy = await service.signedDecisionCopy(db, viewer, id);
  sendPdf(res, copy.pdf, `quyet-dinh-${fileNameOf(await decisionNumberText(db, id))}-da-ky-so.pdf`, true);
}
