// Unit scope: the units whose records a user may see. A user sees its own unit and every unit
// under it, including the units merged into them in 2025 (through `successor_id`), so "what is
// today An Giang" also covers Kiên Giang's past records. Administrators see everything.
// Every query on unit-owned records takes a scope; it comes from the session or token, never the request.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { SessionUser } from './user.ts';

export type UnitScope = { readonly all: true } | { readonly all: false; readonly unitIds: readonly number[] };

export const ALL_UNITS: UnitScope = Object.freeze({ all: true });

export async function loadUnitScope(db: Database, user: Pick<SessionUser, 'role' | 'unitId'>): Promise<UnitScope> {
  if (user.role === 'admin') return ALL_UNITS;
  return { all: false, unitIds: await unitAndEverythingUnder(db, user.unitId) };
}

/** The unit, the units under it, and the units merged into any of them, recursively. */
export async function unitAndEverythingUnder(db: Database, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE tree(id) AS (
      SELECT ${unitId}::integer
      UNION
      SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id OR units.successor_id = tree.id
    )
    SELECT id FROM tree ORDER BY id`.execute(db);
  return rows.map((row) => row.id);
}

export function scopeIncludes(scope: UnitScope, unitId: number | null | undefined): boolean {
  if (scope.all) return true;
  return unitId !== null && unitId !== undefined && scope.unitIds.includes(unitId);
}

/** The ids to filter by, or null when the scope is unrestricted. */
export function scopedUnitIds(scope: UnitScope): readonly number[] | null {
  return scope.all ? null : scope.unitIds;
}

/** The unit and the units above it: the bodies whose award rounds a user's unit takes part in. */
export async function unitAndEverythingAbove(db: Database, unitId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE chain(id, parent_id) AS (
      SELECT id, parent_id FROM units WHERE id = ${unitId}::integer
      UNION
      SELECT units.id, units.parent_id FROM units JOIN chain ON units.id = chain.parent_id
    )
    SELECT id FROM chain ORDER BY id`.execute(db);
  return rows.map((row) => row.id);
}
