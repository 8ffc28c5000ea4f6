// GET /api/v1/me/tasks: the caller's work queue (API.md, The committee's work).
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import { callerOf } from '../web/request.ts';
import { taskJson } from './present.ts';
import { tasksFor } from './service.ts';

export function taskApi(db: Database): Router {
  const router = Router();
  router.get('/me/tasks', requireLogin, async (req, res) => {
    const tasks = await tasksFor(db, await callerOf(req, db), todayInVietnam());
    res.json({ items: tasks.map(taskJson) });
  });
  return router;
}
