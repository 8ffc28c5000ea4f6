// Unit scope: the units whose records a user may see. A user sees its own unit and every unit
// under it, including the units merged into them in 2025 (through `successor_id`), so "what is
// today An Giang" also covers Kiên Giang's past records; the centre (sql/0016) has every province
// under it, so its users see the whole country. Administrators see everything.
// Every query on unit-owned records takes a scope; it comes from the session or token, never the request.
import type { Database } from '../db/database.ts';
import { forgetRemembered, remember } from '../db/memo.ts';
import { selectUnitAndEverythingAbove, selectUnitAndEverythingUnder } from './repository.ts';
import type { SessionUser } from './user.ts';

export type UnitScope = { readonly all: true } | { readonly all: false; readonly unitIds: readonly number[] };

export const ALL_UNITS: UnitScope = Object.freeze({ all: true });

export async function loadUnitScope(db: Database, user: Pick<SessionUser, 'role' | 'unitId'>): Promise<UnitScope> {
  if (user.role === 'admin') return ALL_UNITS;
  return { all: false, unitIds: await unitAndEverythingUnder(db, user.unitId) };
}

// The recursive query costs 2-3 ms on every request, and the unit tree changes a few times a year,
// so each unit's tree is kept in this process (server/db/memo.ts): a unit written here clears it
// (forgetUnitTrees), another process's change is seen after the TTL.
const TREE_TTL_MS = 30_000;

/** The unit, the units under it, and the units merged into any of them, recursively. */
export function unitAndEverythingUnder(db: Database, unitId: number): Promise<readonly number[]> {
  return remember(db, `tree:${unitId}`, TREE_TTL_MS, () => selectUnitAndEverythingUnder(db, unitId).then((found) => Object.freeze(found)));
}

/**
 * Forgets every cached unit tree (and whatever else was remembered of the units): call after a unit
 * write has committed. A query still running from before belongs to the dropped cache, so a stale tree is never kept.
 */
export function forgetUnitTrees(): void {
  forgetRemembered();
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
  return selectUnitAndEverythingAbove(db, unitId);
}
