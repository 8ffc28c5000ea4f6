// The audit trail: who did what, when, with the record before and after. Always called with the
// write's own transaction, so a change and its audit row commit or roll back together.
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

export interface Actor {
  userId: number | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

export const SYSTEM_ACTOR: Actor = { userId: null, ip: null };

export async function recordAction(trx: Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordActions(trx, actor, [entry]);
}

/** Password hashes and token hashes never reach the audit trail. */
function withoutSecrets(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of ['password_hash', 'passwordHash', 'password', 'token_hash']) delete copy[key];
  return copy;
}

/** Several audit rows of one action, in one statement (a batch: forwarding 500 nominations at once). */
export async function recordActions(trx: Transaction<DB>, actor: Actor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values(entries.map((entry) => ({
      actor_user_id: actor.userId,
      actor_ip: actor.ip,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      before: entry.before === undefined ? null : JSON.stringify(withoutSecrets(entry.before)),
      after: entry.after === undefined ? null : JSON.stringify(withoutSecrets(entry.after)),
    })))
    .execute();
}
