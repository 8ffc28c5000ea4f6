// The reports API (/api/v1): the year-end summary and the centre's national report as JSON; the
// statistical forms of Thông tư 02/2023 as workbooks.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { nationalFor, summaryFor, tt02For } from './http.ts';

export function reportApi(db: Database): Router {
  const router = Router();
  router.get('/reports/summary', requireLogin, async (req, res) => {
    const { summary, paragraph } = await summaryFor(db, req);
    res.json({ ...summary, paragraph });
  });
  router.get('/reports/national', requireLogin, async (req, res) => {
    const { report } = await nationalFor(db, req);
    res.json(report);
  });
  router.get('/reports/tt02/:form.xlsx', requireLogin, async (req, res) => {
    const { headers, workbook } = await tt02For(db, req);
    res.set(headers).send(workbook);
  });
  return router;
}
