// All SQL for the year-end summary: model counts grouped once per year pair, a trend by year, the
// units of a subtree with their links, and certificates awarded by round.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';

const anyOf = (ids: readonly number[]) => sql<number>`ANY(${sql.val(ids)}::integer[])`;

export interface ModelGroup {
  year: number;
  unit_id: number;
  field_code: string;
  block_code: string;
  kind: string;
  status: string;
  replicated: boolean;
  count: number;
}

/** Model counts for the given years and units, grouped finely enough to build every breakdown in memory. */
export async function modelGroups(db: Database, years: readonly number[], unitIds: readonly number[] | null): Promise<ModelGroup[]> {
  let query = db
    .selectFrom('models')
    .select(['year', 'unit_id', 'field_code', 'block_code', 'kind', 'status', sql<boolean>`replicates_model_id IS NOT NULL`.as('replicated'), (eb) => eb.fn.countAll<number>().as('count')])
    .where('year', 'in', [...years])
    .groupBy(['year', 'unit_id', 'field_code', 'block_code', 'kind', 'status', sql`replicates_model_id IS NOT NULL`]);
  if (unitIds !== null) query = query.where('unit_id', '=', anyOf(unitIds));
  const rows = await query.execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
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
