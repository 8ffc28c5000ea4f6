// The year-end summary the conferences read out: models registered and "đã và đang triển khai",
// completed, recognised, replicated and discontinued, broken down by field, block, kind and
// sub-unit, each with the change from the previous year; a block's share of all models; and the
// awards by round, collective and individual. One grouped query per year pair, folded in SQL into
// the rows the report shows (by field, block, kind and branch); the rest in memory. The figures come
// with codes; present.ts names and orders them in the reader's language.
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { scopeIncludes, unitAndEverythingUnder } from '../auth/scope.ts';
import { NotFoundError } from '../errors.ts';
import { IMPLEMENTING_OR_FURTHER, MODEL_KINDS, type ModelKind, type ModelStatus } from '../models/status.ts';
import * as repository from './repository.ts';

export const TREND_YEARS = 8;

export interface Counts {
  registered: number;
  implementing: number;
  completed: number;
  recognized: number;
  notRecognized: number;
  discontinued: number;
  replicated: number;
}

export interface Change {
  count: number;
  /** Percent of the previous year's figure; null when there was nothing to compare with. */
  percent: number | null;
}

/** One row of a breakdown: a field, block or kind by its code, a branch by its unit id as text. */
export interface Tally extends Counts {
  code: string;
  previous: Counts;
  change: { registered: Change; implementing: Change };
  /** Share of all models registered that year, in percent (for blocks: "1.680/7.108"). */
  share: number | null;
}

/** A field or a block as the catalogue names it, in both languages. */
export interface ReferenceName {
  code: string;
  name: string;
  name_en: string;
}

/** A branch row's unit: a unit directly under the root, or the root itself for its own models. */
export interface BranchUnit {
  code: string;
  name: string;
  isRoot: boolean;
}

/** The year's figures, by code; `catalogues` lists each breakdown's codes in their order, with their names. */
export interface YearSummary {
  year: number;
  unitId: number | null;
  /** The unit's name; null for the whole country. */
  unitName: string | null;
  models: Counts & {
    byField: Tally[];
    byBlock: Tally[];
    byKind: Tally[];
    /** Only branches with models this year or the year before. */
    byUnit: Tally[];
    previousYear: Counts & { year: number };
    change: { registered: Change; implementing: Change; completed: Change; recognized: Change };
    trend: { year: number; registered: number; implementing: number }[];
  };
  awards: {
    collectives: number;
    individuals: number;
    byRound: { roundId: number; title: string; awardName: string; awardNameEn: string; collectives: number; individuals: number }[];
  };
  /** Models evaluated by criteria this year (issue 21): how many, how many recognised, mean score (% of the scale). */
  evaluation: EvaluationFigures & { byField: (EvaluationFigures & { code: string })[]; byBlock: (EvaluationFigures & { code: string })[] };
  catalogues: { fields: ReferenceName[]; blocks: ReferenceName[]; kinds: readonly ModelKind[]; branches: BranchUnit[] };
}

export interface EvaluationFigures {
  evaluated: number;
  recognized: number;
  /** The mean of the models' mean scores, in percent of their sets' scales, one decimal; null when none. */
  averagePercent: number | null;
}

/** Evaluated models' figures, over all of them and by a code (their field or block); codes without any left out. */
export function evaluationFigures(models: readonly { status: string; percent: number }[]): EvaluationFigures {
  const mean = models.length === 0 ? null : Math.round((models.reduce((sum, model) => sum + model.percent, 0) / models.length) * 10) / 10;
  return { evaluated: models.length, recognized: models.filter((model) => model.status === 'recognized').length, averagePercent: mean };
}

function evaluationBy<T extends { status: string; percent: number }>(models: readonly T[], codeOf: (model: T) => string | null, order: readonly string[]) {
  const codes = [...new Set(models.map(codeOf).filter((code): code is string => code !== null))].sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
  return codes.map((code) => ({ code, ...evaluationFigures(models.filter((model) => codeOf(model) === code)) }));
}

const COMPLETED_OR_FURTHER: readonly ModelStatus[] = ['completed', 'recognized', 'not_recognized'];

function emptyCounts(): Counts {
  return { registered: 0, implementing: 0, completed: 0, recognized: 0, notRecognized: 0, discontinued: 0, replicated: 0 };
}

function add(counts: Counts, group: { status: string; replicated: boolean; count: number }): void {
  const status = group.status as ModelStatus;
  counts.registered += group.count;
  if (IMPLEMENTING_OR_FURTHER.includes(status)) counts.implementing += group.count;
  if (COMPLETED_OR_FURTHER.includes(status)) counts.completed += group.count;
  if (status === 'recognized') counts.recognized += group.count;
  if (status === 'not_recognized') counts.notRecognized += group.count;
  if (status === 'discontinued') counts.discontinued += group.count;
  if (group.replicated) counts.replicated += group.count;
}

export function changeOf(current: number, previous: number): Change {
  return { count: current - previous, percent: previous === 0 ? null : Math.round(((current - previous) / previous) * 10_000) / 100 };
}

export function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;
}

/**
 * Attributes every unit of the subtree to a branch directly under the root: a merged unit counts
 * with its successor (Kiên Giang's Sở Giáo dục with An Giang's), anything else with its parent's branch.
 */
export function branchesOf(rootId: number, units: readonly { id: number; parent_id: number | null; successor_id: number | null }[]): Map<number, number> {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const branch = new Map<number, number>();
  const visiting = new Set<number>();
  const resolve = (id: number): number => {
    if (id === rootId) return rootId;
    const known = branch.get(id);
    if (known !== undefined) return known;
    const unit = byId.get(id);
    if (!unit || visiting.has(id)) return rootId;
    visiting.add(id);
    let result: number;
    if (unit.successor_id !== null && byId.has(unit.successor_id)) result = resolve(unit.successor_id);
    else if (unit.parent_id === rootId) result = id;
    else if (unit.parent_id !== null && byId.has(unit.parent_id)) result = resolve(unit.parent_id);
    else result = rootId;
    visiting.delete(id);
    branch.set(id, result);
    return result;
  };
  for (const unit of units) resolve(unit.id);
  return branch;
}

/** What the summary needs of the Caller: its scope and its own unit. */
export type SummaryCaller = Pick<Caller, 'scope'> & { user: Pick<Caller['user'], 'unitId'> };

export interface SummaryRequest {
  year: number;
  /** The unit asked for; undefined means the caller's own unit (or the whole country for an administrator). */
  unitId?: number;
}

/** The summary for a year and a unit with everything under it (merged units included), in the caller's scope. */
export async function buildSummary(db: Database, caller: SummaryCaller, request: SummaryRequest): Promise<YearSummary> {
  const { year } = request;
  const { scope } = caller;
  const rootId: number | null = request.unitId ?? (scope.all ? null : caller.user.unitId);
  if (rootId !== null && !scopeIncludes(scope, rootId)) throw new NotFoundError();
  const root = rootId === null ? null : await repository.findRootUnit(db, rootId);
  if (rootId !== null && !root) throw new NotFoundError();
  const unitIds = rootId === null ? null : await unitAndEverythingUnder(db, rootId);

  // For the whole country the branches are the provinces: top-level units, and the units directly under
  // the centre, hang under a virtual root 0 (the centre's own models in its own row).
  // The units come first so that SQL can fold every unit's models into its branch's row.
  const branchRoot = rootId ?? 0;
  const unitsAndGroups = repository.subtreeUnits(db, unitIds).then(async (units) => {
    const centres = new Set(units.filter((u) => u.is_centre).map((u) => u.id));
    const tree = rootId === null ? units.map((u) => ({ ...u, parent_id: u.parent_id === null || centres.has(u.parent_id) ? 0 : u.parent_id })) : units;
    const branches = branchesOf(branchRoot, tree);
    // Every unit named, the root's own models under the root's row.
    const branchOfUnit = new Map(units.map((u) => [u.id, branches.get(u.id) ?? branchRoot]));
    return { units, branches, groups: await repository.modelGroups(db, [year, year - 1], unitIds, branchOfUnit) };
  });
  const [{ units, branches, groups }, trendRows, awardRows, names, evaluated] = await Promise.all([
    unitsAndGroups,
    repository.trendByYear(db, year - TREND_YEARS + 1, year, unitIds),
    repository.awardsByRound(db, year, unitIds),
    repository.referenceNames(db),
    repository.evaluatedModels(db, year, unitIds),
  ]);

  const current = groups.filter((g) => g.year === year);
  const previous = groups.filter((g) => g.year === year - 1);
  // Every model is in each breakdown once; the kinds' rows are the fewest to add up.
  const total = emptyCounts();
  const before = emptyCounts();
  for (const group of current) if (group.dimension === 'kind') add(total, group);
  for (const group of previous) if (group.dimension === 'kind') add(before, group);

  // A row for every code of the catalogue, in its order, then any other code found.
  const breakdown = (dimension: repository.Dimension, codes: readonly string[], withShare = false): Tally[] => {
    const rows = new Map<string, Tally>();
    const rowFor = (code: string) => {
      let row = rows.get(code);
      if (!row) {
        row = { code, ...emptyCounts(), previous: emptyCounts(), change: { registered: changeOf(0, 0), implementing: changeOf(0, 0) }, share: null };
        rows.set(code, row);
      }
      return row;
    };
    for (const code of codes) rowFor(code);
    for (const group of current) if (group.dimension === dimension) add(rowFor(group.code), group);
    for (const group of previous) if (group.dimension === dimension) add(rowFor(group.code).previous, group);
    return [...rows.values()].map((row) => ({ ...row, change: { registered: changeOf(row.registered, row.previous.registered), implementing: changeOf(row.implementing, row.previous.implementing) }, share: withShare ? shareOf(row.registered, total.registered) : null }));
  };

  const branchUnits = units.filter((u) => u.id === rootId || branches.get(u.id) === u.id).map((u) => ({ code: String(u.id), name: u.name, isRoot: u.id === rootId }));
  const byUnit = breakdown('branch', branchUnits.map((u) => u.code)).filter((row) => row.registered > 0 || row.previous.registered > 0);

  const trend = Array.from({ length: TREND_YEARS }, (_, i) => year - TREND_YEARS + 1 + i).map((y) => {
    const rows = trendRows.filter((r) => r.year === y);
    return {
      year: y,
      registered: rows.reduce((sum, r) => sum + r.count, 0),
      implementing: rows.filter((r) => IMPLEMENTING_OR_FURTHER.includes(r.status)).reduce((sum, r) => sum + r.count, 0),
    };
  });

  const rounds = new Map<number, YearSummary['awards']['byRound'][number]>();
  for (const row of awardRows) {
    const round = rounds.get(row.id) ?? { roundId: row.id, title: row.title, awardName: row.award_name, awardNameEn: row.award_name_en, collectives: 0, individuals: 0 };
    if (row.recipient_kind === 'collective') round.collectives += row.count;
    else round.individuals += row.count;
    rounds.set(row.id, round);
  }
  const byRound = [...rounds.values()];

  return {
    year,
    unitId: root?.id ?? null,
    unitName: root?.name ?? null,
    models: {
      ...total,
      byField: breakdown('field', names.fields.map((f) => f.code)),
      byBlock: breakdown('block', names.blocks.map((b) => b.code), true),
      byKind: breakdown('kind', MODEL_KINDS),
      byUnit,
      previousYear: { year: year - 1, ...before },
      change: {
        registered: changeOf(total.registered, before.registered),
        implementing: changeOf(total.implementing, before.implementing),
        completed: changeOf(total.completed, before.completed),
        recognized: changeOf(total.recognized, before.recognized),
      },
      trend,
    },
    awards: {
      collectives: byRound.reduce((sum, r) => sum + r.collectives, 0),
      individuals: byRound.reduce((sum, r) => sum + r.individuals, 0),
      byRound,
    },
    evaluation: {
      ...evaluationFigures(evaluated),
      byField: evaluationBy(evaluated, (model) => model.field_code, names.fields.map((f) => f.code)),
      byBlock: evaluationBy(evaluated, (model) => model.block_code, names.blocks.map((b) => b.code)),
    },
    catalogues: { fields: names.fields, blocks: names.blocks, kinds: MODEL_KINDS, branches: branchUnits },
  };
}

/** What the national report needs of the Caller: its scope. */
export type NationalCaller = Pick<Caller, 'scope'>;

/** A province's figures of the year, its former provinces and every unit under them included. */
export interface ProvinceFigures {
  unitId: number;
  name: string;
  /** The state's code (Decision 19/2025/QĐ-TTg); null for a province entered without one. */
  officialCode: string | null;
  registered: number;
  implementing: number;
  recognized: number;
  collectives: number;
  individuals: number;
}

export type NationalFigures = Omit<ProvinceFigures, 'unitId' | 'name' | 'officialCode'>;

export interface NationalReport {
  year: number;
  centre: { id: number; name: string };
  /** One row per province in force under the centre, by official code. */
  provinces: ProvinceFigures[];
  /** The sum of the provinces' rows. */
  total: NationalFigures;
}

const byOfficialCode = (a: ProvinceFigures, b: ProvinceFigures) =>
  a.officialCode === b.officialCode ? a.unitId - b.unitId : a.officialCode === null ? 1 : b.officialCode === null ? -1 : a.officialCode < b.officialCode ? -1 : 1;

/**
 * The centre's national summary of a year: for each province in force under the centre, the models
 * registered, implementing (or further) and recognised, and the collectives and individuals holding a
 * valid certificate, counting its former provinces and all units under them (Kiên Giang's records under
 * An Giang); and the total. For a caller whose scope holds the centre (its own users, administrators);
 * anyone else is answered as if there were no such report (404).
 */
export async function buildNationalReport(db: Database, caller: NationalCaller, request: { year: number }): Promise<NationalReport> {
  const { year } = request;
  const centre = await repository.findCentre(db);
  if (!centre || !scopeIncludes(caller.scope, centre.id)) throw new NotFoundError();
  const [units, provinces] = await Promise.all([
    unitAndEverythingUnder(db, centre.id).then((ids) => repository.unitLinks(db, ids)),
    repository.provincesUnder(db, centre.id),
  ]);
  // Every unit counted with the province it lies in (a merged unit with its successor's province);
  // the centre's own units, under no province, are in no row.
  const provinceIds = new Set(provinces.map((p) => p.id));
  const provinceOf = new Map([...branchesOf(centre.id, units)].filter(([, branch]) => provinceIds.has(branch)));
  const [models, certificates] = await Promise.all([repository.modelsByBranch(db, year, provinceOf), repository.certificatesByBranch(db, year, provinceOf)]);

  const rows = new Map<number, ProvinceFigures>(
    provinces.map((p) => [p.id, { unitId: p.id, name: p.name, officialCode: p.official_code, registered: 0, implementing: 0, recognized: 0, collectives: 0, individuals: 0 }]),
  );
  for (const group of models) {
    const row = rows.get(group.branch);
    if (!row) continue;
    const status = group.status as ModelStatus;
    row.registered += group.count;
    if (IMPLEMENTING_OR_FURTHER.includes(status)) row.implementing += group.count;
    if (status === 'recognized') row.recognized += group.count;
  }
  for (const group of certificates) {
    const row = rows.get(group.branch);
    if (!row) continue;
    if (group.recipientKind === 'collective') row.collectives += group.count;
    else row.individuals += group.count;
  }
  const list = [...rows.values()].sort(byOfficialCode);
  const total: NationalFigures = { registered: 0, implementing: 0, recognized: 0, collectives: 0, individuals: 0 };
  for (const row of list) for (const key of Object.keys(total) as (keyof NationalFigures)[]) total[key] += row[key];
  return { year, centre: { id: centre.id, name: centre.name }, provinces: list, total };
}

/** Whether the caller may read the national report: its scope holds the centre. */
export async function seesNationalReport(db: Database, caller: NationalCaller): Promise<boolean> {
  const centre = await repository.findCentre(db);
  return centre !== undefined && scopeIncludes(caller.scope, centre.id);
}
