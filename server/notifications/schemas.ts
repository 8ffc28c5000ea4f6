// The notification list's query: unread only or all, a page at a time (API.md, Lists).
import Joi from 'joi';
import { pageKeys, type PageRequest } from '../web/pagination.ts';

export interface NotificationQuery extends PageRequest {
  unread?: boolean;
}

export const notificationQuerySchema = Joi.object<NotificationQuery, true>({
  ...pageKeys,
  unread: Joi.boolean(),
});

/** The page shows 30 a page; `unread` filters the same way. */
export const notificationPageSchema = Joi.object<NotificationQuery, true>({
  ...pageKeys,
  limit: Joi.number().integer().min(1).max(200).default(30),
  unread: Joi.boolean(),
});

export const isBeforeId = (value: unknown): value is number => Number.isInteger(value);
