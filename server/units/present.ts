// How a unit looks in the JSON API (camelCase, dates as YYYY-MM-DD).
import type { Unit } from './repository.ts';

export function unitJson(unit: Unit) {
  return {
    id: unit.id,
    code: unit.code,
    name: unit.name,
    kind: unit.kind,
    blockCode: unit.block_code,
    parentId: unit.parent_id,
    validFrom: unit.valid_from,
    validTo: unit.valid_to,
    successorId: unit.successor_id,
    officialCode: unit.official_code,
  };
}
