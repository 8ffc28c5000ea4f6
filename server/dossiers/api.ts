// The dossier packages' API: one nomination's package, and a whole round's, as ZIP downloads.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { sendNominationPackage, sendRoundPackage } from './http.ts';
import { NOMINATION_PACKAGERS, ROUND_PACKAGERS } from './policy.ts';

export function dossierApi(db: Database): Router {
  const router = Router();
  router.get('/nominations/:id/dossier.zip', requireRole(...NOMINATION_PACKAGERS), (req, res) => sendNominationPackage(db, req, res));
  router.get('/award-rounds/:id/dossier.zip', requireRole(...ROUND_PACKAGERS), (req, res) => sendRoundPackage(db, req, res));
  return router;
}
