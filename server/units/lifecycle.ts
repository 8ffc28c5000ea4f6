// Whether a unit is still in force. A unit that ended (valid_to in the past: the 2025 mergers)
// keeps its records but receives nothing new; new records go to the unit that succeeded it.
import type { Database } from '../db/database.ts';
import { ValidationError, type FieldProblem } from '../errors.ts';
import { formatDate, todayInVietnam } from '../web/i18n/index.ts';
import { findEndedUnit, findSuccessorInForce } from './repository.ts';

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
  const unit = await findEndedUnit(db, unitId, today);
  if (!unit) return undefined;
  const successor = await findSuccessorInForce(db, unitId, today);
  return { unitId: unit.id, unitName: unit.name, endedOn: String(unit.valid_to), successor: successor ?? null };
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
