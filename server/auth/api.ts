// The API's token endpoints: a token for a username and password, and giving it back.
import { Router } from 'express';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { UnauthenticatedError } from '../errors.ts';
import { actorOf } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import { credentialsSchema } from './schemas.ts';
import { issueApiToken, revokeToken } from './service.ts';
import { requireLogin } from './guards.ts';

export function authApi(db: Database, config: Config): Router {
  const router = Router();

  router.post('/tokens', async (req, res) => {
    const input = validate(credentialsSchema, req.body);
    const { token, expiresAt, user } = await issueApiToken(db, config, input, actorOf(req));
    res.status(201).json({ token, expiresAt: expiresAt.toISOString(), user: { id: user.id, username: user.username, role: user.role, unitId: user.unitId } });
  });

  router.delete('/tokens/current', requireLogin, async (req, res) => {
    const token = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw new UnauthenticatedError();
    await revokeToken(db, token, actorOf(req));
    res.status(204).end();
  });

  return router;
}
