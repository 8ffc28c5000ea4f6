// The one unit picker of every form that chooses a unit (a model's unit, a nomination's, a round's
// issuing body, a user's, a unit's parent and successor, the list and report filters): what the
// page shows, and how what the form sent becomes a unit id before the form's schema sees it.
//
// Without JavaScript it still works, and this is the simplest way that does:
// - a scope of at most SELECT_MAX_UNITS units is a plain <select>, as before (an agency, a district);
// - a larger one (an administrator: ~3.400 units) is a text field holding the chosen unit's
//   "Name (CODE)" beside a hidden field with its id. Whatever is typed there is resolved here on
//   submit: the unchanged label keeps its id, a code (ours or the state's 5-digit one) or a name that
//   matches one unit picks it, and several matches re-show the form with them in a short <select>
//   to choose from. A <select> of a "sensible set" with a search link was the other way: it would
//   leave a POST form half filled, and no set suits both Hà Nội's and Cà Mau's clerks.
// With JavaScript (views/assets/unit-picker.js) the text field becomes a combobox that asks
// GET /units/search as one types and fills both fields; the server resolves the same two fields.
import type { Database } from '../db/database.ts';
import { scopeIncludes, type UnitScope } from '../auth/scope.ts';
import type { FieldProblem } from '../errors.ts';
import { formatDate, todayInVietnam, translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import * as repository from './repository.ts';
import { remember } from '../db/memo.ts';

/** Up to this many units the picker is a plain <select>; beyond, a search. */
export const SELECT_MAX_UNITS = 200;

/** The most units one search answers (and the most a re-shown form offers to choose from). */
export const SEARCH_LIMIT = 20;

export interface UnitPickerSpec {
  /** The form field that carries the unit's id: unitId, parentId, issuingUnitId... */
  name: string;
  /** The field's label, for the messages. */
  label: MessageKey;
  /** Whether units that have ended (valid_to in the past: the 2025 mergers) are offered. */
  includeEnded: boolean;
  /** Only units of these kinds; every kind when absent. */
  kinds?: readonly repository.Unit['kind'][];
}

/** The field holding what is typed, and the short list a re-shown form offers, beside the id field. */
export const textField = (name: string) => `${name}Text`;
export const choiceField = (name: string) => `${name}Choice`;

interface Option {
  value: string;
  label: string;
}

export type UnitPickerView =
  | { mode: 'select'; options: Option[] }
  | { mode: 'search'; id: string; text: string; textName: string; choiceName: string; candidates: Option[]; searchUrl: string };

type PickedUnit = Pick<repository.Unit, 'id' | 'code' | 'name' | 'valid_to'>;

/** What the text field shows for a chosen unit, and what the server recognises again: "Phường Rạch Giá (VN-91.30742)". */
export function unitLabel(unit: Pick<repository.Unit, 'code' | 'name'>): string {
  return `${unit.name} (${unit.code})`;
}

/** True when the unit ended before today (Vietnam's date), as the 2025 mergers did. */
export function hasEnded(unit: Pick<repository.Unit, 'valid_to'>, today = todayInVietnam()): boolean {
  return unit.valid_to !== null && unit.valid_to < today;
}

/** An option's text: the label, and for an ended unit the day it ended. */
export function optionLabel(language: Language, unit: PickedUnit, today?: string): string {
  return hasEnded(unit, today) ? `${unitLabel(unit)} — ${translate(language, 'unitPicker.endedOn', { date: formatDate(unit.valid_to) })}` : unitLabel(unit);
}

/** The URL the combobox asks, with the spec's filters; the script adds `q`. */
function searchUrl(spec: UnitPickerSpec): string {
  const query = new URLSearchParams({ includeEnded: spec.includeEnded ? '1' : '0' });
  for (const kind of spec.kinds ?? []) query.append('kind', kind);
  return `/units/search?${query.toString()}`;
}

const idOf = (value: unknown): number | undefined => {
  const id = typeof value === 'string' && /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : typeof value === 'number' ? value : undefined;
  return id !== undefined && Number.isSafeInteger(id) && id > 0 ? id : undefined;
};

const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value.normalize('NFC').trim().slice(0, 200) : undefined);

/** A unit in the caller's scope, by id. */
async function unitInScope(db: Database, scope: UnitScope, id: number | undefined): Promise<PickedUnit | undefined> {
  return id === undefined ? undefined : repository.findUnit(db, id, scope);
}

type Match = { unit: PickedUnit } | { candidates: PickedUnit[] };

/**
 * The units a typed text names, in the caller's scope: "Name (CODE)" or a code of ours by that code,
 * the state's code or a name when it matches one unit (or one exactly among several), else every match.
 */
async function match(db: Database, scope: UnitScope, spec: UnitPickerSpec, text: string, choice: number | undefined): Promise<Match> {
  const code = /\(([^()]+)\)$/.exec(text)?.[1] ?? text;
  const byCode = /^[\p{L}\d._-]+$/u.test(code) ? await repository.findUnitByCode(db, code.toUpperCase()) : undefined;
  if (byCode && scopeIncludes(scope, byCode.id) && (!spec.kinds || spec.kinds.includes(byCode.kind))) return { unit: byCode };
  const found = await repository.searchUnits(db, scope, { q: text, includeEnded: spec.includeEnded, kinds: spec.kinds, limit: SEARCH_LIMIT + 1 });
  const exactCode = found.filter((unit) => unit.official_code === text);
  const matches = exactCode.length > 0 ? exactCode : found;
  const chosen = matches.find((unit) => unit.id === choice);
  if (chosen) return { unit: chosen };
  if (matches.length === 1 && matches[0]) return { unit: matches[0] };
  const sameName = matches.filter((unit) => repository.foldName(unit.name) === repository.foldName(text));
  if (sameName.length === 1 && sameName[0]) return { unit: sameName[0] };
  return { candidates: matches.slice(0, SEARCH_LIMIT) };
}

export interface PreparedPicks {
  /** What the form's schema validates: each picker's id field set, its text and choice fields gone. */
  body: Record<string, unknown>;
  /** What a re-shown form shows: the same, with the text of a picker that found no single unit. */
  values: Record<string, unknown>;
  /** A picker whose text named no unit, or several. */
  problems: FieldProblem[];
}

/**
 * Turns each picker's fields as sent into the unit's id. A form from a <select> (no text field) is
 * left as it is; the services check scope and whether the unit may be chosen, as for the API.
 */
export async function resolveUnitPicks(db: Database, scope: UnitScope, specs: readonly UnitPickerSpec[], sent: Record<string, unknown>): Promise<PreparedPicks> {
  const body: Record<string, unknown> = { ...sent };
  const values: Record<string, unknown> = { ...sent };
  const problems: FieldProblem[] = [];
  for (const spec of specs) {
    const text = textOf(sent[textField(spec.name)]);
    const choice = idOf(sent[choiceField(spec.name)]);
    delete body[textField(spec.name)];
    delete body[choiceField(spec.name)];
    delete values[choiceField(spec.name)];
    if (text === undefined) continue; // a <select>, or a client that sends the id alone
    if (text === '') {
      body[spec.name] = values[spec.name] = '';
      continue;
    }
    const shown = await unitInScope(db, scope, idOf(sent[spec.name]));
    if (shown && unitLabel(shown) === text) continue; // the label as the page (or the script) left it
    const found = await match(db, scope, spec, text, choice);
    if ('unit' in found) {
      body[spec.name] = values[spec.name] = String(found.unit.id);
      values[textField(spec.name)] = unitLabel(found.unit);
      continue;
    }
    body[spec.name] = values[spec.name] = '';
    const several = found.candidates.length > 1;
    problems.push({
      field: spec.name,
      reason: several ? 'ambiguous_reference' : 'unknown_reference',
      key: several ? 'unitPicker.several' : 'unitPicker.noMatch',
      params: { label: { key: spec.label }, text },
    });
  }
  return { body, values, problems };
}

/** As long as a unit tree is remembered (server/auth/scope.ts). */
const PICKER_TTL_MS = 30_000;

/**
 * Each picker as the page shows it, from the form's values: a <select> of the units in scope when
 * there are few, else the search field with the chosen unit's label (or what was typed, and the
 * units it matched when it matched several).
 */
export async function unitPickerViews(db: Database, scope: UnitScope, language: Language, specs: readonly UnitPickerSpec[], values: Record<string, unknown>): Promise<Record<string, UnitPickerView>> {
  const views: Record<string, UnitPickerView> = {};
  const lists = new Map<string, Awaited<ReturnType<typeof repository.listUnits>>>();
  for (const spec of specs) {
    const key = `${spec.includeEnded}:${(spec.kinds ?? []).join(',')}`;
    let list = lists.get(key);
    if (!list) {
      // The same list on every page of a scope: remembered with the scope's tree, whose list of ids it is
      // kept under (a unit written here forgets both). The whole country's is read each time.
      const filter = { includeEnded: spec.includeEnded, kinds: spec.kinds, limit: SELECT_MAX_UNITS + 1 };
      const load = () => repository.listUnits(db, scope, filter);
      list = await (scope.all ? load() : remember(scope.unitIds, `picker:${key}`, PICKER_TTL_MS, load));
      lists.set(key, list);
    }
    const chosen = await unitInScope(db, scope, idOf(values[spec.name]));
    if (list.total <= SELECT_MAX_UNITS) {
      const today = todayInVietnam();
      const options = list.rows.map((unit) => ({ value: String(unit.id), label: optionLabel(language, unit, today) }));
      // A unit chosen before it ended stays shown, so saving the form again does not change it silently.
      if (chosen && !list.rows.some((unit) => unit.id === chosen.id)) options.unshift({ value: String(chosen.id), label: optionLabel(language, chosen) });
      views[spec.name] = { mode: 'select', options };
      continue;
    }
    const typed = textOf(values[textField(spec.name)]) ?? '';
    const found = !chosen && typed ? await match(db, scope, spec, typed, undefined) : undefined;
    views[spec.name] = {
      mode: 'search',
      id: chosen ? String(chosen.id) : '',
      text: chosen ? unitLabel(chosen) : typed,
      textName: textField(spec.name),
      choiceName: choiceField(spec.name),
      candidates: found && 'candidates' in found ? found.candidates.map((unit) => ({ value: String(unit.id), label: optionLabel(language, unit) })) : [],
      searchUrl: searchUrl(spec),
    };
  }
  return views;
}

/** A form's pickers: `prepare` for submitForm, `views` for the page (GET and re-shown alike). */
export function unitPickers(db: Database, scope: UnitScope, language: Language, specs: readonly UnitPickerSpec[]) {
  return {
    prepare: (sent: Record<string, unknown>) => resolveUnitPicks(db, scope, specs, sent),
    views: async (values: Record<string, unknown>) => ({ pickers: await unitPickerViews(db, scope, language, specs, values) }),
  };
}
