// The reader's notifications over the API (API.md, The committee's work): the list, unread only on
// request, newest first, and marking one read. Only one's own: another user's answers 404.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { actorOf, currentUser, languageOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { notificationJson } from './present.ts';
import { isBeforeId, notificationQuerySchema } from './schemas.ts';
import { listForReader, markAllNotificationsRead, markNotificationRead } from './service.ts';

export function notificationApi(db: Database): Router {
  const router = Router();
  router.use('/notifications', requireLogin);

  router.get('/notifications', async (req, res) => {
    const query = validate(notificationQuerySchema, req.query);
    const language = languageOf(req);
    const page = await listForReader(db, currentUser(req).id, { unreadOnly: query.unread ?? false, beforeId: decodeCursor(query.cursor, isBeforeId), limit: query.limit });
    res.json({ items: page.items.map((row) => notificationJson(row, language)), nextCursor: page.nextBeforeId === null ? null : encodeCursor(page.nextBeforeId), total: page.total, unread: page.unread });
  });

  router.post('/notifications/read-all', async (req, res) => {
    const marked = await markAllNotificationsRead(db, { userId: currentUser(req).id, actor: actorOf(req) });
    res.json({ marked });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const { id } = validate(idParams, req.params);
    const row = await markNotificationRead(db, { userId: currentUser(req).id, actor: actorOf(req) }, id);
    res.json(notificationJson(row, languageOf(req)));
  });

  return router;
}
