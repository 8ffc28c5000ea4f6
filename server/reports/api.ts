// The reports API (/api/v1): the year-end summary as JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { summaryFor } from './http.ts';

export function reportApi(db: Database): Router {
  const router = Router();
  router.get('/reports/summary', requireLogin, async (req, res) => {
    const { summary, paragraph } = await summaryFor(db, req);
    res.json({ ...summary, paragraph });
  });
  return router;
}
