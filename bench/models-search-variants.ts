// Companion to models-list.ts: the slow list and count queries of GET /api/v1/models as the
// repository writes them, against candidate rewrites, bare through `pg` on the same generated data.
// Candidates: JIT off; a count capped at 1,000 ("1,000+"); counts summed from a small table of
// per unit/year/status counts; and a word index (a stored tsvector column with a GIN index) in
// front of the LIKE, measured with the trigram index present and, in a second phase, without it.
//
//   npx tsx bench/models-search-variants.ts               (same settings as models-list.ts)
//
// Since sql/0007 the app caps search counts at 10,000 (models-list.ts measures that); "as is" here
// is the uncapped count.
//
// The word column is added to `models` (a table rewrite) and dropped at the end; on a kept
// database (BENCH_KEEP/BENCH_REUSE) the table keeps the dropped column's space until VACUUM FULL.
import pg from 'pg';
import { loadUnitScope, type UnitScope } from '../server/auth/scope.ts';
import { countModels, listModels, type ModelFilter } from '../server/models/repository.ts';
import { interleaved, ms, table, time, type Summary } from './lib/measure.ts';
import { capturingKysely, Cleanups, openRegistry, registrySettings, say, seconds, type CapturedQuery } from './lib/registry.ts';

const CAP = 1000;
const WORDS = 'bench_words';
const COUNTS_TABLE = 'bench_model_counts';

interface Case {
  id: string;
  label: string;
  scope: 'country' | 'province';
  filter: ModelFilter;
}

// Ids follow models-list.ts.
const CASES: Case[] = [
  { id: 'c', label: 'province search "dan van kheo"', scope: 'province', filter: { q: 'dan van kheo' } },
  { id: 'd', label: 'country search rare "thổ cẩm"', scope: 'country', filter: { q: 'thổ cẩm' } },
  { id: 'i', label: 'country search "phụ nữ"', scope: 'country', filter: { q: 'phụ nữ' } },
  { id: 'e', label: 'country list 2024', scope: 'country', filter: { year: 2024 } },
  { id: 'g', label: 'province list, all years', scope: 'province', filter: {} },
  { id: 'h', label: 'country list, all years', scope: 'country', filter: {} },
];

const LIKE = /"models"\."search_text" like '%' \|\| f_unaccent\(lower\((\$\d+)\)\) \|\| '%'/;

/** The same query with the word index in front of the LIKE: the same rows for whole-word queries. */
function withWords(sql: string): string {
  const match = LIKE.exec(sql);
  if (!match) throw new Error(`no search condition in: ${sql}`);
  return sql.replace(LIKE, `"models"."${WORDS}" @@ plainto_tsquery('simple', f_unaccent(lower(${match[1]}))) and ${match[0]}`);
}

/** The count query stopped after CAP + 1 matching rows. */
function capped(countSql: string): string {
  if (!/ group by "models"\."status"$/.test(countSql)) throw new Error(`unexpected count query: ${countSql}`);
  const where = / where (.*) group by /.exec(countSql)?.[1];
  return `select status, count(*) as count from (select "models"."status" from "models"${where ? ` where ${where}` : ''} limit ${CAP + 1}) capped group by status`;
}

type Runner = Pick<pg.Pool, 'query'> | pg.PoolClient;

interface Variant {
  name: string;
  sql: string;
  parameters: unknown[];
  on: Runner;
  counts: boolean;
}

async function main(cleanups: Cleanups): Promise<void> {
  const env = process.env;
  const s = { ...registrySettings(env), repetitions: Number(env.BENCH_REPS || 30), warmup: Number(env.BENCH_WARMUP || 3) };
  say(`Search and count variants: ${s.models.toLocaleString('en')} models, ${s.repetitions} repetitions after ${s.warmup} warm-up rounds`);
  const { url, database, pool } = await openRegistry(s, cleanups);
  const db = database.db;
  // A variant slower than this is reported as such, not timed.
  const limit = '-c statement_timeout=20s';
  const bare = new pg.Pool({ connectionString: url, max: 2, options: limit });
  const noJit = new pg.Pool({ connectionString: url, max: 2, options: `${limit} -c jit=off` });
  cleanups.add(() => bare.end());
  cleanups.add(() => noJit.end());

  say(`Building the candidates (removed at the end)...`);
  cleanups.add(async () => void (await pool.query(`ALTER TABLE models DROP COLUMN IF EXISTS ${WORDS}`)));
  const added = await time(() => pool.query(`ALTER TABLE models ADD COLUMN ${WORDS} tsvector GENERATED ALWAYS AS (to_tsvector('simple', f_unaccent(lower(code || ' ' || title || ' ' || summary)))) STORED`));
  const indexed = await time(async () => {
    await pool.query(`SET maintenance_work_mem = '1GB'`);
    await pool.query(`CREATE INDEX ${WORDS}_idx ON models USING gin (${WORDS})`);
  });
  // The rewrite left no visibility map and no statistics.
  const vacuumed = await time(() => pool.query('VACUUM (ANALYZE) models'));
  say(`  column ${WORDS} (tsvector, stored) added in ${seconds(added)}, GIN index in ${seconds(indexed)}, VACUUM (ANALYZE) in ${seconds(vacuumed)}`);
  await pool.query(`DROP TABLE IF EXISTS ${COUNTS_TABLE}`);
  cleanups.add(async () => void (await pool.query(`DROP TABLE IF EXISTS ${COUNTS_TABLE}`)));
  await pool.query(`CREATE TABLE ${COUNTS_TABLE} AS SELECT unit_id, year, status, count(*)::integer AS n FROM models GROUP BY unit_id, year, status`);
  await pool.query(`CREATE INDEX ON ${COUNTS_TABLE} (unit_id, year)`);
  await pool.query(`VACUUM ANALYZE ${COUNTS_TABLE}`);
  const sizes = await pool.query<{ words: string; counts: string; rows: number; heap: string }>(
    `SELECT pg_size_pretty(pg_relation_size('${WORDS}_idx')) AS words, pg_size_pretty(pg_total_relation_size('${COUNTS_TABLE}')) AS counts,
            (SELECT count(*)::integer FROM ${COUNTS_TABLE}) AS rows, pg_size_pretty(pg_table_size('models')) AS heap`,
  );
  const size = sizes.rows[0];
  say(`  models now ${size?.heap}; ${WORDS}_idx ${size?.words}; ${COUNTS_TABLE}: ${size?.rows} rows, ${size?.counts}`);

  const province = await db.selectFrom('units').select('id').where('code', '=', 'NBH').executeTakeFirstOrThrow();
  const scopes: Record<Case['scope'], UnitScope> = {
    country: { all: true },
    province: await loadUnitScope(db, { role: 'secretary', unitId: province.id }),
  };
  const capture = capturingKysely(url, cleanups);
  const captured = new Map<string, { list: CapturedQuery; count: CapturedQuery }>();
  for (const c of CASES) {
    await listModels(capture.db, scopes[c.scope], c.filter, { sort: 'newest', offset: 0, limit: 51 });
    await countModels(capture.db, scopes[c.scope], c.filter);
    const [list, count] = capture.take() as [CapturedQuery, CapturedQuery];
    captured.set(c.id, { list, count });
  }

  const rows: string[][] = [];
  const measure = async (c: Case, variants: Variant[], baseline: Map<string, Summary>) => {
    const usable: Variant[] = [];
    const answers = new Map<string, string>();
    for (const v of variants) {
      const started = performance.now();
      try {
        const result = await v.on.query<{ count?: number | string }>(v.sql, v.parameters);
        const total = v.counts ? result.rows.reduce((sum, row) => sum + Number(row.count), 0) : result.rows.length;
        answers.set(v.name, v.counts ? (v.name.includes('capped') && total > CAP ? `${CAP.toLocaleString('en')}+` : total.toLocaleString('en')) : `${total} rows`);
        usable.push(v);
      } catch (error) {
        rows.push([`(${c.id}) ${c.label}`, v.name, `failed after ${ms(performance.now() - started)} ms: ${error instanceof Error ? error.message : String(error)}`, '-', '-', '-']);
      }
    }
    const timing = await interleaved(Object.fromEntries(usable.map((v) => [v.name, () => v.on.query(v.sql, v.parameters)])), s.warmup, s.repetitions);
    for (const v of usable) {
      const t = timing[v.name] as Summary;
      if (v.name.endsWith(': as is')) baseline.set(`${c.id} ${v.name}`, t);
      const base = baseline.get(`${c.id} ${v.name.startsWith('list') ? 'list' : 'count'}: as is`);
      rows.push([`(${c.id}) ${c.label}`, v.name, answers.get(v.name) ?? '', ms(t.median), ms(t.p95), base ? `${(base.median / t.median).toFixed(1)}x` : '']);
    }
  };

  const baseline = new Map<string, Summary>();
  for (const c of CASES) {
    const { list, count } = captured.get(c.id) as { list: CapturedQuery; count: CapturedQuery };
    const variants: Variant[] = [
      { name: 'list: as is', sql: list.sql, parameters: list.parameters, on: bare, counts: false },
      { name: 'count: as is', sql: count.sql, parameters: count.parameters, on: bare, counts: true },
      { name: 'count: jit off', sql: count.sql, parameters: count.parameters, on: noJit, counts: true },
      { name: `count: capped at ${CAP.toLocaleString('en')}`, sql: capped(count.sql), parameters: count.parameters, on: bare, counts: true },
    ];
    if (c.filter.q) {
      variants.push(
        { name: 'list: words + LIKE', sql: withWords(list.sql), parameters: list.parameters, on: bare, counts: false },
        { name: 'count: words + LIKE', sql: withWords(count.sql), parameters: count.parameters, on: bare, counts: true },
      );
    } else {
      const ids = scopes[c.scope].all ? null : (scopes[c.scope] as { unitIds: readonly number[] }).unitIds;
      const conditions = [ids ? `unit_id = ANY($1::integer[])` : null, c.filter.year ? `year = ${Number(c.filter.year)}` : null].filter(Boolean);
      const sql = `select status, sum(n)::integer as count from ${COUNTS_TABLE}${conditions.length ? ` where ${conditions.join(' and ')}` : ''} group by status`;
      variants.push({ name: 'count: from a counts table', sql, parameters: ids ? [ids] : [], on: bare, counts: true });
    }
    await measure(c, variants, baseline);
    say(`(${c.id}) done`);
  }

  // Phase 2: the word index alone, the trigram index dropped in a transaction that is rolled back.
  const client = await bare.connect();
  try {
    await client.query('BEGIN');
    await client.query('DROP INDEX models_search_idx');
    for (const c of CASES.filter((x) => x.filter.q)) {
      const { list, count } = captured.get(c.id) as { list: CapturedQuery; count: CapturedQuery };
      await measure(c, [
        { name: 'list: words + LIKE, no trigram index', sql: withWords(list.sql), parameters: list.parameters, on: client, counts: false },
        { name: 'count: words + LIKE, no trigram index', sql: withWords(count.sql), parameters: count.parameters, on: client, counts: true },
      ], baseline);
      say(`(${c.id}) without the trigram index done`);
    }
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }

  rows.sort((x, y) => (x[0] ?? '').localeCompare(y[0] ?? '') || Number((x[1] ?? '').startsWith('count')) - Number((y[1] ?? '').startsWith('count')));
  say();
  say(`Bare SQL, ${s.repetitions} repetitions each, interleaved (ms); "speed-up" is the as-is median / the variant's median`);
  say(table(['case', 'variant', 'answer', 'median', 'p95', 'speed-up'], rows));
}

const cleanups = new Cleanups();
try {
  await main(cleanups);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await cleanups.run();
}
