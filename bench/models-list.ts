// Benchmark of the model list and search (GET /api/v1/models) at registry scale: the real app over
// HTTP against the same SQL replayed bare through `pg`, on a real PostgreSQL 15 with generated data.
//
//   npx tsx bench/models-list.ts                          1,000,000 models on a throw-away server
//   MODELS=100000 BENCH_REPS=20 npx tsx bench/models-list.ts
//
// Settings (environment):
//   MODELS         number of models (1000000)
//   BENCH_REPS     measured repetitions per case (50); BENCH_WARMUP warm-up rounds (5)
//   DATABASE_URL   a server to use instead of a throw-away one; dvk_bench is created on it, dropped at the end
//   BENCH_KEEP=1   keep dvk_bench (DATABASE_URL only); BENCH_REUSE=1 reuse a kept one of the same size
//   BENCH_INDEXES  "CREATE INDEX ...; DROP INDEX ..." run before measuring, to try candidate indexes
//                  (a kept database gets its indexes back at the end)
//   BENCH_EXPLAIN=all   plans for every case, not only the slowest
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { hashPassword } from '../server/auth/passwords.ts';
import { loadUnitScope, type UnitScope } from '../server/auth/scope.ts';
import { hashToken, userForToken } from '../server/auth/service.ts';
import type { Role } from '../server/auth/user.ts';
import { countModels, listModels, searchReach, type ModelFilter } from '../server/models/repository.ts';
import { countCap, LIST_COUNT_CAP } from '../server/models/http.ts';
import { modelListSchema } from '../server/models/schemas.ts';
import { validate } from '../server/web/validate.ts';
import { interleaved, ms, table, type Summary } from './lib/measure.ts';
import { capturingKysely, Cleanups, openRegistry, registrySettings, say, shortenArrays, type CapturedQuery, startBenchApp } from './lib/registry.ts';

const AIM_P95_MS = 50;
const AIM_RATIO = 2;

type Who = 'admin' | 'secretary' | 'agency';

interface Case {
  id: string;
  label: string;
  who: Who;
  query: Record<string, string>;
  /** Counted in the verdict (the brief's cases); the others are shown for information. */
  aim: boolean;
}

const CASES: Case[] = [
  { id: 'a', label: 'province list 2024', who: 'secretary', query: { year: '2024', limit: '50' }, aim: true },
  { id: 'b', label: 'province list 2024, field+status', who: 'secretary', query: { year: '2024', fieldCode: 'nong_thon_moi', status: 'implementing', limit: '50' }, aim: true },
  { id: 'c', label: 'province search "dan van kheo"', who: 'secretary', query: { q: 'dan van kheo', limit: '50' }, aim: true },
  { id: 'd', label: 'country search rare "thổ cẩm"', who: 'admin', query: { q: 'thổ cẩm', limit: '50' }, aim: true },
  { id: 'e', label: 'country list 2024 (+counts)', who: 'admin', query: { year: '2024', limit: '50' }, aim: true },
  { id: 'f', label: 'agency list 2024', who: 'agency', query: { year: '2024', limit: '50' }, aim: false },
  { id: 'g', label: 'province list, all years', who: 'secretary', query: { limit: '50' }, aim: false },
  { id: 'h', label: 'country list, all years', who: 'admin', query: { limit: '50' }, aim: false },
  { id: 'i', label: 'country search "phụ nữ"', who: 'admin', query: { q: 'phụ nữ', limit: '50' }, aim: false },
];

/** The secretary's province is Ninh Bình, which Hà Nam and Nam Định merged into on 1 July 2025. */
const UNIT_OF: Record<Who, string> = { admin: 'HNI', secretary: 'NBH', agency: 'NBH.SGDDT' };

interface Caller {
  who: Who;
  unitId: number;
  token: string;
  scope: UnitScope;
}

interface Result {
  c: Case;
  total: number;
  app: Summary;
  bare: Summary;
  bareList: Summary;
  bareCount: Summary;
  list: CapturedQuery;
  count: CapturedQuery;
  capped: boolean;
}

function settings(env: NodeJS.ProcessEnv) {
  const int = (name: string, fallback: number, min: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
    return value;
  };
  return { ...registrySettings(env), repetitions: int('BENCH_REPS', 50, 1), warmup: int('BENCH_WARMUP', 5, 0), explainAll: env.BENCH_EXPLAIN === 'all' };
}

async function run(s: ReturnType<typeof settings>, cleanups: Cleanups): Promise<void> {
  const startLoad = loadavg().map((n) => n.toFixed(2)).join(' ');
  say(`Model list benchmark: ${s.models.toLocaleString('en')} models, ${s.repetitions} repetitions after ${s.warmup} warm-up rounds`);
  const { url, database, pool } = await openRegistry(s, cleanups);
  const db = database.db;

  // ------------------------------------------------------------------ callers and the app
  const passwordHash = await hashPassword(randomBytes(12).toString('hex'));
  const callers = {} as Record<Who, Caller>;
  for (const who of ['admin', 'secretary', 'agency'] as const) {
    const role: Role = who;
    const unit = await db.selectFrom('units').select('id').where('code', '=', UNIT_OF[who]).executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ username: `bench.${who}.${randomBytes(3).toString('hex')}`, password_hash: passwordHash, full_name: `Bench ${who}`, role, unit_id: unit.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    await db.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) }).execute();
    callers[who] = { who, unitId: unit.id, token, scope: await loadUnitScope(db, { role, unitId: unit.id }) };
  }
  for (const who of ['secretary', 'agency'] as const) {
    const scope = callers[who].scope;
    say(`Scope of the ${who} (${UNIT_OF[who]}): ${scope.all ? 'all' : `${scope.unitIds.length} units`}`);
  }

  const baseUrl = await startBenchApp(url, db, cleanups);

  // Node's fetch keeps the connection alive between requests.
  const get = async (path: string, caller: Caller) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${caller.token}`, 'accept-language': 'vi' } });
    const body: unknown = await response.json();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body as { items: { id: number }[]; total: number; byStatus: Record<string, number> };
  };

  // The SQL the repository builds, captured from a Kysely instance of its own and replayed bare.
  const capture = capturingKysely(url, cleanups);
  const replay = async (queries: CapturedQuery[]) => {
    for (const query of queries) await pool.query(query.sql, query.parameters);
  };

  // ------------------------------------------------------------------ measurements
  say();
  // What every request pays before its own SQL: the token and user (all), the unit scope (all but admins).
  // A token's last use is written at most once a minute: after a first use, only the two reads remain.
  await userForToken(db, callers.secretary.token);
  await userForToken(capture.db, callers.secretary.token);
  const authQueries = capture.take();
  await loadUnitScope(capture.db, { role: 'secretary', unitId: callers.secretary.unitId });
  const scopeQueries = capture.take();
  const fixed = await interleaved(
    { me: () => get('/api/v1/me', callers.secretary), auth: () => replay(authQueries), scope: () => replay(scopeQueries) },
    s.warmup,
    s.repetitions,
  );
  say(
    `Fixed cost per API request: GET /api/v1/me median ${ms(fixed.me.median)} ms (p95 ${ms(fixed.me.p95)}), its SQL bare ` +
      `(${authQueries.length} query: the token with its user) ${ms(fixed.auth.median)} ms; unit-scope CTE (secretary, now cached per process) ${ms(fixed.scope.median)} ms`,
  );

  const results: Result[] = [];
  for (const c of CASES) {
    const caller = callers[c.who];
    // The same validation and filter as the route (routes.ts filterOf; no unitId in these cases).
    const query = validate(modelListSchema, { ...c.query }, { labels: 'model' });
    capture.take();
    const filter: ModelFilter = { year: query.year, fieldCode: query.fieldCode, blockCode: query.blockCode, status: query.status, kind: query.kind, q: query.q };
    const cap = countCap(filter);
    // A search in a narrow scope first asks pg_stats how common its words are (searchReach), once per
    // request before the list and the count, as the route does: the bare run does the same.
    const reach = await searchReach(capture.db, caller.scope, filter);
    const [reachQuery] = capture.take() as [CapturedQuery?];
    await listModels(capture.db, caller.scope, filter, { sort: query.sort, offset: 0, limit: query.limit + 1, reach });
    await countModels(capture.db, caller.scope, filter, { cap, reach });
    const [list, count] = capture.take() as [CapturedQuery, CapturedQuery];
    const reached = async () => {
      if (reachQuery) await pool.query(reachQuery.sql, reachQuery.parameters);
    };
    const path = `/api/v1/models?${new URLSearchParams(c.query).toString()}`;

    // The app and the bare SQL must answer the same thing.
    const body = await get(path, caller);
    const [bareRows, bareCounts] = await Promise.all([pool.query<{ id: number }>(list.sql, list.parameters), pool.query<{ count: number }>(count.sql, count.parameters)]);
    const bareTotal = Math.min(bareCounts.rows.reduce((sum, row) => sum + Number(row.count), 0), cap ?? Infinity);
    const sameIds = body.items.map((item) => item.id).join() === bareRows.rows.slice(0, query.limit).map((row) => row.id).join();
    if (!sameIds || body.total !== bareTotal) console.warn(`  WARNING (${c.id}): app and bare SQL differ (total ${body.total} vs ${bareTotal}, same ids: ${sameIds})`);

    const timing = await interleaved(
      {
        app: () => get(path, caller),
        // Both queries at once on two connections, as the route runs them (Promise.all).
        bare: async () => {
          await reached();
          return Promise.all([pool.query(list.sql, list.parameters), pool.query(count.sql, count.parameters)]);
        },
        bareList: () => pool.query(list.sql, list.parameters),
        bareCount: () => pool.query(count.sql, count.parameters),
      },
      s.warmup,
      s.repetitions,
    );
    const capped = (body as { totalCapped?: boolean }).totalCapped === true;
    results.push({ c, total: body.total, ...timing, list, count, capped });
    say(`(${c.id}) ${c.label}${reach === 'scope' ? ' [reached through the scope]' : ''}: ${capped ? 'more than ' : ''}${body.total.toLocaleString('en')} rows, app ${ms(timing.app.median)}/${ms(timing.app.p95)} ms, bare ${ms(timing.bare.median)}/${ms(timing.bare.p95)} ms`);
  }

  // ------------------------------------------------------------------ report
  say();
  say(`Results at ${s.models.toLocaleString('en')} models, ${s.repetitions} repetitions (ms; "bare" = the same list + count SQL through pg, run concurrently like the app)`);
  say(
    table(
      ['case', 'who', 'rows total', 'app med', 'app p95', 'bare med', 'bare p95', 'ratio med', 'ratio p95', 'list med', 'count med'],
      results.map((r) => [
        `(${r.c.id}) ${r.c.label}${r.c.aim ? '' : ' *'}`,
        r.c.who,
        `${r.capped ? '> ' : ''}${r.total.toLocaleString('en')}`,
        ms(r.app.median),
        ms(r.app.p95),
        ms(r.bare.median),
        ms(r.bare.p95),
        (r.app.median / r.bare.median).toFixed(2),
        (r.app.p95 / r.bare.p95).toFixed(2),
        ms(r.bareList.median),
        ms(r.bareCount.median),
      ]),
    ),
  );
  say(`* extra case, not in the verdict. "list med"/"count med": each bare query alone.`);
  say(`Fixed cost per API request (not in "bare"): ${ms(fixed.me.median)} ms for GET /api/v1/me (${ms(fixed.auth.median)} ms of it token + user SQL), + ${ms(fixed.scope.median)} ms scope CTE for non-admins when not cached (30 s per unit).`);
  say(`Load average: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (1/5/15 min) at the end, ${startLoad} at the start, on ${cpus().length} CPUs`);

  const aims = results.filter((r) => r.c.aim);
  const slowP95 = aims.filter((r) => r.app.p95 >= AIM_P95_MS);
  const heavy = aims.filter((r) => r.app.median / r.bare.median >= AIM_RATIO);
  const verdict = [
    slowP95.length === 0 ? `PASS p95 < ${AIM_P95_MS} ms` : `FAIL p95 < ${AIM_P95_MS} ms (${slowP95.map((r) => `${r.c.id}: ${ms(r.app.p95)}`).join(', ')})`,
    heavy.length === 0 ? `PASS app < ${AIM_RATIO}x bare` : `FAIL app < ${AIM_RATIO}x bare (${heavy.map((r) => `${r.c.id}: ${(r.app.median / r.bare.median).toFixed(2)}x, +${ms(r.app.median - r.bare.median)} ms`).join(', ')})`,
  ];
  say(`Verdict at ${s.models.toLocaleString('en')} models, cases a-e: ${verdict.join('; ')}`);

  // ------------------------------------------------------------------ counts that do not grow (issue 23)
  // Before: every list counted its rows exactly. After: a list counts up to LIST_COUNT_CAP and says
  // "more than" beyond it. The same SQL both ways, bare, for a province and the whole country over all
  // years: the exact count grows with the rows, the capped one must not (country ÷ province).
  say();
  say(`Counts that do not grow (issue 23): exact count (before) and count up to ${LIST_COUNT_CAP.toLocaleString('en')} (after), bare SQL, ${s.repetitions} repetitions`);
  const grown: { id: string; exact: Summary; capped: Summary; rows: number; app: Summary }[] = [];
  for (const id of ['g', 'h']) {
    const c = CASES.find((entry) => entry.id === id)!;
    const caller = callers[c.who];
    capture.take();
    await countModels(capture.db, caller.scope, {}, {});
    await countModels(capture.db, caller.scope, {}, { cap: LIST_COUNT_CAP });
    const [exact, capped] = capture.take() as [CapturedQuery, CapturedQuery];
    const rows = (await pool.query<{ count: number }>(exact.sql, exact.parameters)).rows.reduce((sum, row) => sum + Number(row.count), 0);
    const timing = await interleaved({ exact: () => pool.query(exact.sql, exact.parameters), capped: () => pool.query(capped.sql, capped.parameters) }, s.warmup, s.repetitions);
    grown.push({ id, rows, ...timing, app: results.find((r) => r.c.id === id)!.app });
  }
  say(
    table(
      ['case', 'rows', 'exact med', 'exact p95', 'capped med', 'capped p95', 'app p95 (after)'],
      grown.map((g) => [`(${g.id}) ${CASES.find((c) => c.id === g.id)!.label}`, g.rows.toLocaleString('en'), ms(g.exact.median), ms(g.exact.p95), ms(g.capped.median), ms(g.capped.p95), ms(g.app.p95)]),
    ),
  );
  const [province, country] = grown as [(typeof grown)[number], (typeof grown)[number]];
  const growthExact = country.exact.median / province.exact.median;
  const growthCapped = country.capped.median / province.capped.median;
  say(`Growth from the province (${province.rows.toLocaleString('en')} rows) to the country (${country.rows.toLocaleString('en')}): exact ${growthExact.toFixed(2)}x, capped ${growthCapped.toFixed(2)}x`);
  say(`Aim (issue 23) whole-country list over all years, app p95 < ${AIM_P95_MS} ms: ${country.app.p95 < AIM_P95_MS ? 'PASS' : 'FAIL'} (${ms(country.app.p95)} ms)`);
  say(`Aim (issue 23) the count flat as the registry grows, capped country ÷ province < 1.5: ${growthCapped < 1.5 ? 'PASS' : 'FAIL'} (${growthCapped.toFixed(2)}x; exact ${growthExact.toFixed(2)}x)`);

  // ------------------------------------------------------------------ plans
  // The slowest of the verdict's cases, and the slowest overall when that is an extra one.
  const bySlowness = [...results].sort((x, y) => y.app.p95 - x.app.p95);
  const slowest = new Set([bySlowness.find((r) => r.c.aim), bySlowness[0]].filter((r): r is Result => r !== undefined));
  for (const r of s.explainAll ? results : [...slowest]) {
    for (const [name, captured] of [['list', r.list], ['count', r.count]] as const) {
      say();
      say(`EXPLAIN (ANALYZE, BUFFERS) (${r.c.id}) ${r.c.label}: ${name} query${slowest.has(r) ? ` [slowest${r.c.aim ? ' of a-e' : ''} by app p95]` : ''}`);
      say(`  ${captured.sql}`);
      say(`  parameters: ${shortenArrays(JSON.stringify(captured.parameters))}`);
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${captured.sql}`, captured.parameters);
      say(rows.map((row) => `  ${shortenArrays(row['QUERY PLAN'])}`).join('\n'));
    }
  }
}

const cleanups = new Cleanups();
try {
  await run(settings(process.env), cleanups);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await cleanups.run();
}
