// The audit trail API (GET /api/v1/audit, administrators only): filtered, newest first, a keyset page
// at a time. Thin: validate, one service call, JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { currentUser } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import { auditJson } from './present.ts';
import { auditQuerySchema } from './schemas.ts';
import { listAuditTrail } from './service.ts';

export function auditApi(db: Database): Router {
  const router = Router();

  router.get('/audit', requireRole('admin'), async (req, res) => {
    const query = validate(auditQuerySchema, req.query, { labels: 'audit' });
    const { rows, nextCursor } = await listAuditTrail(db, { caller: { user: currentUser(req) } }, query);
    res.json({ items: rows.map(auditJson), nextCursor });
  });

  return router;
}
