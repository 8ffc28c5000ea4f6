// All SQL for units and the reference lists (blocks, fields).
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import { remember } from '../db/memo.ts';
import type { UnitsTable } from '../db/schema.ts';
import { NotFoundError } from '../errors.ts';
import { ALL_UNITS as ALL_UNITS_SCOPE, scopedUnitIds, type UnitScope } from '../auth/scope.ts';

const unitColumns = ['units.id', 'units.code', 'units.name', 'units.kind', 'units.block_code', 'units.parent_id', 'units.valid_from', 'units.valid_to', 'units.successor_id', 'units.official_code'] as const;

// The same columns, unqualified, for INSERT/UPDATE ... RETURNING.
const unitReturning = ['id', 'code', 'name', 'kind', 'block_code', 'parent_id', 'valid_from', 'valid_to', 'successor_id', 'official_code'] as const;

/** A unit as the service and the API see it: the columns above. */
export type Unit = Pick<Selectable<UnitsTable>, 'id' | 'code' | 'name' | 'kind' | 'block_code' | 'parent_id' | 'valid_from' | 'valid_to' | 'successor_id' | 'official_code'>;

/** What an administrator writes of a unit. */
export type UnitValues = Pick<Insertable<UnitsTable>, 'code' | 'name' | 'kind' | 'block_code' | 'parent_id' | 'valid_from' | 'valid_to' | 'successor_id'>;

export async function findUnit(db: Database, id: number, scope: UnitScope): Promise<Unit | undefined> {
  const ids = scopedUnitIds(scope);
  return db
    .selectFrom('units')
    .select(unitColumns)
    .where('units.id', '=', id)
    .$if(ids !== null, (qb) => qb.where('units.id', 'in', ids as number[]))
    .executeTakeFirst();
}

export async function getUnit(db: Database, id: number, scope: UnitScope): Promise<Unit> {
  const unit = await findUnit(db, id, scope);
  if (!unit) throw new NotFoundError();
  return unit;
}

export async function lockUnit(db: Database, id: number): Promise<Unit> {
  const unit = await db.selectFrom('units').select(unitColumns).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!unit) throw new NotFoundError();
  return unit;
}

export async function insertUnit(trx: Database, values: UnitValues): Promise<Unit> {
  return trx.insertInto('units').values(values).returning(unitReturning).executeTakeFirstOrThrow();
}

export async function updateUnit(trx: Database, id: number, values: UnitValues): Promise<Unit> {
  return trx.updateTable('units').set({ ...values, updated_at: new Date() }).where('id', '=', id).returning(unitReturning).executeTakeFirstOrThrow();
}

/** The unit's code; throws when there is no such unit. */
export async function getUnitCode(db: Database, id: number): Promise<string> {
  return (await db.selectFrom('units').select('code').where('id', '=', id).executeTakeFirstOrThrow()).code;
}

/** Every unit with its block and parent, in and out of force: enough to find each one's block in memory. */
export async function listUnitsWithBlockAndParent(db: Database) {
  return db.selectFrom('units').select(['id', 'code', 'block_code', 'parent_id', 'valid_to']).execute();
}

export async function unitExists(db: Database, id: number): Promise<boolean> {
  return (await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** A unit's name; undefined for an unknown id. */
export async function findUnitName(db: Database, id: number): Promise<string | undefined> {
  return (await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

export async function findUnitByCode(db: Database, code: string) {
  return db.selectFrom('units').select(unitColumns).where('code', '=', code).executeTakeFirst();
}

export async function blockExists(db: Database, code: string): Promise<boolean> {
  return (await db.selectFrom('blocks').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

export interface UnitFilter {
  q?: string;
  includeEnded?: boolean;
  /** Only units of these kinds (the picker's `kind=`); every kind when absent. */
  kinds?: readonly Unit['kind'][];
  afterCode?: string;
  limit?: number;
}

/** Units in scope that match the filter's text (name folded, our code, the state's code whole), kind and end. */
function unitsMatching(db: Database, scope: UnitScope, filter: UnitFilter) {
  const ids = scopedUnitIds(scope);
  return db
    .selectFrom('units')
    .leftJoin('units as parent', 'parent.id', 'units.parent_id')
    .leftJoin('units as successor', 'successor.id', 'units.successor_id')
    .leftJoin('blocks', 'blocks.code', 'units.block_code')
    .$if(ids !== null, (qb) => qb.where('units.id', 'in', ids as number[]))
    .$if(filter.includeEnded === false, (qb) => qb.where((eb) => eb.or([eb('units.valid_to', 'is', null), eb('units.valid_to', '>=', sql<string>`current_date`)])))
    .$if(filter.kinds !== undefined, (qb) => qb.where('units.kind', 'in', filter.kinds as Unit['kind'][]))
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) =>
        eb.or([
          eb(sql`unaccent(lower(units.name))`, 'like', sql`'%' || unaccent(lower(${filter.q})) || '%'`),
          eb(sql`lower(units.code)`, 'like', sql`'%' || lower(${filter.q}) || '%'`),
          eb('units.official_code', '=', filter.q as string), // the state's code whole: "00004" is one commune
        ]),
      ),
    );
}

/** Units in scope, ordered by code, with their parent's, successor's and block's names. */
export async function listUnits(db: Database, scope: UnitScope, filter: UnitFilter = {}) {
  const base = unitsMatching(db, scope, filter);
  const [rows, count] = await Promise.all([
    base
      .select([...unitColumns, 'parent.name as parent_name', 'successor.name as successor_name', 'blocks.name as block_name', 'blocks.name_en as block_name_en'])
      .$if(filter.afterCode !== undefined, (qb) => qb.where('units.code', '>', filter.afterCode as string))
      .orderBy('units.code')
      .$if(filter.limit !== undefined, (qb) => qb.limit(filter.limit as number))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Where the administrator's list stands: the last row shown (its rank, state's code, our code) and how many came before. */
export type AdminUnitCursor = [rank: number, officialCode: string, code: string, shown: number];

export function isAdminUnitCursor(value: unknown): value is AdminUnitCursor {
  return (
    Array.isArray(value) && value.length === 4 && Number.isInteger(value[0]) && typeof value[1] === 'string' && typeof value[2] === 'string' && Number.isInteger(value[3])
  );
}

// The administrator's order: the centre, then the provinces in force by the state's code (01 Hà Nội ...
// 96 Cà Mau, the order of Decision 19/2025 every official list uses), provinces without one by our code,
// then the communes in force by the state's code (grouped by province, as the state numbers them), then
// other units in force (agencies, organisations, the demo's own) by our code, then ended units. Chosen over names in
// Vietnamese collation because neither backend collates Vietnamese the same (ARCHITECTURE), so a name
// order would have to sort all 3.400 rows in Node on every page; this key is computed in SQL, pages by
// keyset on both backends, and is stable as names change.
const adminRank = sql<number>`CASE
  WHEN units.is_centre THEN 0
  WHEN units.valid_to IS NOT NULL AND units.valid_to < current_date THEN 5
  WHEN units.kind = 'province' AND units.official_code IS NOT NULL THEN 1
  WHEN units.kind = 'province' THEN 2
  WHEN units.official_code IS NOT NULL THEN 3
  ELSE 4 END`;
const adminOfficial = sql<string>`coalesce(units.official_code, '')`;

/**
 * One page of the administrator's unit list (the same match as listUnits and GET /api/v1/units?q=),
 * in the order above, after `after`; with the count of all matches and each row's order key for the next cursor.
 */
export async function pageUnitsForAdmin(db: Database, filter: { q?: string; includeEnded: boolean; after?: AdminUnitCursor; limit: number }) {
  const base = unitsMatching(db, ALL_UNITS_SCOPE, { q: filter.q, includeEnded: filter.includeEnded });
  const after = filter.after;
  const [rows, count] = await Promise.all([
    base
      .select([...unitColumns, 'parent.name as parent_name', 'successor.name as successor_name', 'blocks.name as block_name', 'blocks.name_en as block_name_en', adminRank.as('sort_rank'), adminOfficial.as('sort_official')])
      .$if(after !== undefined, (qb) => qb.where(sql<boolean>`(${adminRank}, ${adminOfficial}, units.code) > (${after![0]}, ${after![1]}, ${after![2]})`))
      .orderBy(adminRank)
      .orderBy(adminOfficial)
      .orderBy('units.code')
      .limit(filter.limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Lower case without diacritics, đ as d: a name as unaccent(lower(...)) folds it, for Vietnamese text. */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().trim();
}

/**
 * The unit picker's search: the same match as listUnits, the likeliest first and no count (a second
 * scan of every name would double the time of each keystroke). First a unit whose code or state's code
 * is the text, then one whose name is the text or ends with it ("an giang" -> Tỉnh An Giang before
 * Phường Tân Giang), then names where the text starts a word, units in force before ended ones, then by code.
 */
export async function searchUnits(db: Database, scope: UnitScope, filter: UnitFilter & { limit: number }) {
  const q = filter.q ?? '';
  // The rank folds each matched name once (the subquery with OFFSET 0 is not merged into the ORDER BY,
  // which would fold it once per comparison), against the text folded here: "ph" matches 2.000 names,
  // and folding them four times each took 13-14 ms instead of 9 on PGlite (bench/unit-search.ts).
  const folded = foldName(q);
  return unitsMatching(db, scope, filter)
    .select([...unitColumns, 'parent.name as parent_name'])
    .orderBy(sql`coalesce(units.official_code, '') = ${q} OR lower(units.code) = lower(${q})`, 'desc') // not NULL: DESC puts NULLs first
    .orderBy(
      sql`(SELECT (s.name = ${folded} OR s.name LIKE '% ' || ${folded})::int * 2 + (' ' || s.name LIKE '% ' || ${folded} || '%')::int
           FROM (SELECT unaccent(lower(units.name)) AS name OFFSET 0) AS s)`,
      'desc',
    )
    .orderBy(sql`units.valid_to IS NULL OR units.valid_to >= current_date`, 'desc')
    .orderBy('units.code')
    .limit(filter.limit)
    .execute();
}

/** True when `candidateId` is `unitId` itself or lies under it (following parents only). */
export async function isSelfOrDescendant(db: Database, unitId: number, candidateId: number): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    WITH RECURSIVE tree(id) AS (
      SELECT ${unitId}::integer
      UNION
      SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id
    )
    SELECT EXISTS (SELECT 1 FROM tree WHERE id = ${candidateId}) AS found`.execute(db);
  return rows[0]?.found === true;
}

/** True when following successors from `successorId` comes back to `unitId`. */
export async function successorChainReaches(db: Database, successorId: number, unitId: number): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    WITH RECURSIVE chain(id) AS (
      SELECT ${successorId}::integer
      UNION
      SELECT units.successor_id FROM units JOIN chain ON units.id = chain.id WHERE units.successor_id IS NOT NULL
    )
    SELECT EXISTS (SELECT 1 FROM chain WHERE id = ${unitId}) AS found`.execute(db);
  return rows[0]?.found === true;
}

// Blocks and fields are written by migrations only: read once a minute per process, not on every page.
const REFERENCE_TTL_MS = 60_000;

export function listBlocks(db: Database) {
  return remember(db, 'blocks', REFERENCE_TTL_MS, () => db.selectFrom('blocks').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute());
}

export function listFields(db: Database) {
  return remember(db, 'fields', REFERENCE_TTL_MS, () => db.selectFrom('fields').select(['code', 'name', 'name_en']).orderBy('sort_order').orderBy('code').execute());
}

export async function countActiveUnits(db: Database, scope: UnitScope): Promise<number> {
  const ids = scopedUnitIds(scope);
  const row = await db
    .selectFrom('units')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', sql<string>`current_date`)]))
    .$if(ids !== null, (qb) => qb.where('id', 'in', ids as number[]))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** The unit if it ended before `today` (YYYY-MM-DD): its valid_to is in the past. */
export async function findEndedUnit(db: Database, unitId: number, today: string) {
  return db.selectFrom('units').select(['id', 'name', 'valid_to']).where('id', '=', unitId).where('valid_to', '<', today).executeTakeFirst();
}

/**
 * The unit that took an ended unit over, following successors (a successor may itself have been
 * merged since) to the first one in force on `today`, else the last one recorded; undefined when none is.
 */
export async function findSuccessorInForce(db: Database, unitId: number, today: string): Promise<{ id: number; code: string; name: string } | undefined> {
  // UNION stops a cycle; the depth bounds a long chain.
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
  return successor ? { id: successor.id, code: successor.code, name: successor.name } : undefined;
}
