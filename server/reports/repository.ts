// All SQL for the year-end summary: model counts grouped once per year pair, a trend by year, the
// units of a subtree with their links, and certificates awarded by round.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';

const anyOf = (ids: readonly number[]) => sql<number>`ANY(${sql.val(ids)}::integer[])`;

/** The breakdowns of the summary: one set of figures per field, block, kind and branch (the sub-unit row). */
export type Dimension = 'field' | 'block' | 'kind' | 'branch';

export interface ModelGroup {
  year: number;
  dimension: Dimension;
  /** The field's or block's code, the kind, or the branch's unit id as text. */
  code: string;
  status: string;
  replicated: boolean;
  count: number;
}

/**
 * Model counts for the given years and units, already folded into the rows the report shows: by
 * field, by block, by kind and by branch, each per year, status and "replicated". `branches` maps
 * every unit to the branch it is reported under; a unit it does not name counts under `rootBranch`.
 * One pass over the models, a thousand rows back instead of one per (unit, field, block, ...).
 */
export async function modelGroups(
  db: Database,
  years: readonly number[],
  unitIds: readonly number[] | null,
  branches: ReadonlyMap<number, number>,
  rootBranch: number,
): Promise<ModelGroup[]> {
  const { rows } = await sql<{ year: number; field_code: string | null; block_code: string | null; kind: string | null; branch: number | null; status: string; replicated: boolean; count: string }>`
    SELECT year, field_code, block_code, kind, branch, status, replicated, count(*) AS count
    FROM (
      SELECT m.year, m.field_code, m.block_code, m.kind, coalesce(b.branch_id, ${rootBranch}::integer) AS branch, m.status, m.replicates_model_id IS NOT NULL AS replicated
      FROM models m
      LEFT JOIN unnest(${[...branches.keys()]}::integer[], ${[...branches.values()]}::integer[]) AS b (unit_id, branch_id) ON b.unit_id = m.unit_id
      WHERE m.year = ${anyOf(years)}${unitIds === null ? sql`` : sql` AND m.unit_id = ${anyOf(unitIds)}`}
    ) AS m
    GROUP BY year, status, replicated, GROUPING SETS ((field_code), (block_code), (kind), (branch))`.execute(db);
  // The one column of a row's grouping set that is not null says which breakdown it belongs to.
  return rows.map((row) => {
    const [dimension, code]: [Dimension, string] =
      row.field_code !== null ? ['field', row.field_code] : row.block_code !== null ? ['block', row.block_code] : row.kind !== null ? ['kind', row.kind] : ['branch', String(row.branch)];
    return { year: row.year, dimension, code, status: row.status, replicated: row.replicated, count: Number(row.count) };
  });
}

/** Registered and "implementing or further" per year, for the trend chart. */
export async function trendByYear(db: Database, fromYear: number, toYear: number, unitIds: readonly number[] | null) {
  let query = db
    .selectFrom('models')
    .select(['year', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('year', '>=', fromYear)
    .where('year', '<=', toYear)
    .groupBy(['year', 'status']);
  if (unitIds !== null) query = query.where('unit_id', '=', anyOf(unitIds));
  const rows = await query.execute();
  return rows.map((row) => ({ year: row.year, status: row.status, count: Number(row.count) }));
}

/** The units of a subtree (the unit, those under it, those merged into them), or all units, with their links. */
export async function subtreeUnits(db: Database, unitIds: readonly number[] | null) {
  let query = db.selectFrom('units').select(['id', 'name', 'code', 'parent_id', 'successor_id', 'valid_to']);
  if (unitIds !== null) query = query.where('id', '=', anyOf(unitIds));
  return query.execute();
}

/** Certificates awarded in a year to nominees of the given units, counted by round and kind of recipient. */
export async function awardsByRound(db: Database, year: number, unitIds: readonly number[] | null) {
  let query = db
    .selectFrom('certificates')
    .innerJoin('nominations', 'nominations.id', 'certificates.nomination_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select(['award_rounds.id', 'award_rounds.title', 'award_kinds.name as award_name', 'award_kinds.name_en as award_name_en', 'certificates.recipient_kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('certificates.year', '=', year)
    .where('certificates.status', '=', 'valid')
    .groupBy(['award_rounds.id', 'award_rounds.title', 'award_kinds.name', 'award_kinds.name_en', 'certificates.recipient_kind'])
    .orderBy('award_rounds.id');
  if (unitIds !== null) query = query.where('nominations.unit_id', '=', anyOf(unitIds));
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

export async function referenceNames(db: Database) {
  const [fields, blocks] = await Promise.all([
    db.selectFrom('fields').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute(),
    db.selectFrom('blocks').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute(),
  ]);
  return { fields, blocks };
}
