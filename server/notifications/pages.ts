// The notifications page (/notifications): the reader's own, newest first, 30 a page, the unread ones
// marked; each opens through a small form that marks it read and goes on to its page (no state
// changes on GET), and "Đánh dấu tất cả đã đọc". Also the bell's count on every page (bellCount).
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { translate } from '../web/i18n/index.ts';
import { actorOf, currentUser, languageOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { bellView, notificationView } from './present.ts';
import { isBeforeId, notificationPageSchema } from './schemas.ts';
import { listForReader, markAllNotificationsRead, markNotificationRead, unreadCount } from './service.ts';

export function notificationPages(db: Database): Router {
  const router = Router();
  router.use('/notifications', requireLogin);

  router.get('/notifications', async (req, res) => {
    const language = languageOf(req);
    const query = validate(notificationPageSchema, req.query, { form: true });
    const unreadOnly = query.unread ?? false;
    const page = await listForReader(db, currentUser(req).id, { unreadOnly, beforeId: decodeCursor(query.cursor, isBeforeId), limit: query.limit });
    const filter = unreadOnly ? [['unread', 'true']] : [];
    const link = (extra: string[][]) => `/notifications?${new URLSearchParams([...filter, ...extra]).toString()}`.replace(/\?$/, '');
    res.render('notifications/index', {
      title: translate(language, 'notifications.title'),
      items: page.items.map((row) => notificationView(row, language)),
      summary: translate(language, 'notifications.summary', { total: page.total, unread: page.unread }),
      unreadOnly,
      hasUnread: page.unread > 0,
      firstPage: query.cursor ? link([]) : null,
      nextPage: page.nextBeforeId === null ? null : link([['cursor', encodeCursor(page.nextBeforeId)]]),
      flash: takeFlash(req),
    });
  });

  router.post('/notifications/read-all', async (req, res) => {
    const marked = await markAllNotificationsRead(db, { userId: currentUser(req).id, actor: actorOf(req) });
    req.session.flash = translate(languageOf(req), 'notifications.markedAllRead', { count: marked });
    res.redirect(303, '/notifications');
  });

  router.post('/notifications/:id/open', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const row = await markNotificationRead(db, { userId: currentUser(req).id, actor: actorOf(req) }, id);
    res.redirect(303, row.href);
  });

  return router;
}

/**
 * Puts the bell (the reader's unread count) into every page a signed-in user is shown: the count is
 * read only when a page is rendered (not for redirects, files or the API), one count on a partial index.
 */
export function bellCount(db: Database) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const user = req.user;
    if (!user) return next();
    const render = res.render.bind(res) as (...args: unknown[]) => void;
    res.render = ((...args: unknown[]) => {
      // Counted with the session's user when it was read; a user without the count (none here today) asks.
      (user.unreadNotifications !== undefined ? Promise.resolve(user.unreadNotifications) : unreadCount(db, user.id)).then(
        (unread) => {
          res.locals.bell = bellView(languageOf(req), unread);
          render(...args);
        },
        () => render(...args), // the page matters more than its bell (an error page while the database is down)
      );
    }) as typeof res.render;
    next();
  };
}
