// All SQL for the year-end summary: model counts grouped once per year pair, a trend by year, the
// units of a subtree with their links, and certificates awarded by round; and for the national
// report, the centre, its provinces, and the year's models and certificates counted by province.
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
 * every unit of `unitIds` (every unit, for null) to the branch it is reported under (`branchesOf`).
 * One pass over the models, a thousand rows back instead of one per (unit, field, block, ...).
 */
export async function modelGroups(
  db: Database,
  years: readonly number[],
  unitIds: readonly number[] | null,
  branches: ReadonlyMap<number, number>,
): Promise<ModelGroup[]> {
  // Two steps: the models grouped by everything a row needs (24.463 groups for the whole country),
  // then those groups folded into the four breakdowns. The planner expects a group per model, so with
  // the default 4 MB it would sort 200.000 rows on disk; 32 MB for this transaction lets it hash both.
  const rows = await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL work_mem = '32MB'`.execute(trx);
    const result = await sql<{ year: number; field_code: string | null; block_code: string | null; kind: string | null; branch: number | null; status: string; replicated: boolean; count: string; grouping_set: number }>`
      SELECT year, field_code, block_code, kind, branch, status, replicated, sum(n)::bigint AS count,
        grouping(field_code, block_code, kind, branch) AS grouping_set
      FROM (
        SELECT m.year, m.field_code, m.block_code, m.kind, b.branch_id AS branch, m.status, m.replicates_model_id IS NOT NULL AS replicated, count(*) AS n
        FROM models m
        JOIN unnest(${[...branches.keys()]}::integer[], ${[...branches.values()]}::integer[]) AS b (unit_id, branch_id) ON b.unit_id = m.unit_id
        WHERE m.year = ${anyOf(years)}${unitIds === null ? sql`` : sql` AND m.unit_id = ${anyOf(unitIds)}`}
        GROUP BY m.year, m.field_code, m.block_code, m.kind, b.branch_id, m.status, replicated
      ) AS g
      GROUP BY year, status, replicated, GROUPING SETS ((field_code), (block_code), (kind), (branch))`.execute(trx);
    return result.rows;
  });
  // grouping() says which breakdown a row belongs to (a bit set for each column it is not grouped by):
  // a column's value cannot, since a model may have no block (null), like the other sets' rows.
  // Models without a block are left out of the block breakdown only; every total counts them.
  const SETS: Record<number, Dimension> = { 0b0111: 'field', 0b1011: 'block', 0b1101: 'kind', 0b1110: 'branch' };
  return rows
    .filter((row) => !(SETS[Number(row.grouping_set)] === 'block' && row.block_code === null))
    .map((row) => {
      const dimension = SETS[Number(row.grouping_set)]!;
      const code = dimension === 'field' ? row.field_code : dimension === 'block' ? row.block_code : dimension === 'kind' ? row.kind : String(row.branch);
      return { year: row.year, dimension, code: String(code), status: row.status, replicated: row.replicated, count: Number(row.count) };
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

/** The unit a summary is about: its id, name and code. */
export async function findRootUnit(db: Database, id: number) {
  return db.selectFrom('units').select(['id', 'name', 'code']).where('id', '=', id).executeTakeFirst();
}

/** The units of a subtree (the unit, those under it, those merged into them), or all units, with their links. */
export async function subtreeUnits(db: Database, unitIds: readonly number[] | null) {
  let query = db.selectFrom('units').select(['id', 'name', 'code', 'parent_id', 'successor_id', 'valid_to', 'is_centre']);
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

/**
 * Each model of the year evaluated by criteria (a submitted score in a set of that year), with its
 * field, block and status, and its mean score as a percentage of each set's scale (sets may differ).
 */
export async function evaluatedModels(db: Database, year: number, unitIds: readonly number[] | null) {
  let query = db
    .selectFrom('evaluations')
    .innerJoin('criteria_sets', 'criteria_sets.id', 'evaluations.set_id')
    // Each set's scale, summed once per set rather than once per evaluation.
    .innerJoin((eb) => eb.selectFrom('criteria').select(['criteria.set_id', (f) => f.fn.sum<string>('criteria.max_score').as('scale')]).groupBy('criteria.set_id').as('scales'), (join) => join.onRef('scales.set_id', '=', 'evaluations.set_id'))
    .innerJoin('models', 'models.id', 'evaluations.model_id')
    .select(['models.id', 'models.field_code', 'models.block_code', 'models.status', sql<string>`avg(evaluations.total * 100 / scales.scale)`.as('percent')])
    .where('evaluations.status', '=', 'submitted')
    .where('criteria_sets.year', '=', year)
    .groupBy(['models.id', 'models.field_code', 'models.block_code', 'models.status']);
  if (unitIds !== null) query = query.where('models.unit_id', '=', anyOf(unitIds));
  return (await query.execute()).map((row) => ({ ...row, percent: Number(row.percent) }));
}

export async function referenceNames(db: Database) {
  const [fields, blocks] = await Promise.all([
    db.selectFrom('fields').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute(),
    db.selectFrom('blocks').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute(),
  ]);
  return { fields, blocks };
}

/** The centre (sql/0016), the national body above the provinces; undefined if a database has none. */
export async function findCentre(db: Database) {
  return db.selectFrom('units').select(['id', 'name', 'code']).where('is_centre', '=', true).executeTakeFirst();
}

/** The links of the given units (parent, successor) and nothing else: what branchesOf needs, light to carry. */
export async function unitLinks(db: Database, unitIds: readonly number[]) {
  return db.selectFrom('units').select(['id', 'parent_id', 'successor_id']).where('id', '=', anyOf(unitIds)).execute();
}

/** The provinces in force directly under the centre, with their official codes. */
export async function provincesUnder(db: Database, centreId: number) {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'official_code'])
    .where('parent_id', '=', centreId)
    .where('kind', '=', 'province')
    .where('valid_to', 'is', null)
    .execute();
}

/**
 * The year's models by branch and status: `branches` maps each unit to the branch it is counted under
 * (branchesOf; for the national report, the province). A unit not in it is not counted.
 */
export async function modelsByBranch(db: Database, year: number, branches: ReadonlyMap<number, number>) {
  const { rows } = await sql<{ branch: number; status: string; count: string }>`
    SELECT b.branch_id AS branch, m.status, count(*) AS count
    FROM models m
    JOIN unnest(${[...branches.keys()]}::integer[], ${[...branches.values()]}::integer[]) AS b (unit_id, branch_id) ON b.unit_id = m.unit_id
    WHERE m.year = ${year}
    GROUP BY b.branch_id, m.status`.execute(db);
  return rows.map((row) => ({ branch: row.branch, status: row.status, count: Number(row.count) }));
}

/** The year's valid certificates by the branch of the nominee's unit and by kind of recipient (collective, individual). */
export async function certificatesByBranch(db: Database, year: number, branches: ReadonlyMap<number, number>) {
  const { rows } = await sql<{ branch: number; recipient_kind: string; count: string }>`
    SELECT b.branch_id AS branch, c.recipient_kind, count(*) AS count
    FROM certificates c
    JOIN nominations n ON n.id = c.nomination_id
    JOIN unnest(${[...branches.keys()]}::integer[], ${[...branches.values()]}::integer[]) AS b (unit_id, branch_id) ON b.unit_id = n.unit_id
    WHERE c.year = ${year} AND c.status = 'valid'
    GROUP BY b.branch_id, c.recipient_kind`.execute(db);
  return rows.map((row) => ({ branch: row.branch, recipientKind: row.recipient_kind, count: Number(row.count) }));
}

/** The unit a statistical form (Thông tư 02/2023) reports for: its name and kind, and the unit above it. */
export async function findReportingUnit(db: Database, id: number) {
  return db
    .selectFrom('units as u')
    .leftJoin('units as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.name', 'u.kind', 'u.is_centre', 'p.name as parent_name', 'p.is_centre as parent_is_centre'])
    .where('u.id', '=', id)
    .executeTakeFirst();
}

/** The year's valid certificates of the given award kinds to nominees of the given units (all, for null), by kind and recipient. */
export async function certificatesByKind(db: Database, year: number, awardKinds: readonly string[], unitIds: readonly number[] | null) {
  let query = db
    .selectFrom('certificates')
    .innerJoin('nominations', 'nominations.id', 'certificates.nomination_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select(['award_rounds.award_kind', 'certificates.recipient_kind', (eb) => eb.fn.countAll<number>().as('count')])
    .where('certificates.year', '=', year)
    .where('certificates.status', '=', 'valid')
    .where('award_rounds.award_kind', '=', sql<string>`ANY(${sql.val(awardKinds)}::text[])`)
    .groupBy(['award_rounds.award_kind', 'certificates.recipient_kind']);
  if (unitIds !== null) query = query.where('nominations.unit_id', '=', anyOf(unitIds));
  const rows = await query.execute();
  return rows.map((row) => ({ awardKind: row.award_kind, recipientKind: row.recipient_kind, count: Number(row.count) }));
}
