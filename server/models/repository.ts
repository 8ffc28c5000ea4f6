// All SQL for models and their progress reports.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { Database } from '../db/database.ts';
import { vietnameseOrder } from '../db/vietnamese.ts';
import { anyOf } from '../awards/repository.ts';
import type { DB, ModelReportsTable, ModelsTable } from '../db/schema.ts';
import { NotFoundError } from '../errors.ts';
import { scopedUnitIds, type UnitScope } from '../auth/scope.ts';
import type { ModelSort } from './schemas.ts';
import type { ModelKind, ModelStatus } from './status.ts';

export interface ModelFilter {
  year?: number;
  fieldCode?: string;
  blockCode?: string;
  status?: ModelStatus;
  /** The unit asked for, already widened to the units under it and merged into it. */
  unitIds?: readonly number[];
  kind?: ModelKind;
  q?: string;
}

const modelColumns = [
  'models.id', 'models.code', 'models.title', 'models.unit_id', 'models.year', 'models.field_code', 'models.block_code', 'models.kind',
  'models.summary', 'models.goals', 'models.started_on', 'models.participants', 'models.contact', 'models.replicates_model_id',
  'models.status', 'models.created_at', 'models.updated_at',
] as const;

/** A model's own columns (modelColumns): what lockModel answers. */
export type ModelRow = Pick<
  Selectable<ModelsTable>,
  'id' | 'code' | 'title' | 'unit_id' | 'year' | 'field_code' | 'block_code' | 'kind' | 'summary' | 'goals' | 'started_on' | 'participants' | 'contact' | 'replicates_model_id' | 'status' | 'created_at' | 'updated_at'
>;

/** A model with the names of its unit, field and block, and the model it replicates: what findModel answers. */
export interface Model extends ModelRow {
  unit_name: string;
  unit_valid_to: string | null;
  field_name: string;
  field_name_en: string;
  block_name: string | null;
  block_name_en: string | null;
  replicates_code: string | null;
  replicates_title: string | null;
}

/** The columns a registration writes. */
export type NewModel = Omit<Insertable<ModelsTable>, 'id' | 'status' | 'created_at' | 'updated_at' | 'search_words'>;

/**
 * How a search reaches its rows. 'index': the word index (sql/0009), for words and pairs that are rare
 * enough. 'scope': the rows of a narrow scope (a province: ~50.000 models at 1M) read through the unit
 * index, the words tested on each — for a phrase in many models: the index would first collect every
 * model with it in the country (~350.000 for "dân vận khéo", ~130 ms), where a capped count stops after
 * a few thousand of the scope's rows. PostgreSQL cannot tell the two apart (it underestimates how often
 * pairs of common words go together, and how long a large posting list takes), so searchReach chooses.
 */
export type SearchReach = 'index' | 'scope';

function matches(eb: ExpressionBuilder<DB, 'models'>, scope: UnitScope, filter: ModelFilter, reach: SearchReach = 'index'): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  const scoped = scopedUnitIds(scope);
  if (scoped !== null) conditions.push(eb('models.unit_id', '=', sql<number>`ANY(${sql.val(scoped)}::integer[])`));
  if (filter.unitIds) conditions.push(eb('models.unit_id', '=', sql<number>`ANY(${sql.val(filter.unitIds)}::integer[])`));
  if (filter.year !== undefined) conditions.push(eb('models.year', '=', filter.year));
  if (filter.fieldCode) conditions.push(eb('models.field_code', '=', filter.fieldCode));
  if (filter.blockCode) conditions.push(eb('models.block_code', '=', filter.blockCode));
  if (filter.status) conditions.push(eb('models.status', '=', filter.status));
  if (filter.kind) conditions.push(eb('models.kind', '=', filter.kind));
  if (filter.q) {
    // Words as a phrase, the last one a prefix (sql/0009): the index finds the rows holding every
    // pair of adjacent words (f_search_index_query, the @@ operator), and the phrase is checked on
    // those rows (ts_match_vq, the same test written as a function call, which the index leaves alone:
    // as an operator it would also look up each word, and a prefix of one word reads every row of
    // every word it starts). Text without a word (punctuation only) is looked for as it is in the
    // folded columns, a full scan. The planner folds the functions of the value, so one branch is left.
    const folded = sql<string>`f_unaccent(lower(models.code || ' ' || models.title || ' ' || models.summary))`;
    // Reaching by scope, only the phrase is tested, as a function call: the index is not used.
    const phrase = sql<SqlBool>`ts_match_vq(${sql.ref('models.search_words')}, f_search_query(${filter.q}))`;
    const words = reach === 'index' ? sql<SqlBool>`(${sql.ref('models.search_words')} @@ f_search_index_query(${filter.q}) and ${phrase})` : phrase;
    conditions.push(sql<SqlBool>`(${words} or (f_search_query(${filter.q}) is null and ${folded} like '%' || f_unaccent(lower(${escapeLike(filter.q)})) || '%'))`);
  }
  return eb.and(conditions);
}

/** A scope of at most this many units (a province with its communes and merged units) is narrow. */
const NARROW_SCOPE_UNITS = 2000;
/** A word or pair in at least this share of all models (PostgreSQL's statistics of search_words) is common. */
const COMMON_SHARE = 0.05;

/**
 * 'scope' when the search is confined to a narrow set of units and even the rarest lexeme the index would
 * look up (a pair, or the one word; the last one a prefix) is common; otherwise 'index'. One small query
 * on pg_stats, only for a search in a narrow scope; a lexeme missing from the statistics counts as rare.
 */
export async function searchReach(db: Database, scope: UnitScope, filter: ModelFilter): Promise<SearchReach> {
  if (!filter.q) return 'index';
  const units = [scopedUnitIds(scope), filter.unitIds].filter((ids): ids is readonly number[] => ids !== null && ids !== undefined);
  if (!units.some((ids) => ids.length <= NARROW_SCOPE_UNITS)) return 'index';
  const { rows } = await sql<{ share: number | null }>`
    WITH common AS (
      SELECT unnest(most_common_elems::text::text[]) AS lexeme, unnest(most_common_elem_freqs) AS share
      FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'models' AND attname = 'search_words'
    ), looked_up AS (
      SELECT item, n = count(*) OVER () AS prefix
      FROM unnest(coalesce(nullif(f_search_pairs(f_search_fold(${filter.q})), '{}'), tsvector_to_array(to_tsvector('simple'::regconfig, f_search_fold(${filter.q})))))
        WITH ORDINALITY AS items(item, n)
    )
    SELECT min((SELECT coalesce(sum(common.share), 0) FROM common
                WHERE common.lexeme = looked_up.item OR (looked_up.prefix AND left(common.lexeme, length(looked_up.item)) = looked_up.item))) AS share
    FROM looked_up`.execute(db);
  const share = rows[0]?.share;
  return share !== null && share !== undefined && Number(share) >= COMMON_SHARE ? 'scope' : 'index';
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

const ORDER: Record<ModelSort, [RawBuilder<unknown>, 'asc' | 'desc'][]> = {
  newest: [[sql.ref('models.id'), 'desc']],
  code: [[sql.ref('models.code'), 'asc']],
  title: [[vietnameseOrder('models.title'), 'asc'], [sql.ref('models.id'), 'asc']], // models_title_vi_idx
  year: [[sql.ref('models.year'), 'desc'], [sql.ref('models.id'), 'desc']],
  status: [[sql.ref('models.status'), 'asc'], [sql.ref('models.id'), 'desc']],
};

export interface ModelPage {
  sort: ModelSort;
  offset: number;
  limit: number;
  /** Keyset paging for the newest-first sort: only models with a smaller id (the last one shown). */
  beforeId?: number;
  /** How a search reaches its rows (searchReach); asked for when not given. */
  reach?: SearchReach;
}

export async function listModels(db: Database, scope: UnitScope, filter: ModelFilter, page: ModelPage) {
  const reach = page.reach ?? (await searchReach(db, scope, filter));
  let query = db
    .selectFrom('models')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .innerJoin('fields', 'fields.code', 'models.field_code')
    .leftJoin('blocks', 'blocks.code', 'models.block_code')
    .select([...modelColumns, 'units.name as unit_name', 'units.code as unit_code', 'units.valid_to as unit_valid_to', 'fields.name as field_name', 'fields.name_en as field_name_en', 'blocks.name as block_name', 'blocks.name_en as block_name_en'])
    .where((eb) => matches(eb, scope, filter, reach));
  if (page.beforeId !== undefined) {
    if (page.sort !== 'newest') throw new Error('keyset paging is for the newest-first sort only');
    query = query.where('models.id', '<', page.beforeId);
  }
  for (const [key, direction] of ORDER[page.sort]) query = query.orderBy(key, direction);
  return query.offset(page.offset).limit(page.limit).execute();
}

export interface ModelCounts {
  /** Exact, or `cap` when `capped`: there are more. */
  total: number;
  /** Exact, or when `capped` the counts among the first cap + 1 matches found: lower bounds. */
  byStatus: Partial<Record<ModelStatus, number>>;
  capped: boolean;
}

/**
 * Counts the matching models by status. With a cap, counting stops after cap + 1 matches: a search
 * for a common word matches too many rows to count exactly in time.
 */
export async function countModels(db: Database, scope: UnitScope, filter: ModelFilter, options: { cap?: number; reach?: SearchReach } = {}): Promise<ModelCounts> {
  const { cap } = options;
  const reach = options.reach ?? (await searchReach(db, scope, filter));
  const rows =
    cap === undefined
      ? await db
          .selectFrom('models')
          .select(['models.status', (eb) => eb.fn.countAll<number>().as('count')])
          .where((eb) => matches(eb, scope, filter, reach))
          .groupBy('models.status')
          .execute()
      : await db
          .selectFrom((qb) => {
            const matched = qb.selectFrom('models').select('models.status').where((eb) => matches(eb, scope, filter, reach));
            // Through the scope in the unit index's order: PostgreSQL then reads the index as it goes and
            // stops at the cap, where a bitmap would first collect all of the scope's rows (~6 ms a province).
            return (reach === 'scope' ? matched.orderBy('models.unit_id') : matched).limit(cap + 1).as('matched');
          })
          .select(['matched.status', (eb) => eb.fn.countAll<number>().as('count')])
          .groupBy('matched.status')
          .execute();
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.count)])) as Partial<Record<ModelStatus, number>>;
  const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
  const capped = cap !== undefined && total > cap;
  return { total: capped ? cap : total, byStatus, capped };
}

export async function findModel(db: Database, id: number, scope: UnitScope): Promise<Model | undefined> {
  return db
    .selectFrom('models')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .innerJoin('fields', 'fields.code', 'models.field_code')
    .leftJoin('blocks', 'blocks.code', 'models.block_code')
    .leftJoin('models as original', 'original.id', 'models.replicates_model_id')
    .select([...modelColumns, 'units.name as unit_name', 'units.valid_to as unit_valid_to', 'fields.name as field_name', 'fields.name_en as field_name_en', 'blocks.name as block_name', 'blocks.name_en as block_name_en', 'original.code as replicates_code', 'original.title as replicates_title'])
    .where('models.id', '=', id)
    .where((eb) => matches(eb, scope, {}))
    .executeTakeFirst();
}

/** The id of the model with this code among the caller's units' models, if any. */
export async function findModelIdByCode(db: Database, code: string, scope: UnitScope): Promise<number | undefined> {
  const row = await db.selectFrom('models').select('models.id').where('models.code', '=', code).where((eb) => matches(eb, scope, {})).executeTakeFirst();
  return row?.id;
}

export async function getModel(db: Database, id: number, scope: UnitScope): Promise<Model> {
  const model = await findModel(db, id, scope);
  if (!model) throw new NotFoundError();
  return model;
}

/** Locks the model row for a status move or an edit; 404 outside the scope. */
export async function lockModel(db: Database, id: number, scope: UnitScope): Promise<ModelRow> {
  const model = await db.selectFrom('models').select(modelColumns).where('models.id', '=', id).where((eb) => matches(eb, scope, {})).forUpdate().executeTakeFirst();
  if (!model) throw new NotFoundError();
  return model;
}

export async function insertModel(trx: Database, values: NewModel): Promise<number> {
  return (await trx.insertInto('models').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Many registrations in one statement (an import's batch). */
export async function insertModels(trx: Database, rows: readonly NewModel[]): Promise<void> {
  await trx.insertInto('models').values([...rows]).execute();
}

/** A model's registration details (its status moves only through setModelStatus). */
export async function updateModelDetails(trx: Database, id: number, changes: Omit<Updateable<ModelsTable>, 'id' | 'code' | 'status' | 'created_by' | 'created_at' | 'updated_at' | 'search_words'>): Promise<void> {
  await trx.updateTable('models').set({ ...changes, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Moves the status only from `from`: a guard against a change the caller did not see. */
export async function setModelStatus(trx: Database, id: number, from: ModelStatus, to: ModelStatus): Promise<void> {
  await trx.updateTable('models').set({ status: to, updated_at: new Date() }).where('id', '=', id).where('status', '=', from).execute();
}

export async function insertModelReport(trx: Database, values: Omit<Insertable<ModelReportsTable>, 'id' | 'created_at'>) {
  return trx
    .insertInto('model_reports')
    .values(values)
    .returning(['id', 'from_status', 'to_status', 'reported_on', 'note', 'people_reached', 'funds_vnd', 'workdays', 'created_at'])
    .executeTakeFirstOrThrow();
}

export async function listReports(db: Database, modelId: number) {
  return db
    .selectFrom('model_reports')
    .leftJoin('users', 'users.id', 'model_reports.created_by')
    .select(['model_reports.id', 'from_status', 'to_status', 'reported_on', 'note', 'people_reached', 'funds_vnd', 'workdays', 'model_reports.created_at', 'users.full_name as reporter_name'])
    .where('model_id', '=', modelId)
    .orderBy('model_reports.id')
    .execute();
}

/** Takes `count` registration numbers for a prefix and year at once, from a counter row locked by the upsert; answers the last one. */
export async function reserveCodeNumbers(db: Database, prefix: string, year: number, count: number): Promise<number> {
  const row = await db
    .insertInto('model_code_counters')
    .values({ prefix, year, last_number: count })
    .onConflict((conflict) => conflict.columns(['prefix', 'year']).doUpdateSet({ last_number: sql`model_code_counters.last_number + ${count}` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

/**
 * The block of the unit, or of the nearest unit above it that has one; null when none has (a model
 * may have no block), undefined when the unit does not exist.
 */
export async function unitBlock(db: Database, unitId: number): Promise<string | null | undefined> {
  const { rows } = await sql<{ block_code: string | null }>`
    WITH RECURSIVE chain(id, parent_id, block_code, depth) AS (
      SELECT id, parent_id, block_code, 0 FROM units WHERE id = ${unitId}::integer
      UNION ALL
      SELECT units.id, units.parent_id, units.block_code, chain.depth + 1 FROM units JOIN chain ON units.id = chain.parent_id
      WHERE chain.block_code IS NULL AND chain.depth < 50
    )
    SELECT block_code FROM chain ORDER BY (block_code IS NULL), depth LIMIT 1`.execute(db);
  return rows.length === 0 ? undefined : (rows[0]!.block_code ?? null);
}

export async function referenceExists(db: Database, table: 'fields' | 'blocks', code: string): Promise<boolean> {
  return (await db.selectFrom(table).select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** A file this unit has already imported (same bytes), if any. */
export async function findImport(db: Database, unitId: number, sha256: Buffer) {
  return db.selectFrom('model_imports').select(['id', 'imported', 'encoding', 'created_at']).where('unit_id', '=', unitId).where('file_sha256', '=', sha256).executeTakeFirst();
}

/**
 * Records an import of these bytes for this unit, unless one is recorded: answers undefined then.
 * On PostgreSQL an identical claim still in flight makes this wait for its transaction to end.
 */
export async function claimImport(db: Database, claim: { unitId: number; sha256: Buffer; fileName: string; encoding: string; imported: number; createdBy: number }) {
  return db
    .insertInto('model_imports')
    .values({ unit_id: claim.unitId, file_sha256: claim.sha256, file_name: claim.fileName, encoding: claim.encoding, imported: claim.imported, created_by: claim.createdBy })
    .onConflict((conflict) => conflict.columns(['unit_id', 'file_sha256']).doNothing())
    .returning(['id', 'created_at'])
    .executeTakeFirst();
}

/** The figures of each model's latest progress report that has any (people, đồng, workdays), by model id. */
export async function latestFigures(db: Database, modelIds: readonly number[]) {
  if (modelIds.length === 0) return new Map<number, { reported_on: string; people_reached: number | null; funds_vnd: number | null; workdays: number | null }>();
  const rows = await db
    .selectFrom('model_reports')
    .distinctOn('model_id')
    .select(['model_id', 'reported_on', 'people_reached', 'funds_vnd', 'workdays'])
    .where('model_id', '=', anyOf(modelIds))
    .where((eb) => eb.or([eb('people_reached', 'is not', null), eb('funds_vnd', 'is not', null), eb('workdays', 'is not', null)]))
    .orderBy('model_id')
    .orderBy('reported_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map(({ model_id, ...figures }) => [model_id, figures]));
}

/** Each model's code, by id (the models a page of others replicates). */
export async function codesOf(db: Database, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('models').select(['id', 'code']).where('id', '=', anyOf([...new Set(ids)])).execute();
  return new Map(rows.map((row) => [row.id, row.code]));
}

// ------------------------------------------------------------------ evidence files

/** A model's evidence files (photos, reports) without their bytes, oldest first. */
export async function listModelFiles(db: Database, modelId: number) {
  return db.selectFrom('model_files').select(['id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_at']).where('model_id', '=', modelId).orderBy('id').execute();
}

export async function countModelFiles(trx: Database, modelId: number): Promise<number> {
  return Number((await trx.selectFrom('model_files').select((eb) => eb.fn.countAll<string>().as('n')).where('model_id', '=', modelId).executeTakeFirstOrThrow()).n);
}

export async function insertModelFile(trx: Database, file: { model_id: number; file_name: string; content_type: string; size_bytes: number; sha256: string; uploaded_by: number }, content: Buffer) {
  const row = await trx.insertInto('model_files').values(file).returning(['id', 'file_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_at']).executeTakeFirstOrThrow();
  await trx.insertInto('model_file_contents').values({ file_id: row.id, content }).execute();
  return row;
}

export async function deleteModelFile(trx: Database, modelId: number, fileId: number) {
  return trx.deleteFrom('model_files').where('id', '=', fileId).where('model_id', '=', modelId).returning(['id', 'file_name', 'sha256']).executeTakeFirst();
}

/** One file of a model with its bytes; undefined when the model has no such file. */
export async function findModelFile(db: Database, modelId: number, fileId: number) {
  return db
    .selectFrom('model_files')
    .innerJoin('model_file_contents', 'model_file_contents.file_id', 'model_files.id')
    .select(['model_files.file_name', 'model_files.content_type', 'model_file_contents.content'])
    .where('model_files.id', '=', fileId)
    .where('model_files.model_id', '=', modelId)
    .executeTakeFirst();
}
