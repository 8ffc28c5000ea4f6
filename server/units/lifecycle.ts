// Whether a unit is still in force. A unit that ended (valid_to in the past: the 2025 mergers)
// keeps its records but receives nothing new; new records go to the unit that succeeded it.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { ValidationError, type FieldProblem } from '../errors.ts';
import { formatDate, todayInVietnam } from '../web/i18n/index.ts';

export interface UnitEnd {
  unitId: number;
  unitName: string;
  /** The last day the unit was in force, YYYY-MM-DD. */
  endedOn: string;
  /** The unit in force today that took it over (following successors), or null when none is recorded. */
  successor: { id: number; code: string; name: string } | null;
}

/** How a unit ended, or undefined when it is in force (or does not exist). Days are Vietnamese calendar days. */
export async function findUnitEnd(db: Database, unitId: number, today: string = todayInVietnam()): Promise<UnitEnd | undefined> {
  const unit = await db.selectFrom('units').select(['id', 'name', 'valid_to']).where('id', '=', unitId).where('valid_to', '<', today).executeTakeFirst();
  if (!unit) return undefined;
  // A successor may itself have been merged since: follow the chain to the unit in force (UNION stops a cycle).
  const { rows } = await sql<{ id: number; code: string; name: string; in_force: boolean; depth: number }>`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT successor_id, 1 FROM units WHERE id = ${unitId}::integer AND successor_id IS NOT NULL
      UNION
      SELECT units.successor_id, chain.depth + 1 FROM units JOIN chain ON units.id = chain.id
      WHERE units.successor_id IS NOT NULL AND chain.depth < 20
    )
    SELECT units.id, units.code, units.name, (units.valid_to IS NULL OR units.valid_to >= ${today}::date) AS in_force, chain.depth
    FROM chain JOIN units ON units.id = chain.id
    ORDER BY in_force DESC, chain.depth
    LIMIT 1`.execute(db);
  const successor = rows[0];
  return { unitId: unit.id, unitName: unit.name, endedOn: String(unit.valid_to), successor: successor ? { id: successor.id, code: successor.code, name: successor.name } : null };
}

/** The 422 detail for a record given to an ended unit: reason `unit_ended`, naming the successor. */
export function unitEndedDetail(end: UnitEnd, field = 'unitId'): FieldProblem {
  const params = { unit: end.unitName, endedOn: formatDate(end.endedOn), successor: end.successor ? `${end.successor.name} (${end.successor.code})` : '' };
  return { field, reason: 'unit_ended', key: end.successor ? 'error.unit_ended' : 'error.unit_ended_no_successor', params };
}

/**
 * Refuses a new record (a model, a nomination) for a unit that ended: 422 on `field` with reason
 * `unit_ended`, the message naming the successor. Editing the unit's existing records stays allowed.
 */
export async function assertUnitAcceptsNewRecords(db: Database, unitId: number, field = 'unitId'): Promise<void> {
  const end = await findUnitEnd(db, unitId);
  if (end) throw new ValidationError([unitEndedDetail(end, field)]);
}
