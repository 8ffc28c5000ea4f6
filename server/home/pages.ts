// The home page: what waits for the signed-in user (the work queue), what the role does here, and where to start.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { countActiveUnits } from '../units/repository.ts';
import { countUsers } from '../users/repository.ts';
import { todayInVietnam, translate, type MessageKey } from '../web/i18n/index.ts';
import { taskView } from '../tasks/present.ts';
import { tasksFor } from '../tasks/service.ts';
import type { Role } from '../auth/user.ts';
import { callerOf, currentUser, languageOf, scopeOf, takeFlash } from '../web/request.ts';

/** Where each role starts its day, most frequent first. */
const START_LINKS: Record<Role, [string, MessageKey][]> = {
  agency: [['/models/new', 'models.new'], ['/models', 'models.title'], ['/awards', 'home.link.nominate'], ['/nominations', 'awards.mine.link'], ['/reports', 'nav.reports']],
  secretary: [['/awards', 'home.link.review'], ['/awards/new', 'awards.newRound'], ['/models', 'models.title'], ['/reports', 'nav.reports']],
  member: [['/awards', 'home.link.vote'], ['/reports', 'nav.reports']],
  printer: [['/awards', 'home.link.print'], ['/print-jobs', 'printJobs.history'], ['/reports', 'nav.reports']],
  admin: [['/admin/units/new', 'units.new'], ['/admin/users/new', 'users.new'], ['/admin/print-layouts', 'nav.printLayouts'], ['/reports', 'nav.reports']],
};

export function homePages(db: Database): Router {
  const router = Router();
  router.get('/', requireLogin, async (req, res) => {
    const user = currentUser(req);
    const language = languageOf(req);
    const scope = await scopeOf(req, db);
    const unitsInScope = await countActiveUnits(db, scope);
    const users = user.role === 'admin' ? await countUsers(db) : undefined;
    const tasks = await tasksFor(db, await callerOf(req, db), todayInVietnam());
    const flash = takeFlash(req);
    res.render('home/index', {
      title: translate(language, 'home.title'),
      introKey: `home.${user.role}.intro`,
      unitsInScope,
      users,
      isAdmin: user.role === 'admin',
      // The queue is for the roles that have one; the administrator starts from the tools.
      queue: user.role === 'admin' ? null : { tasks: taskView(tasks, language) },
      startLinks: START_LINKS[user.role].map(([href, key]) => ({ href, label: translate(language, key) })),
      flash,
    });
  });
  return router;
}
