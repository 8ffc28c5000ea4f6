// The home page: what the signed-in user's role does here, and where to start.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { countActiveUnits } from '../units/repository.ts';
import { translate } from '../web/i18n/index.ts';
import { currentUser, languageOf, scopeOf } from '../web/request.ts';

export function homePages(db: Database): Router {
  const router = Router();
  router.get('/', requireLogin, async (req, res) => {
    const user = currentUser(req);
    const language = languageOf(req);
    const scope = await scopeOf(req, db);
    const unitsInScope = await countActiveUnits(db, scope);
    const users = user.role === 'admin' ? Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : undefined;
    const flash = req.session.flash;
    delete req.session.flash;
    res.render('home/index', {
      title: translate(language, 'home.title'),
      introKey: `home.${user.role}.intro`,
      unitsInScope,
      users,
      isAdmin: user.role === 'admin',
      flash,
    });
  });
  return router;
}
