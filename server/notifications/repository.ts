// All SQL for notifications: who is told of an event (the users acting for a unit), the rows
// themselves, a reader's list and unread count, and the e-mail outbox the dispatcher drains.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { NotificationsTable } from '../db/schema.ts';
import type { Role } from '../auth/user.ts';
import { anyOf } from '../awards/repository.ts';

export type NotificationKind = NotificationsTable['kind'];
export type NotificationRow = Pick<Selectable<NotificationsTable>, 'id' | 'user_id' | 'kind' | 'params' | 'href' | 'created_at' | 'read_at'>;

export interface Recipient {
  id: number;
  email: string | null;
}

/**
 * The enabled accounts of a role whose scope holds the unit: their unit is the unit, a unit above it, or
 * the successor (2025 mergers) of one of those — the inverse of auth/scope.ts's tree, so whoever sees
 * and acts for the unit's records. One query for several units; answers the recipients of each unit.
 */
export async function usersActingFor(db: Database, role: Role, unitIds: readonly number[]): Promise<Map<number, Recipient[]>> {
  const byUnit = new Map<number, Recipient[]>(unitIds.map((id) => [id, []]));
  if (unitIds.length === 0) return byUnit;
  const { rows } = await sql<{ unit_id: number; id: number; email: string | null }>`
    WITH RECURSIVE up(unit_id, id) AS (
      SELECT u, u FROM unnest(${sql.val([...new Set(unitIds)])}::integer[]) AS u
      UNION
      SELECT up.unit_id, next.id
      FROM up JOIN units ON units.id = up.id
      CROSS JOIN LATERAL (VALUES (units.parent_id), (units.successor_id)) AS next(id)
      WHERE next.id IS NOT NULL
    )
    SELECT DISTINCT up.unit_id, users.id, CASE WHEN users.email_notifications THEN users.email END AS email
    FROM up JOIN users ON users.unit_id = up.id
    WHERE users.role = ${role} AND users.disabled_at IS NULL
    ORDER BY up.unit_id, users.id`.execute(db);
  for (const row of rows) byUnit.get(row.unit_id)?.push({ id: row.id, email: row.email });
  return byUnit;
}

/** Where each account's notifications are e-mailed (null: no address, or the user turned e-mails off), by id. */
export async function emailsOf(db: Database, userIds: readonly number[]): Promise<Map<number, string | null>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email', 'email_notifications']).where('id', '=', anyOf([...new Set(userIds)])).execute();
  return new Map(rows.map((row) => [row.id, row.email_notifications ? row.email : null]));
}

/** What a nomination event tells: the nominee, the round, the units, the return reason. */
export async function nominationFacts(db: Database, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select(['nominations.id', 'nominations.status', 'nominations.nominee_name', 'nominations.unit_id', 'nominations.forwarding_unit_id', 'nominations.return_reason', 'award_rounds.id as round_id', 'award_rounds.title as round_title', 'award_rounds.issuing_unit_id'])
    .where('nominations.id', '=', anyOf(ids))
    .orderBy('nominations.id')
    .execute();
}

export async function unitName(db: Database, id: number): Promise<string> {
  return (await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
}

/** A decision with its round, and the units of the nominations it names (one row per nomination). */
export async function decisionFacts(db: Database, decisionId: number) {
  const decision = await db
    .selectFrom('decisions')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select(['decisions.id', 'decisions.number_text', 'decisions.issuing_unit_id', 'award_rounds.id as round_id', 'award_rounds.title as round_title'])
    .where('decisions.id', '=', decisionId)
    .executeTakeFirstOrThrow();
  const nominations = await db.selectFrom('nominations').select(['id', 'unit_id']).where('decision_id', '=', decisionId).execute();
  return { decision, nominations };
}

export async function printJobFacts(db: Database, printJobId: number) {
  return db
    .selectFrom('print_jobs')
    .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
    .select(['print_jobs.id', 'print_jobs.created_by', 'print_jobs.total', 'decisions.id as decision_id', 'decisions.number_text'])
    .where('print_jobs.id', '=', printJobId)
    .executeTakeFirstOrThrow();
}

export type NewNotification = Pick<Insertable<NotificationsTable>, 'user_id' | 'kind' | 'params' | 'href' | 'email_status' | 'email_next_attempt_at'>;

/** Inserts notifications in statements of at most 1.000 rows (a large round's close writes many). */
export async function insertNotifications(trx: Database, rows: readonly NewNotification[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 1000) {
    await trx.insertInto('notifications').values(rows.slice(start, start + 1000)).execute();
  }
}

const listColumns = ['id', 'user_id', 'kind', 'params', 'href', 'created_at', 'read_at'] as const;

/** A reader's notifications, newest first, after a keyset cursor (the last id seen). */
export async function listNotifications(db: Database, userId: number, options: { unreadOnly: boolean; beforeId?: number; limit: number }): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .select(listColumns)
    .where('user_id', '=', userId)
    .$if(options.unreadOnly, (qb) => qb.where('read_at', 'is', null))
    .$if(options.beforeId !== undefined, (qb) => qb.where('id', '<', options.beforeId!))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
}

/** How many notifications the reader has (all, or unread only). */
export async function countNotifications(db: Database, userId: number, unreadOnly: boolean): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .$if(unreadOnly, (qb) => qb.where('read_at', 'is', null))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One of the reader's own notifications, or undefined (another user's is never found). */
export async function findNotification(db: Database, userId: number, id: number): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').select(listColumns).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

/** Marks the reader's notification read, once; answers whether this call marked it. */
export async function markRead(trx: Database, userId: number, id: number): Promise<boolean> {
  const result = await trx.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks every unread notification of the reader read; answers how many. */
export async function markAllRead(trx: Database, userId: number): Promise<number> {
  const result = await trx.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A pending e-mail claimed by the dispatcher, with its reader. */
export interface ClaimedEmail {
  id: number;
  kind: NotificationKind;
  params: Record<string, unknown>;
  href: string;
  created_at: Date;
  email_attempts: number;
  email: string | null;
  /** False: the user turned e-mails off after this one was queued. */
  wants_email: boolean;
  full_name: string;
  language: 'vi' | 'en';
  disabled: boolean;
}

/**
 * Claims up to `limit` e-mails that are due, for `leaseSeconds`: one statement that counts the attempt
 * and moves the row's next attempt past the lease, so no other process (SKIP LOCKED) nor this one
 * takes it again while it is being sent; a process that dies mid-send leaves it to be retried after the lease.
 */
export async function claimDueEmails(db: Database, limit: number, leaseSeconds: number): Promise<ClaimedEmail[]> {
  const { rows } = await sql<ClaimedEmail>`
    UPDATE notifications AS n
    SET email_attempts = n.email_attempts + 1, email_next_attempt_at = now() + make_interval(secs => ${leaseSeconds}::integer)
    FROM users
    WHERE users.id = n.user_id
      AND n.id IN (
        SELECT id FROM notifications
        WHERE email_status = 'pending' AND email_next_attempt_at <= now()
        ORDER BY email_next_attempt_at, id
        LIMIT ${limit}::integer
        FOR UPDATE SKIP LOCKED
      )
    RETURNING n.id, n.kind, n.params, n.href, n.created_at, n.email_attempts, users.email, users.email_notifications AS wants_email, users.full_name, users.language, users.disabled_at IS NOT NULL AS disabled`.execute(db);
  return rows;
}

/** Records the outcome of one send of a claimed e-mail (only while it is still pending). */
export async function settleEmail(db: Database, id: number, outcome: { status: 'sent' } | { status: 'none' | 'failed'; error: string } | { status: 'pending'; retryInSeconds: number; error: string }): Promise<void> {
  await db
    .updateTable('notifications')
    .set(
      outcome.status === 'sent'
        ? { email_status: 'sent', email_sent_at: sql<Date>`now()`, email_next_attempt_at: null, email_last_error: null }
        : outcome.status === 'pending'
          ? { email_next_attempt_at: sql<Date>`now() + make_interval(secs => ${outcome.retryInSeconds}::integer)`, email_last_error: outcome.error }
          : { email_status: outcome.status, email_next_attempt_at: null, email_last_error: outcome.error },
    )
    .where('id', '=', id)
    .where('email_status', '=', 'pending')
    .execute();
}
