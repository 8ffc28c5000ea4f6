// The dossier packages from the pages: the session's twins of the API routes, linked from the
// nomination and round pages.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { sendNominationPackage, sendRoundPackage } from './http.ts';
import { NOMINATION_PACKAGERS, ROUND_PACKAGERS } from './policy.ts';

export function dossierPages(db: Database): Router {
  const router = Router();
  router.get('/nominations/:id/dossier.zip', requireRole(...NOMINATION_PACKAGERS), (req, res) => sendNominationPackage(db, req, res));
  router.get('/awards/:id/dossier.zip', requireRole(...ROUND_PACKAGERS), (req, res) => sendRoundPackage(db, req, res));
  return router;
}
