// The audit trail's filters, for the API (actorId, ISO dates) and the page (a username, dd/mm/yyyy).
import Joi from 'joi';
import { pageKeys, type PageRequest } from '../web/pagination.ts';
import { calendarDate, id, text } from '../web/validate.ts';

export interface AuditFilterInput {
  actorId?: number;
  unitId?: number;
  /** An action's code (`nomination.submit`), or a prefix ending in a dot (`nomination.`) for all of a kind. */
  action?: string;
  /** Vietnam calendar days, inclusive: YYYY-MM-DD. */
  from?: string;
  to?: string;
}

export interface AuditQuery extends AuditFilterInput, PageRequest {}

/** The page names the person by username (a text field), not by id. */
export interface AuditPageQuery extends Omit<AuditQuery, 'actorId'> {
  actor?: string;
}

const action = () => Joi.string().trim().lowercase().max(100).pattern(/^[a-z0-9_]+(\.[a-z0-9_]+)*\.?$/, 'auditAction');

/** `to` before `from` is refused on `to`, as a unit's validity is. */
const to = () => calendarDate().custom((value: string, helpers) => {
  const from = helpers.state.ancestors[0]?.from as string | undefined;
  return from && value < from ? helpers.error('date.fromTo') : value;
});

export const auditQuerySchema = Joi.object<AuditQuery, true>({
  ...pageKeys,
  actorId: id(),
  unitId: id(),
  action: action(),
  from: calendarDate(),
  to: to(),
});

export const auditPageSchema = Joi.object<AuditPageQuery, true>({
  ...pageKeys,
  actor: text(100),
  unitId: id(),
  action: action(),
  from: calendarDate(),
  to: to(),
});
