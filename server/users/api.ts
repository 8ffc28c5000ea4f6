// The accounts API (/api/v1, administrators only). Thin: validate, one service call, JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { actorOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import * as repository from './repository.ts';
import { newUserSchema, userChangesSchema, userListSchema } from './schemas.ts';
import { createUser, updateUser, userJson } from './service.ts';

const isId = (value: unknown): value is number => Number.isInteger(value);

export function userApi(db: Database): Router {
  const router = Router();
  router.use('/users', requireRole('admin'));

  router.get('/users', async (req, res) => {
    const query = validate(userListSchema, req.query);
    const afterId = decodeCursor(query.cursor, isId);
    const { rows, total } = await repository.listUsers(db, ALL_UNITS, { afterId, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    res.json({ items: page.map(userJson), nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null, total });
  });

  router.post('/users', async (req, res) => {
    const input = validate(newUserSchema, req.body);
    res.status(201).json(userJson(await createUser(db, { actor: actorOf(req) }, input)));
  });

  router.get('/users/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    res.json(userJson(await repository.getUser(db, id, ALL_UNITS)));
  });

  router.patch('/users/:id', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const changes = validate(userChangesSchema, req.body);
    res.json(userJson(await updateUser(db, { actor: actorOf(req) }, id, changes)));
  });

  return router;
}
