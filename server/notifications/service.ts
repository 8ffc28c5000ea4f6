// Notifications: who is told of what, written inside the event's own transaction (so a notification
// and its event commit or roll back together), and the reader's own list. A notification stores a
// kind, its parameters and the page it links to; present.ts turns it into the reader's language.
// The e-mail is not sent here: the row is its outbox entry (mailer.ts sends it after the commit).
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { recordAction, type Actor } from '../audit/audit.ts';
import { NotFoundError } from '../errors.ts';
import * as repository from './repository.ts';
import type { NewNotification, NotificationKind, NotificationRow } from './repository.ts';

/** What happened, as the services that make it happen say it; each carries who acted (not told of their own act). */
export type NotificationEvent =
  /** Nominations returned to their keepers with a reason. */
  | { kind: 'nominations_returned'; nominationIds: readonly number[]; actorId: number | null }
  /** Nominations whose round closed: each approved or rejected, as stored. */
  | { kind: 'round_outcomes'; nominationIds: readonly number[]; actorId: number | null }
  /** Twins sent up to a round of a body above (new or sent again). */
  | { kind: 'nominations_forwarded'; twinIds: readonly number[]; actorId: number | null }
  | { kind: 'decision_issued'; decisionId: number; actorId: number | null }
  | { kind: 'print_job_done'; printJobId: number };

type Params = Record<string, string | number | boolean | null>;

interface Draft {
  userId: number;
  kind: NotificationKind;
  params: Params;
  href: string;
}

/** Writes the notifications of an event for the users it concerns; call it inside the event's transaction. */
export async function notify(trx: Transaction<DB>, event: NotificationEvent): Promise<number> {
  const drafts = await draftsFor(trx, event);
  const actorId = 'actorId' in event ? event.actorId : null;
  const told = drafts.filter((draft) => draft.userId !== actorId);
  if (told.length === 0) return 0;
  const emails = await repository.emailsOf(trx, told.map((draft) => draft.userId));
  await repository.insertNotifications(trx, told.map((draft): NewNotification => {
    const hasEmail = Boolean(emails.get(draft.userId));
    return { user_id: draft.userId, kind: draft.kind, params: JSON.stringify(draft.params), href: draft.href, email_status: hasEmail ? 'pending' : 'none', email_next_attempt_at: hasEmail ? new Date() : null };
  }));
  return told.length;
}

async function draftsFor(trx: Transaction<DB>, event: NotificationEvent): Promise<Draft[]> {
  switch (event.kind) {
    case 'nominations_returned':
    case 'round_outcomes':
      return nominationDrafts(trx, event.nominationIds);
    case 'nominations_forwarded':
      return forwardedDrafts(trx, event.twinIds);
    case 'decision_issued':
      return decisionDrafts(trx, event.decisionId);
    case 'print_job_done':
      return printJobDrafts(trx, event.printJobId);
  }
}

const OUTCOME_KINDS = { returned: 'nomination_returned', approved: 'nomination_approved', rejected: 'nomination_rejected' } as const;

/**
 * A nomination returned, approved or rejected tells the agency staff of its unit; a twin forwarded from
 * below tells the secretariat of the body that forwarded it instead (they keep it, API.md Levels).
 */
async function nominationDrafts(trx: Transaction<DB>, ids: readonly number[]): Promise<Draft[]> {
  const facts = (await repository.nominationFacts(trx, ids)).filter((n) => n.status in OUTCOME_KINDS);
  const agencies = await repository.usersActingFor(trx, 'agency', facts.filter((n) => n.forwarding_unit_id === null).map((n) => n.unit_id));
  const secretariats = await repository.usersActingFor(trx, 'secretary', facts.flatMap((n) => (n.forwarding_unit_id === null ? [] : [n.forwarding_unit_id])));
  return facts.flatMap((n) => {
    const keepers = n.forwarding_unit_id === null ? agencies.get(n.unit_id) : secretariats.get(n.forwarding_unit_id);
    const params: Params = { nominationId: n.id, nomineeName: n.nominee_name, roundId: n.round_id, roundTitle: n.round_title, forwarded: n.forwarding_unit_id !== null };
    if (n.status === 'returned') params.reason = n.return_reason;
    return (keepers ?? []).map((user) => ({ userId: user.id, kind: OUTCOME_KINDS[n.status as keyof typeof OUTCOME_KINDS], params, href: `/nominations/${n.id}` }));
  });
}

/** Twins sent up tell the secretariat of the upper body: one notification per round and forwarding body, not per twin. */
async function forwardedDrafts(trx: Transaction<DB>, twinIds: readonly number[]): Promise<Draft[]> {
  const twins = await repository.nominationFacts(trx, twinIds);
  const groups = new Map<string, typeof twins>();
  for (const twin of twins) {
    const key = `${twin.round_id}:${twin.forwarding_unit_id}`;
    groups.set(key, [...(groups.get(key) ?? []), twin]);
  }
  const secretariats = await repository.usersActingFor(trx, 'secretary', [...new Set(twins.map((twin) => twin.issuing_unit_id))]);
  const drafts: Draft[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const params: Params = {
      count: group.length, roundId: first.round_id, roundTitle: first.round_title,
      fromUnitName: first.forwarding_unit_id === null ? null : await repository.unitName(trx, first.forwarding_unit_id),
      nominationId: group.length === 1 ? first.id : null, nomineeName: group.length === 1 ? first.nominee_name : null,
    };
    const href = group.length === 1 ? `/nominations/${first.id}` : `/awards/${first.round_id}?status=submitted`;
    for (const user of secretariats.get(first.issuing_unit_id) ?? []) drafts.push({ userId: user.id, kind: 'nominations_forwarded', params, href });
  }
  return drafts;
}

/**
 * A decision tells the agency staff of every unit with a nominee in it, once each, with how many of
 * their units' nominees it awards, and the printers who print for its body.
 */
async function decisionDrafts(trx: Transaction<DB>, decisionId: number): Promise<Draft[]> {
  const { decision, nominations } = await repository.decisionFacts(trx, decisionId);
  const base = { decisionId: decision.id, decisionNumber: decision.number_text, roundId: decision.round_id, roundTitle: decision.round_title };
  const href = `/decisions/${decision.id}`;
  const agencies = await repository.usersActingFor(trx, 'agency', nominations.map((n) => n.unit_id));
  const awarded = new Map<number, Set<number>>();
  for (const nomination of nominations) {
    for (const user of agencies.get(nomination.unit_id) ?? []) awarded.set(user.id, (awarded.get(user.id) ?? new Set()).add(nomination.id));
  }
  const printers = (await repository.usersActingFor(trx, 'printer', [decision.issuing_unit_id])).get(decision.issuing_unit_id) ?? [];
  return [
    ...[...awarded].map(([userId, ids]) => ({ userId, kind: 'decision_issued' as const, params: { ...base, audience: 'agency', count: ids.size }, href })),
    ...printers.map((user) => ({ userId: user.id, kind: 'decision_issued' as const, params: { ...base, audience: 'printer', count: nominations.length }, href })),
  ];
}

/** A finished print job tells whoever asked for it. */
async function printJobDrafts(trx: Transaction<DB>, printJobId: number): Promise<Draft[]> {
  const job = await repository.printJobFacts(trx, printJobId);
  if (job.created_by === null) return [];
  return [{ userId: job.created_by, kind: 'print_job_done', params: { printJobId: job.id, decisionId: job.decision_id, decisionNumber: job.number_text, count: job.total }, href: `/print-jobs/${job.id}` }];
}

// The reader's side: each reader sees only their own notifications.

export interface NotificationPage {
  items: NotificationRow[];
  /** The id to continue after (older ones), or null on the last page. */
  nextBeforeId: number | null;
  total: number;
  unread: number;
}

/** The reader's notifications, newest first, `limit` a page. */
export async function listForReader(db: Database, userId: number, options: { unreadOnly: boolean; beforeId?: number; limit: number }): Promise<NotificationPage> {
  const [rows, total, unread] = await Promise.all([
    repository.listNotifications(db, userId, { ...options, limit: options.limit + 1 }),
    repository.countNotifications(db, userId, options.unreadOnly),
    repository.countNotifications(db, userId, true),
  ]);
  const items = rows.slice(0, options.limit);
  return { items, nextBeforeId: rows.length > options.limit ? items[items.length - 1]!.id : null, total, unread };
}

/** The bell's figure: one count on the partial index of unread rows. */
export function unreadCount(db: Database, userId: number): Promise<number> {
  return repository.countNotifications(db, userId, true);
}

/** Marks one of the reader's own notifications read (again: no change); another user's is not found. */
export async function markNotificationRead(db: Database, reader: { userId: number; actor: Actor }, id: number): Promise<NotificationRow> {
  return db.transaction().execute(async (trx) => {
    if (await repository.markRead(trx, reader.userId, id)) {
      await recordAction(trx, reader.actor, { action: 'notification.read', entityType: 'notification', entityId: id });
    }
    const notification = await repository.findNotification(trx, reader.userId, id);
    if (!notification) throw new NotFoundError();
    return notification;
  });
}

/** Marks every unread notification of the reader read; answers how many. */
export async function markAllNotificationsRead(db: Database, reader: { userId: number; actor: Actor }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const count = await repository.markAllRead(trx, reader.userId);
    if (count > 0) await recordAction(trx, reader.actor, { action: 'notification.read_all', entityType: 'user', entityId: reader.userId, after: { count } });
    return count;
  });
}
