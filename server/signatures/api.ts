// The doors of signing a decision with a USB token (VGCA): the secretariat opens a session and gets
// two one-time addresses for the signing tool; the tool fetches the unsigned PDF from the first and
// sends the signed one to the second (raw application/pdf, or multipart with a `file`); the signed
// copy is downloaded from the decision. The two addresses need no login: their tokens are the key.
import express, { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import type { CertificateRenderer } from '../certificates/rendering/renderer.ts';
import { committee, fileNameOf, sendPdf } from '../certificates/http.ts';
import { decisionNumberText } from '../certificates/repository.ts';
import { unsignedDecisionPdf } from '../documents/http.ts';
import { ValidationError } from '../errors.ts';
import { receiveFile } from '../web/upload.ts';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';

/** A signed decision: a few megabytes with a long annex; far less than this. */
export const MAX_SIGNED_BYTES = 50 * 1024 * 1024;

const tokenParams = Joi.object({ token: Joi.string().pattern(/^[A-Za-z0-9_-]{43}$/).required() });

interface SigningDeps {
  db: Database;
  renderer: CertificateRenderer | undefined;
  publicUrl: string;
}

const rawPdf = express.raw({ type: ['application/pdf', 'application/octet-stream'], limit: MAX_SIGNED_BYTES });
const multipartPdf = receiveFile(MAX_SIGNED_BYTES);

/** The signed file, whichever way the tool sends it. */
function receiveSigned(req: Request, res: Response, next: (error?: unknown) => void) {
  return (req.is('multipart/form-data') ? multipartPdf : rawPdf)(req, res, next);
}

function signedBytes(req: Request): Buffer {
  const bytes = req.file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : undefined);
  if (!bytes || bytes.length === 0) throw new ValidationError([{ field: 'file', reason: 'file_missing', key: 'upload.noFile' }]);
  return bytes;
}

export function signingApi({ db, renderer, publicUrl }: SigningDeps): Router {
  const router = Router();
  const base = publicUrl.replace(/\/+$/, '');

  router.post('/decisions/:id/signing-sessions', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const session = await service.openSigningSession(db, viewer, id, () => unsignedDecisionPdf({ db, renderer }, res, viewer, id));
    res.status(201).json({
      sessionId: session.sessionId,
      sourceUrl: `${base}/api/v1/signing/${session.sourceToken}/source.pdf`,
      uploadUrl: `${base}/api/v1/signing/${session.uploadToken}/signed.pdf`,
      expiresAt: session.expiresAt.toISOString(),
    });
  });

  router.get('/signing/:token/source.pdf', async (req, res) => {
    const { token } = validate(tokenParams, req.params);
    sendPdf(res, await service.takeSigningSource(db, token), 'quyet-dinh-chua-ky.pdf', true);
  });

  router.post('/signing/:token/signed.pdf', receiveSigned, async (req, res) => {
    const { token } = validate(tokenParams, req.params);
    const accepted = await service.acceptSignedDecision(db, token, signedBytes(req), req.ip ?? null);
    res.json({ decisionId: accepted.decisionId, signerName: accepted.signerName, signedAt: accepted.signedAt.toISOString(), signedCopyUrl: `/api/v1/decisions/${accepted.decisionId}/signed.pdf` });
  });

  router.get('/decisions/:id/signed.pdf', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const copy = await service.signedDecisionCopy(db, viewer, id);
    sendPdf(res, copy.pdf, `quyet-dinh-${fileNameOf(await decisionNumberText(db, id))}-da-ky-so.pdf`, true);
  });
  return router;
}
