// The API's own-account endpoints (API.md, The committee's work: users keep their own e-mail settings).
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { getUser, type User } from '../users/repository.ts';
import { actorOf, currentUser } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import { ownSettingsSchema, passwordChangeSchema } from './schemas.ts';
import { changeOwnPassword, holderOf, updateOwnSettings } from './service.ts';

/** The caller's own account: who they are, and where (and whether) their notifications are e-mailed. */
function accountJson(user: User, unitName: string) {
  return { id: user.id, username: user.username, fullName: user.full_name, role: user.role, unitId: user.unit_id, unitName, language: user.language, email: user.email, emailNotifications: user.email_notifications };
}

export function accountApi(db: Database): Router {
  const router = Router();

  router.get('/me', requireLogin, async (req, res) => {
    const caller = currentUser(req);
    res.json(accountJson(await getUser(db, caller.id, ALL_UNITS), caller.unitName));
  });

  router.patch('/me', requireLogin, async (req, res) => {
    const changes = validate(ownSettingsSchema, req.body);
    const caller = currentUser(req);
    res.json(accountJson(await updateOwnSettings(db, holderOf(caller.id, actorOf(req)), changes), caller.unitName));
  });

  // Ends every session and token of the account, the one this call came with included.
  router.post('/me/password', requireLogin, async (req, res) => {
    const change = validate(passwordChangeSchema, req.body);
    await changeOwnPassword(db, holderOf(currentUser(req).id, actorOf(req)), change);
    res.status(204).end();
  });

  return router;
}
