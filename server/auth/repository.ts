// All SQL for accounts, API tokens and login failures.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Language } from '../web/i18n/index.ts';
import type { Role, SessionUser } from './user.ts';

export async function findUserForLogin(db: Database, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
}

/** An enabled user as a request sees it, or undefined when the account is gone or disabled. */
export async function findActiveSessionUser(db: Database, userId: number): Promise<SessionUser | undefined> {
  const row = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.full_name', 'users.role', 'users.unit_id', 'users.language', 'units.name as unit_name'])
    .where('users.id', '=', userId)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role as Role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    language: row.language as Language,
  };
}

export async function insertApiToken(db: Database, userId: number, tokenHash: string, expiresAt: Date) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

export async function findActiveToken(db: Database, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'last_used_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Marks a token used now, unless it was marked less than a minute ago (also by a simultaneous request). */
export async function touchApiToken(db: Database, tokenId: number) {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

export async function revokeApiToken(db: Database, tokenHash: string) {
  return db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('token_hash', '=', tokenHash).where('revoked_at', 'is', null).returning('id').executeTakeFirst();
}

export async function countRecentFailures(db: Database, username: string, ip: string, since: Date) {
  const row = await db
    .selectFrom('login_failures')
    .select([
      sql<number>`count(*) FILTER (WHERE username = ${username})`.as('for_account'),
      sql<number>`count(*) FILTER (WHERE ip = ${ip})`.as('for_address'),
    ])
    .where('failed_at', '>', since)
    .where((eb) => eb.or([eb('username', '=', username), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  return { forAccount: Number(row.for_account), forAddress: Number(row.for_address) };
}

export async function insertLoginFailure(db: Database, username: string, ip: string) {
  await db.insertInto('login_failures').values({ username, ip }).execute();
}

export async function deleteLoginFailures(db: Database, username: string) {
  await db.deleteFrom('login_failures').where('username', '=', username).execute();
}
