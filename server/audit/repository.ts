// All SQL of the audit viewer: the trail filtered and read newest first by id (keyset), the action
// codes present, and the look-ups a filter needs. Writing the trail stays in audit.ts.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';

export interface AuditFilter {
  actorId?: number;
  /** Accounts whose unit is one of these (the chosen unit and everything under it). */
  actorUnitIds?: readonly number[];
  action?: { exact: string } | { prefix: string };
  /** [since, until): instants, Vietnam's midnights of the first day and of the day after the last. */
  since?: Date;
  until?: Date;
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_user_id: number | null;
  actor_ip: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  username: string | null;
  full_name: string | null;
  unit_id: number | null;
  unit_name: string | null;
}

/**
 * Action codes are compared byte by byte (COLLATE "C", as audit_log_action_id_idx is built): the
 * codes starting with "nomination." are then exactly those from "nomination." up to "nomination/"
 * ('/' follows '.'), a range an index answers, where LIKE would need `_` escaped and a C-collated index.
 */
const actionC = sql<string>`audit_log.action COLLATE "C"`;
const afterPrefix = (prefix: string) => `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}`;

/**
 * Up to `limit` rows of the trail matching the filter, newest first, with ids below `beforeId`.
 * Ordered by id alone: ids grow with time, and a keyset on a unique column never skips or repeats a row.
 */
export async function listAudit(db: Database, filter: AuditFilter, options: { limit: number; beforeId?: number }): Promise<AuditRow[]> {
  const { actorId, actorUnitIds, action, since, until } = filter;
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_user_id')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select([
      'audit_log.id', 'audit_log.at', 'audit_log.actor_user_id', 'audit_log.actor_ip', 'audit_log.action', 'audit_log.entity_type', 'audit_log.entity_id',
      'audit_log.before', 'audit_log.after', 'users.username', 'users.full_name', 'users.unit_id', 'units.name as unit_name',
    ])
    .$if(options.beforeId !== undefined, (q) => q.where('audit_log.id', '<', options.beforeId!))
    .$if(actorId !== undefined, (q) => q.where('audit_log.actor_user_id', '=', actorId!))
    .$if(actorUnitIds !== undefined, (q) => q.where('audit_log.actor_user_id', 'in', (eb) =>
      eb.selectFrom('users as actors').select('actors.id').where('actors.unit_id', '=', sql<number>`ANY(${sql.val(actorUnitIds)}::integer[])`)))
    .$if(action !== undefined && 'exact' in action, (q) => q.where(actionC, '=', (action as { exact: string }).exact))
    .$if(action !== undefined && 'prefix' in action, (q) => {
      const { prefix } = action as { prefix: string };
      return q.where(actionC, '>=', prefix).where(actionC, '<', afterPrefix(prefix));
    })
    .$if(since !== undefined, (q) => q.where('audit_log.at', '>=', since!))
    .$if(until !== undefined, (q) => q.where('audit_log.at', '<', until!))
    .orderBy('audit_log.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows as AuditRow[];
}

/**
 * The distinct action codes in the trail. A loose index scan (one index probe per code, through
 * audit_log_action_id_idx) instead of DISTINCT over every row: a few dozen probes, not 200.000 rows.
 */
export async function listActionCodes(db: Database): Promise<string[]> {
  const result = await sql<{ action: string }>`
    WITH RECURSIVE codes AS (
      (SELECT action COLLATE "C" AS action FROM audit_log ORDER BY action COLLATE "C" LIMIT 1)
      UNION ALL
      SELECT (SELECT a.action COLLATE "C" FROM audit_log AS a WHERE a.action COLLATE "C" > codes.action ORDER BY a.action COLLATE "C" LIMIT 1)
      FROM codes WHERE codes.action IS NOT NULL
    )
    SELECT action FROM codes WHERE action IS NOT NULL`.execute(db);
  return result.rows.map((row) => row.action);
}

/** An account's id by its username (any role, disabled ones too: they acted once). */
export async function findUserIdByUsername(db: Database, username: string): Promise<number | undefined> {
  return (await db.selectFrom('users').select('id').where('username', '=', username.toLowerCase()).executeTakeFirst())?.id;
}

export async function unitExists(db: Database, unitId: number): Promise<boolean> {
  return (await db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst()) !== undefined;
}
