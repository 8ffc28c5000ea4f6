// The doors onto digital credentials: the DID document (/.well-known/did.json, public), a
// certificate's credential by its verification code (public, rate-limited like the verification)
// or by its id (those who see the certificate), and the status lists (public, cacheable).
import { Router, type Response } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { verificationLimiter } from '../certificates/pages.ts';
import { codeParam } from '../certificates/schemas.ts';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';

interface CredentialDeps {
  db: Database;
  publicUrl: string;
}

function sendCredential(res: Response, jwt: string, maxAgeSeconds = 0) {
  res.set({ 'Content-Type': service.CREDENTIAL_MEDIA_TYPE, 'Cache-Control': maxAgeSeconds > 0 ? `public, max-age=${maxAgeSeconds}` : 'no-store' });
  res.send(jwt);
}

/** `/.well-known/did.json` (and `/did.json`, where did:web looks when PUBLIC_URL has a path). */
export function didRoutes({ db, publicUrl }: CredentialDeps): Router {
  const router = Router();
  router.get(['/.well-known/did.json', '/did.json'], async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/did+json').send(JSON.stringify(await service.didDocument(db, publicUrl)));
  });
  return router;
}

/** The credential routes under /api/v1. */
export function credentialApi({ db, publicUrl }: CredentialDeps): Router {
  const router = Router();
  const limiter = verificationLimiter(30);

  router.get('/verify/:code/credential', limiter, async (req, res) => {
    const { code } = validate(codeParam, req.params, { labels: 'certificate' });
    sendCredential(res, await service.credentialForCode(db, publicUrl, code));
  });

  router.get('/certificates/:id/credential', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    sendCredential(res, await service.credentialForCertificate(db, viewer, publicUrl, id));
  });

  // A verifier may cache a list a few minutes: a revocation shows within that time.
  router.get('/credentials/status/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    sendCredential(res, await service.statusListCredentialFor(db, publicUrl, id), 300);
  });
  return router;
}
