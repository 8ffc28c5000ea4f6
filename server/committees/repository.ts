// All SQL for committees: who sits on a body's committee, which accounts could, and the list's writes.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { scopedUnitIds, type UnitScope } from '../auth/scope.ts';

export interface CommitteeSeat {
  id: number;
  username: string;
  full_name: string;
  role: string;
  disabled_at: Date | null;
  unit_id: number;
  unit_name: string;
}

/** The accounts a body's committee lists, disabled ones included (they stay listed but do not vote). */
export async function listCommittee(db: Database, bodyId: number): Promise<CommitteeSeat[]> {
  return db
    .selectFrom('committee_members')
    .innerJoin('users', 'users.id', 'committee_members.user_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.full_name', 'users.role', 'users.disabled_at', 'users.unit_id', 'units.name as unit_name'])
    .where('committee_members.issuing_unit_id', '=', bodyId)
    .execute();
}

/** The accounts among `ids` the scope sees (by the account's unit), with what decides whether they may sit. */
export async function accountsInScope(db: Database, ids: readonly number[], scope: UnitScope) {
  if (ids.length === 0) return [];
  const unitIds = scopedUnitIds(scope);
  return db
    .selectFrom('users')
    .select(['id', 'role', 'disabled_at'])
    .where('id', '=', sql<number>`ANY(${sql.val(ids)}::integer[])`)
    .$if(unitIds !== null, (q) => q.where('unit_id', '=', sql<number>`ANY(${sql.val(unitIds)}::integer[])`))
    .execute();
}

/** Active member accounts the scope sees: who a committee form offers. */
export async function memberAccountsInScope(db: Database, scope: UnitScope): Promise<Omit<CommitteeSeat, 'disabled_at' | 'role'>[]> {
  const unitIds = scopedUnitIds(scope);
  return db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.full_name', 'users.unit_id', 'units.name as unit_name'])
    .where('users.role', '=', 'member')
    .where('users.disabled_at', 'is', null)
    .$if(unitIds !== null, (q) => q.where('users.unit_id', '=', sql<number>`ANY(${sql.val(unitIds)}::integer[])`))
    .limit(2000)
    .execute();
}

/** Whether the body's unit exists (a read, no lock). */
export async function bodyExists(db: Database, bodyId: number): Promise<boolean> {
  return (await db.selectFrom('units').select('id').where('id', '=', bodyId).executeTakeFirst()) !== undefined;
}

/** Locks the body's unit row, so two changes of one committee take turns; undefined when there is no such unit. */
export async function lockBody(trx: Database, bodyId: number) {
  return trx.selectFrom('units').select(['id', 'name']).where('id', '=', bodyId).forUpdate().executeTakeFirst();
}

/** Makes the committee exactly `userIds`: seats the new ones, unseats the others. */
export async function replaceCommittee(trx: Database, bodyId: number, userIds: readonly number[], addedBy: number | null): Promise<void> {
  let removal = trx.deleteFrom('committee_members').where('issuing_unit_id', '=', bodyId);
  if (userIds.length > 0) removal = removal.where('user_id', '<>', sql<number>`ALL(${sql.val(userIds)}::integer[])`);
  await removal.execute();
  if (userIds.length > 0) {
    await trx
      .insertInto('committee_members')
      .values(userIds.map((user_id) => ({ issuing_unit_id: bodyId, user_id, added_by: addedBy })))
      .onConflict((conflict) => conflict.columns(['issuing_unit_id', 'user_id']).doNothing())
      .execute();
  }
}
