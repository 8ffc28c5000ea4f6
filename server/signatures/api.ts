// The doors of signing a decision with a USB token (VGCA): the secretariat opens a session and gets
// two one-time addresses for the signing tool; the tool fetches the unsigned PDF from the first and
// sends the signed one to the second (raw application/pdf, or multipart with a `file`); the signed
// copy is downloaded from the decision. The two addresses need no login: their tokens are the key.
import express, { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import { committee, sendPdf } from '../certificates/http.ts';
import { ValidationError } from '../errors.ts';
import { receiveFile } from '../web/upload.ts';
import { validate } from '../web/validate.ts';
import { openSession, sendSignedCopy, type SigningDeps } from './http.ts';
import * as service from './service.ts';

/** A signed decision: a few megabytes with a long annex; far less than this. */
export const MAX_SIGNED_BYTES = 50 * 1024 * 1024;

const tokenParams = Joi.object({ token: Joi.string().pattern(/^[A-Za-z0-9_-]{43}$/).required() });

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

export function signingApi(deps: SigningDeps): Router {
  const router = Router();
  const { db } = deps;

  router.post('/decisions/:id/signing-sessions', committee, async (req, res) => {
    const { sessionId, sourceUrl, uploadUrl, expiresAt } = await openSession(deps, req, res);
    res.status(201).json({ sessionId, sourceUrl, uploadUrl, expiresAt: expiresAt.toISOString() });
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

  router.get('/decisions/:id/signed.pdf', committee, (req, res) => sendSignedCopy(db, req, res));
  return router;
}
