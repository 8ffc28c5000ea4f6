// All SQL for user accounts (login lookups live in auth/repository.ts).
import type { Database } from '../db/database.ts';
import { NotFoundError } from '../errors.ts';
import { scopedUnitIds, type UnitScope } from '../auth/scope.ts';

const userColumns = ['users.id', 'users.username', 'users.full_name', 'users.role', 'users.unit_id', 'users.language', 'users.disabled_at', 'users.created_at'] as const;

export async function getUser(db: Database, id: number, scope: UnitScope) {
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

export async function lockUser(db: Database, id: number) {
  const user = await db.selectFrom('users').select(userColumns).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!user) throw new NotFoundError();
  return user;
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
