// The units API (/api/v1): the units in the caller's scope for everyone signed in; creating and
// changing them for administrators. Thin: validate, one service call, JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole, requireLogin } from '../auth/guards.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { actorOf, languageOf, scopeOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { unitJson } from './present.ts';
import * as repository from './repository.ts';
import { unitListSchema, unitSchema } from './schemas.ts';
import { createUnit, updateUnit } from './service.ts';

const isCode = (value: unknown): value is string => typeof value === 'string';

export function unitApi(db: Database): Router {
  const router = Router();

  router.get('/units', requireLogin, async (req, res) => {
    const query = validate(unitListSchema, req.query);
    const afterCode = decodeCursor(query.cursor, isCode);
    const { rows, total } = await repository.listUnits(db, await scopeOf(req, db), { q: query.q, includeEnded: query.includeEnded, afterCode, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    res.json({ items: page.map(unitJson), nextCursor: rows.length > query.limit && last ? encodeCursor(last.code) : null, total });
  });

  router.get('/units/:id', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    res.json(unitJson(await repository.getUnit(db, id, await scopeOf(req, db))));
  });

  router.post('/units', requireRole('admin'), async (req, res) => {
    const input = validate(unitSchema, req.body);
    res.status(201).json(unitJson(await createUnit(db, { actor: actorOf(req) }, input)));
  });

  router.put('/units/:id', requireRole('admin'), async (req, res) => {
    const { id } = validate(idParams, req.params);
    const input = validate(unitSchema, req.body);
    res.json(unitJson(await updateUnit(db, { actor: actorOf(req) }, id, input)));
  });

  router.get('/blocks', requireLogin, async (req, res) => {
    const en = languageOf(req) === 'en';
    res.json({ items: (await repository.listBlocks(db)).map((b) => ({ code: b.code, name: en ? b.name_en : b.name })) });
  });

  router.get('/fields', requireLogin, async (req, res) => {
    const en = languageOf(req) === 'en';
    res.json({ items: (await repository.listFields(db)).map((f) => ({ code: f.code, name: en ? f.name_en : f.name })) });
  });

  return router;
}
