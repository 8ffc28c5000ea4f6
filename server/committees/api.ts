// The committees API (/api/v1/units/:id/committee): read and replace a body's committee list.
// Thin: validate, one service call, JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { committeeJson } from './present.ts';
import { committeeSchema } from './schemas.ts';
import { getCommittee, setCommittee } from './service.ts';

export function committeeApi(db: Database): Router {
  const router = Router();

  router.get('/units/:id/committee', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    res.json(committeeJson(id, await getCommittee(db, { caller: await callerOf(req, db), bodyId: id })));
  });

  router.put('/units/:id/committee', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { members } = validate(committeeSchema, req.body);
    res.json(committeeJson(id, await setCommittee(db, { caller: await callerOf(req, db), bodyId: id, members })));
  });

  return router;
}
