// All SQL for user accounts (login lookups live in auth/repository.ts).
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { UsersTable } from '../db/schema.ts';
import { NotFoundError } from '../errors.ts';
import { scopedUnitIds, type UnitScope } from '../auth/scope.ts';

const userColumns = ['users.id', 'users.username', 'users.full_name', 'users.role', 'users.unit_id', 'users.language', 'users.email', 'users.email_notifications', 'users.disabled_at', 'users.created_at'] as const;
// The same columns, unqualified, for INSERT/UPDATE ... RETURNING.
const userReturning = ['id', 'username', 'full_name', 'role', 'unit_id', 'language', 'email', 'email_notifications', 'disabled_at', 'created_at'] as const;

/** An account as the service and the API see it (never its password hash). */
export type User = Pick<Selectable<UsersTable>, 'id' | 'username' | 'full_name' | 'role' | 'unit_id' | 'language' | 'email' | 'email_notifications' | 'disabled_at' | 'created_at'>;

export async function getUser(db: Database, id: number, scope: UnitScope): Promise<User> {
  const ids = scopedUnitIds(scope);
  const user = await db
    .selectFrom('users')
    .select(userColumns)
    .where('users.id', '=', id)
    .$if(ids !== null, (qb) => qb.where('users.unit_id', 'in', ids as number[]))
    .executeTakeFirst();
  if (!user) throw new NotFoundError();
  return user;
}

export async function lockUser(db: Database, id: number): Promise<User> {
  const user = await db.selectFrom('users').select(userColumns).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!user) throw new NotFoundError();
  return user;
}

export async function insertUser(trx: Database, values: Pick<Insertable<UsersTable>, 'username' | 'password_hash' | 'full_name' | 'role' | 'unit_id' | 'language' | 'email'>): Promise<User> {
  return trx.insertInto('users').values(values).returning(userReturning).executeTakeFirstOrThrow();
}

export async function updateUser(trx: Database, id: number, changes: Pick<Updateable<UsersTable>, 'full_name' | 'role' | 'unit_id' | 'language' | 'email' | 'email_notifications' | 'disabled_at' | 'password_hash'>): Promise<User> {
  return trx.updateTable('users').set({ ...changes, updated_at: new Date() }).where('id', '=', id).returning(userReturning).executeTakeFirstOrThrow();
}

/** Ends every session and API token of the account: they stop working on their next request. */
export async function endSessionsAndTokens(trx: Database, userId: number): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

export async function countUsers(db: Database): Promise<number> {
  return Number((await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

export async function usernameTaken(db: Database, username: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !== undefined;
}

export async function listUsers(db: Database, scope: UnitScope, page: { afterId?: number; limit?: number } = {}) {
  const ids = scopedUnitIds(scope);
  const base = db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .$if(ids !== null, (qb) => qb.where('users.unit_id', 'in', ids as number[]));
  const [rows, count] = await Promise.all([
    base
      .select([...userColumns, 'units.name as unit_name'])
      .$if(page.afterId !== undefined, (qb) => qb.where('users.id', '>', page.afterId as number))
      .orderBy('users.id')
      .$if(page.limit !== undefined, (qb) => qb.limit(page.limit as number))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** The stored password hash of an account, to check the current password before a change. */
export async function passwordHashOf(db: Database, id: number): Promise<string> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row.password_hash;
}
