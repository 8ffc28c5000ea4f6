// How a unit looks in the JSON API (camelCase, dates as YYYY-MM-DD), and as a choice of the unit picker.
import { formatDate, translate, type Language } from '../web/i18n/index.ts';
import { hasEnded, unitLabel } from './picker.ts';
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

/** One answer of the picker's search: what the combobox shows (name, state's code, parent, ended) and puts in the field. */
export function unitChoiceJson(unit: Unit & { parent_name: string | null }, language: Language) {
  const ended = hasEnded(unit);
  return {
    id: unit.id,
    label: unitLabel(unit),
    name: unit.name,
    code: unit.code,
    officialCode: unit.official_code,
    kind: unit.kind,
    kindName: translate(language, `unitKind.${unit.kind}`),
    parentName: unit.parent_name,
    validTo: unit.valid_to,
    ended,
    endedText: ended ? translate(language, 'unitPicker.endedOn', { date: formatDate(unit.valid_to) }) : null,
  };
}
