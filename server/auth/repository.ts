// All SQL for accounts, API tokens, login failures and the unit trees that scopes are made of.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SessionUser } from './user.ts';

export async function findUserForLogin(db: Database, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'disabled_at'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
}

/** Enabled accounts with their unit's name, and for a page the bell's unread count: what a request's user is made of. */
function activeUsers(db: Database, withUnread: boolean) {
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.full_name', 'users.role', 'users.unit_id', 'users.language', 'units.name as unit_name'])
    // A page's bell, in the same round trip as its user (one query fewer on every page).
    .select((withUnread ? sql<string | null>`(SELECT count(*) FROM notifications WHERE notifications.user_id = users.id AND notifications.read_at IS NULL)` : sql<string | null>`NULL`).as('unread'))
    .where('users.disabled_at', 'is', null);
}

type ActiveUserRow = { id: number; username: string; full_name: string; role: SessionUser['role']; unit_id: number; language: SessionUser['language']; unit_name: string; unread: string | number | null };

function sessionUserOf(row: ActiveUserRow): SessionUser {
  return {
    id: row.id,
    username: row.username,
    fullName: row.full_name,
    role: row.role,
    unitId: row.unit_id,
    unitName: row.unit_name,
    language: row.language,
    ...(row.unread !== null ? { unreadNotifications: Number(row.unread) } : {}),
  };
}

/** The columns of `activeUsers(...).as('account')` left-joined to a session or a token. */
const ACCOUNT_COLUMNS = ['account.id', 'account.username', 'account.full_name', 'account.role', 'account.unit_id', 'account.language', 'account.unit_name', 'account.unread'] as const;

/** The joined account as a request's user; null when no active account matched. */
function accountOf(row: { [column in keyof ActiveUserRow]: ActiveUserRow[column] | null }): SessionUser | null {
  return row.id === null ? null : sessionUserOf(row as ActiveUserRow);
}

/** An enabled user as a request sees it, or undefined when the account is gone or disabled. */
export async function findActiveSessionUser(db: Database, userId: number, options: { withUnread?: boolean } = {}): Promise<SessionUser | undefined> {
  const row = await activeUsers(db, options.withUnread === true).where('users.id', '=', userId).executeTakeFirst();
  return row ? sessionUserOf(row as ActiveUserRow) : undefined;
}

/**
 * A page's session (unexpired) and its signed-in user, active, with the bell's count, in one round
 * trip: `userId` is the account the row names, `user` null when it names none or the account is disabled or gone.
 */
export async function findSessionWithUser(db: Database, sid: string, now: Date): Promise<{ data: unknown; userId: number | null; user: SessionUser | null } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .leftJoin(activeUsers(db, true).as('account'), 'account.id', 'sessions.user_id')
    .select(['sessions.data', 'sessions.user_id', ...ACCOUNT_COLUMNS])
    .where('sessions.sid', '=', sid)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  return { data: row.data, userId: row.user_id, user: accountOf(row) };
}

export async function insertApiToken(db: Database, userId: number, tokenHash: string, expiresAt: Date) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: tokenHash, expires_at: expiresAt })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow();
}

/** An unexpired, unrevoked token and its active user, in one round trip (the user null when disabled or gone). */
export async function findActiveToken(db: Database, tokenHash: string) {
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin(activeUsers(db, false).as('account'), 'account.id', 'api_tokens.user_id')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at', ...ACCOUNT_COLUMNS])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', new Date())
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.token_id, last_used_at: row.last_used_at, user: accountOf(row) };
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

// Two-key advisory locks: a key space of their own, apart from pg-boss's one-key locks.
const ADDRESS_LOCK = 0x4c6f6741; // "LogA"
const ACCOUNT_LOCK = 0x4c6f6755; // "LogU"

/**
 * Serialises the login attempts of one address and of one account until the transaction ends, so
 * counting the failures and writing the new attempt is one step. Always the address first, then the
 * account: two attempts never hold one lock each while waiting for the other's.
 */
export async function lockLoginKeys(trx: Database, username: string, ip: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${ADDRESS_LOCK}::integer, hashtext(${ip}::text))`.execute(trx);
  await sql`SELECT pg_advisory_xact_lock(${ACCOUNT_LOCK}::integer, hashtext(${username}::text))`.execute(trx);
}

export interface RecentFailures {
  now: Date;
  forAddress: number;
  /** When the failure that put the address at its limit happened (null below the limit). */
  addressLimitAt: Date | null;
  forAccount: number;
  accountLimitAt: Date | null;
  forPair: number;
  pairLastAt: Date | null;
  /** The account logged in successfully from this address recently. */
  knownAddress: boolean;
}

export interface FailureWindows {
  windowMinutes: number;
  maxPerAccount: number;
  maxPerAddress: number;
  pairMemoryHours: number;
  knownAddressDays: number;
}

/** Failures (and attempts still being checked) of the account and of the address; forgets the oldest. */
export async function recentLoginFailures(trx: Database, username: string, ip: string, limits: FailureWindows): Promise<RecentFailures> {
  const keepMinutes = Math.max(limits.windowMinutes, limits.pairMemoryHours * 60);
  await trx
    .deleteFrom('login_failures')
    .where((eb) => eb.or([eb('username', '=', username), eb('ip', '=', ip)]))
    .where('failed_at', '<', sql<Date>`now() - make_interval(mins => ${keepMinutes}::integer)`)
    .execute();
  const inWindow = sql`failed_at > now() - make_interval(mins => ${limits.windowMinutes}::integer)`;
  const { rows } = await sql<{
    now: Date;
    for_address: number;
    address_limit_at: Date | null;
    for_account: number;
    account_limit_at: Date | null;
    for_pair: number;
    pair_last_at: Date | null;
    known_address: boolean;
  }>`
    SELECT now() AS now,
      count(*) FILTER (WHERE ip = ${ip} AND ${inWindow}) AS for_address,
      (array_agg(failed_at ORDER BY failed_at DESC) FILTER (WHERE ip = ${ip} AND ${inWindow}))[${limits.maxPerAddress}::integer] AS address_limit_at,
      count(*) FILTER (WHERE username = ${username} AND ${inWindow}) AS for_account,
      (array_agg(failed_at ORDER BY failed_at DESC) FILTER (WHERE username = ${username} AND ${inWindow}))[${limits.maxPerAccount}::integer] AS account_limit_at,
      count(*) FILTER (WHERE username = ${username} AND ip = ${ip}) AS for_pair,
      max(failed_at) FILTER (WHERE username = ${username} AND ip = ${ip}) AS pair_last_at,
      EXISTS (
        SELECT 1 FROM login_known_addresses
        WHERE username = ${username} AND ip = ${ip} AND last_success_at > now() - make_interval(days => ${limits.knownAddressDays}::integer)
      ) AS known_address
    FROM login_failures
    WHERE username = ${username} OR ip = ${ip}`.execute(trx);
  const row = rows[0];
  if (!row) throw new Error('the failure count returned no row');
  return {
    now: row.now,
    forAddress: Number(row.for_address),
    addressLimitAt: row.address_limit_at,
    forAccount: Number(row.for_account),
    accountLimitAt: row.account_limit_at,
    forPair: Number(row.for_pair),
    pairLastAt: row.pair_last_at,
    knownAddress: row.known_address,
  };
}

/** Writes an attempt before its password is checked: it counts as a failure until it succeeds. */
export async function insertLoginAttempt(trx: Database, username: string, ip: string): Promise<void> {
  await trx.insertInto('login_failures').values({ username, ip }).execute();
}

/** A successful login: the failures of this (account, address) pair are forgiven and the address is known. */
export async function recordLoginSuccess(trx: Database, username: string, ip: string, knownAddressDays: number): Promise<void> {
  await trx.deleteFrom('login_failures').where('username', '=', username).where('ip', '=', ip).execute();
  await trx
    .insertInto('login_known_addresses')
    .values({ username, ip })
    .onConflict((oc) => oc.columns(['username', 'ip']).doUpdateSet({ last_success_at: sql<Date>`now()` }))
    .execute();
  await trx
    .deleteFrom('login_known_addresses')
    .where('username', '=', username)
    .where('last_success_at', '<', sql<Date>`now() - make_interval(days => ${knownAddressDays}::integer)`)
    .execute();
}

/** The unit, the units under it, and the units merged into any of them, recursively, by id (auth/scope.ts caches it). */
export async function selectUnitAndEverythingUnder(db: Database, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE tree(id) AS (
      SELECT ${unitId}::integer
      UNION
      SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id OR units.successor_id = tree.id
    )
    SELECT id FROM tree ORDER BY id`.execute(db);
  return rows.map((row) => row.id);
}

/** The unit and the units above it (following parents), by id. */
export async function selectUnitAndEverythingAbove(db: Database, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE chain(id, parent_id) AS (
      SELECT id, parent_id FROM units WHERE id = ${unitId}::integer
      UNION
      SELECT units.id, units.parent_id FROM units JOIN chain ON units.id = chain.parent_id
    )
    SELECT id FROM chain ORDER BY id`.execute(db);
  return rows.map((row) => row.id);
}

/** The issuing bodies whose committee lists the account. */
export async function selectCommitteeBodies(db: Database, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('committee_members').select('issuing_unit_id').where('user_id', '=', userId).orderBy('issuing_unit_id').execute();
  return rows.map((row) => row.issuing_unit_id);
}
