// Benchmark of the year-end summary (GET /api/v1/reports/summary) and of the centre's national report
// (GET /api/v1/reports/national) at registry scale: the real app over HTTP against the SQL the report
// service runs, replayed bare through `pg`, on a real PostgreSQL 15 with the same generated data as
// bench/models-list.ts. For the national report (case e) the country's real units are loaded after
// cases a-d: the generated provinces take the official codes of the real ones of the same name, so
// the reference loader keeps them (and their models) and puts the 34 under the centre.
//
//   npx tsx bench/reports.ts                          1,000,000 models on a throw-away server
//   MODELS=100000 BENCH_REPS=10 npx tsx bench/reports.ts
//   BENCH_CASES=e npx tsx bench/reports.ts            the national report alone
//
// Settings (environment): as bench/models-list.ts (MODELS, BENCH_REPS (30), BENCH_WARMUP (3),
// DATABASE_URL, BENCH_KEEP, BENCH_REUSE, BENCH_INDEXES), BENCH_YEAR (2024) for the report year, and
// BENCH_CASES (a,b,c,d,e) for the cases to run.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { hashPassword } from '../server/auth/passwords.ts';
import { loadUnitScope, type UnitScope } from '../server/auth/scope.ts';
import { hashToken } from '../server/auth/service.ts';
import type { Role } from '../server/auth/user.ts';
import { buildNationalReport, buildSummary } from '../server/reports/service.ts';
import { loadReferenceUnits, referenceData } from '../server/units/reference/load.ts';
import type pg from 'pg';
import { interleaved, ms, table, type Summary } from './lib/measure.ts';
import { capturingKysely, Cleanups, openRegistry, registrySettings, say, shortenArrays, type CapturedQuery, startBenchApp } from './lib/registry.ts';

const AIM_PROVINCE_MS = 300;
const AIM_COUNTRY_MS = 1000;
const AIM_NATIONAL_MS = 1000;

type Who = 'admin' | 'secretary';

interface Case {
  id: string;
  label: string;
  who: Who;
  /** The unit's code, or undefined for the whole country. */
  unit?: string;
  year: number;
  /** The aim for the app's p95, when the case is in the verdict. */
  aimMs?: number;
}

interface Caller {
  who: Who;
  unitId: number;
  token: string;
  scope: UnitScope;
}

interface Result {
  c: Case;
  registered: number;
  groupRows: number;
  app: Summary;
  bareMain: Summary;
  bareAll: Summary;
  queries: CapturedQuery[];
  main: CapturedQuery;
  /** The grouped query as the service runs it: in a transaction after its SET LOCAL. */
  runMain(explain?: string): Promise<{ rows: unknown[] }>;
}

function settings(env: NodeJS.ProcessEnv) {
  const int = (name: string, fallback: number, min: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
    return value;
  };
  const cases = (env.BENCH_CASES ?? 'a,b,c,d,e').split(',').map((c) => c.trim()).filter(Boolean);
  return { ...registrySettings(env), repetitions: int('BENCH_REPS', 30, 1), warmup: int('BENCH_WARMUP', 3, 0), year: int('BENCH_YEAR', 2024, 2017), cases };
}

async function run(s: ReturnType<typeof settings>, cleanups: Cleanups): Promise<void> {
  const startLoad = loadavg().map((n) => n.toFixed(2)).join(' ');
  say(`Reports benchmark: ${s.models.toLocaleString('en')} models, ${s.repetitions} repetitions after ${s.warmup} warm-up rounds`);
  const { url, database, pool } = await openRegistry(s, cleanups);
  const db = database.db;

  // Ninh Bình absorbed Hà Nam and Nam Định on 1 July 2025: its report covers three provinces' history.
  const CASES = ([
    { id: 'a', label: `province NBH ${s.year}`, who: 'secretary', unit: 'NBH', year: s.year, aimMs: AIM_PROVINCE_MS },
    { id: 'b', label: `whole country ${s.year}`, who: 'admin', year: s.year, aimMs: AIM_COUNTRY_MS },
    { id: 'c', label: 'province NBH 2025 (after the merger)', who: 'secretary', unit: 'NBH', year: 2025 },
    { id: 'd', label: `province HNI ${s.year} (as admin)`, who: 'admin', unit: 'HNI', year: s.year },
  ] satisfies Case[] as Case[]).filter((c) => s.cases.includes(c.id));

  // ------------------------------------------------------------------ callers and the app
  const passwordHash = await hashPassword(randomBytes(12).toString('hex'));
  const callers = {} as Record<Who, Caller>;
  for (const [who, code] of [['admin', 'HNI'], ['secretary', 'NBH']] as const) {
    const role: Role = who;
    const unit = await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ username: `bench.${who}.${randomBytes(3).toString('hex')}`, password_hash: passwordHash, full_name: `Bench ${who}`, role, unit_id: unit.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    await db.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) }).execute();
    callers[who] = { who, unitId: unit.id, token, scope: await loadUnitScope(db, { role, unitId: unit.id }) };
  }
  const scope = callers.secretary.scope;
  say(`Scope of the secretary (NBH): ${scope.all ? 'all' : `${scope.unitIds.length} units`}`);

  const baseUrl = await startBenchApp(url, db, cleanups);

  const get = async (path: string, caller: Caller) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${caller.token}`, 'accept-language': 'vi' } });
    const body: unknown = await response.json();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body as { models: { registered: number; implementing: number; byUnit: unknown[] }; paragraph: string };
  };

  // The SQL the service builds, captured from a Kysely instance of its own and replayed bare.
  const capture = capturingKysely(url, cleanups);

  // ------------------------------------------------------------------ measurements
  say();
  const results: Result[] = [];
  for (const c of CASES) {
    const caller = callers[c.who];
    const unitId = c.unit ? (await db.selectFrom('units').select('id').where('code', '=', c.unit).executeTakeFirstOrThrow()).id : undefined;
    capture.take();
    const expected = await buildSummary(capture.db, { scope: caller.scope, user: { unitId: caller.unitId } }, { year: c.year, unitId });
    const queries = capture.take();
    const main = queries.find((q) => /GROUPING SETS/i.test(q.sql));
    if (!main) throw new Error(`(${c.id}) the grouped model query was not captured`);
    // Run one after the other before the rest: the subtree CTE and the root unit's name.
    const first = queries.filter((q) => /WITH RECURSIVE/i.test(q.sql) || /^select "id", "name", "code" from "units" where "id" = \$1$/i.test(q.sql.trim()));
    // The grouped query needs the subtree's units (for the branches): those two run in a chain.
    const units = queries.find((q) => /^select "id", "name", "code", "parent_id"/i.test(q.sql.trim()));
    if (!units) throw new Error(`(${c.id}) the subtree units query was not captured`);
    // The grouped query runs in a transaction of its own, after SET LOCAL work_mem: replayed the same way.
    const setLocal = queries.filter((q) => /^SET LOCAL/i.test(q.sql.trim()));
    const control = (q: CapturedQuery) => /^(begin|commit|rollback)$/i.test(q.sql.trim());
    const parallel = queries.filter((q) => !first.includes(q) && q !== units && q !== main && !setLocal.includes(q) && !control(q));
    const runMain = async (explain = '') => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const q of setLocal) await client.query(q.sql, q.parameters);
        const result = await client.query(`${explain}${main.sql}`, main.parameters);
        await client.query('COMMIT');
        return result;
      } finally {
        client.release();
      }
    };
    const groupRows = (await runMain()).rowCount ?? 0;

    const path = `/api/v1/reports/summary?${new URLSearchParams({ year: String(c.year), ...(unitId ? { unitId: String(unitId) } : {}) }).toString()}`;
    const body = await get(path, caller);
    if (body.models.registered !== expected.models.registered || body.models.implementing !== expected.models.implementing) {
      console.warn(`  WARNING (${c.id}): app and service differ (${body.models.registered} vs ${expected.models.registered})`);
    }

    const timing = await interleaved(
      {
        app: () => get(path, caller),
        bareMain: () => runMain(),
        // The service's SQL as it runs it: the subtree CTE and the root unit, then the rest at once
        // (the subtree's units, then the grouped query, beside the others).
        bareAll: async () => {
          for (const q of first) await pool.query(q.sql, q.parameters);
          const chain = async () => {
            await pool.query(units.sql, units.parameters);
            await runMain();
          };
          await Promise.all([chain(), ...parallel.map((q) => pool.query(q.sql, q.parameters))]);
        },
      },
      s.warmup,
      s.repetitions,
    );
    results.push({ c, registered: body.models.registered, groupRows, ...timing, queries, main, runMain });
    say(
      `(${c.id}) ${c.label}: ${body.models.registered.toLocaleString('en')} registered, ${groupRows.toLocaleString('en')} group rows, ` +
        `app ${ms(timing.app.median)}/${ms(timing.app.p95)} ms, main query ${ms(timing.bareMain.median)}/${ms(timing.bareMain.p95)} ms, all SQL ${ms(timing.bareAll.median)}/${ms(timing.bareAll.p95)} ms`,
    );
  }

  const national = s.cases.includes('e') ? await measureNational(s, db, pool, baseUrl, capture, passwordHash) : undefined;

  // ------------------------------------------------------------------ report
  say();
  say(`Results at ${s.models.toLocaleString('en')} models, ${s.repetitions} repetitions (ms; "main" = the grouped model query alone through pg; "all SQL" = every query of the summary, run as the service runs them)`);
  say(
    table(
      ['case', 'who', 'registered', 'group rows', 'app med', 'app p95', 'main med', 'main p95', 'app/main', 'all SQL med', 'app/all', 'aim p95'],
      results.map((r) => [
        `(${r.c.id}) ${r.c.label}`,
        r.c.who,
        r.registered.toLocaleString('en'),
        r.groupRows.toLocaleString('en'),
        ms(r.app.median),
        ms(r.app.p95),
        ms(r.bareMain.median),
        ms(r.bareMain.p95),
        (r.app.median / r.bareMain.median).toFixed(2),
        ms(r.bareAll.median),
        (r.app.median / r.bareAll.median).toFixed(2),
        r.c.aimMs ? `< ${r.c.aimMs}` : '-',
      ]),
    ),
  );
  if (national) {
    say();
    say(`National report (e), ${national.year}, as the centre's secretary (scope ${national.scopeUnits.toLocaleString('en')} units); "main" = the models-by-province query alone`);
    say(
      table(
        ['case', 'registered', 'provinces', 'app med', 'app p95', 'main med', 'main p95', 'all SQL med', 'all SQL p95', 'aim p95'],
        [[`(e) national ${national.year}`, national.registered.toLocaleString('en'), String(national.provinces), ms(national.app.median), ms(national.app.p95), ms(national.bareMain.median), ms(national.bareMain.p95), ms(national.bareAll.median), ms(national.bareAll.p95), `< ${AIM_NATIONAL_MS}`]],
      ),
    );
    say(`  ${national.adopted} generated provinces took the real official codes; the reference load inserted ${national.inserted.toLocaleString('en')} units in ${ms(national.loadMs)} ms; the whole country's summary counts ${national.countryRegistered.toLocaleString('en')} models of ${national.year}`);
  }
  say(`Load average: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (1/5/15 min) at the end, ${startLoad} at the start, on ${cpus().length} CPUs`);
  const verdict = results
    .filter((r) => r.c.aimMs !== undefined)
    .map((r) => `(${r.c.id}) ${r.app.p95 < (r.c.aimMs ?? 0) ? 'PASS' : 'FAIL'} p95 ${ms(r.app.p95)} < ${r.c.aimMs} ms`);
  if (national) verdict.push(`(e) ${national.app.p95 < AIM_NATIONAL_MS ? 'PASS' : 'FAIL'} p95 ${ms(national.app.p95)} < ${AIM_NATIONAL_MS} ms`);
  say(`Verdict at ${s.models.toLocaleString('en')} models: ${verdict.join('; ')}`);

  // ------------------------------------------------------------------ plans
  if (national) {
    say();
    say(`EXPLAIN (ANALYZE, BUFFERS) (e) national ${national.year} [models by province]`);
    say(`  ${national.main.sql}`);
    say(`  parameters: ${shortenArrays(JSON.stringify(national.main.parameters))}`);
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${national.main.sql}`, national.main.parameters);
    say(rows.map((row) => `  ${shortenArrays(row['QUERY PLAN'])}`).join('\n'));
  }
  for (const r of results.filter((x) => x.c.aimMs !== undefined)) {
    for (const q of r.queries.filter((x) => /from "?models"?\b/i.test(x.sql))) {
      say();
      say(`EXPLAIN (ANALYZE, BUFFERS) (${r.c.id}) ${r.c.label}${q === r.main ? ' [main grouped query]' : ''}`);
      say(`  ${q.sql}`);
      say(`  parameters: ${shortenArrays(JSON.stringify(q.parameters))}`);
      const explain = 'EXPLAIN (ANALYZE, BUFFERS) ';
      const { rows } = (q === r.main ? await r.runMain(explain) : await pool.query(`${explain}${q.sql}`, q.parameters)) as { rows: { 'QUERY PLAN': string }[] };
      say(rows.map((row) => `  ${shortenArrays(row['QUERY PLAN'])}`).join('\n'));
    }
  }
}

/** Province names folded for matching the generated ones with the real ones: "Tỉnh Thanh Hóa" and "Tỉnh Thanh Hoá" alike. */
function provinceKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/^(tinh|thanh pho)\s+/, '')
    .trim();
}

/**
 * Case (e): the country's real units loaded into the generated registry, then the centre's national
 * report timed over HTTP against its SQL. The generated provinces (in force and ended) first take the
 * official codes of the real ones of the same name, so that the loader keeps them with their models.
 */
async function measureNational(
  s: ReturnType<typeof settings>,
  db: Parameters<typeof buildNationalReport>[0],
  pool: pg.Pool,
  baseUrl: string,
  capture: ReturnType<typeof capturingKysely>,
  passwordHash: string,
) {
  const data = referenceData();
  const inForce = new Map(data.provinces.map(([code, name]) => [provinceKey(name), code]));
  const former = new Map(data.formerProvinces.map(([code, name]) => [provinceKey(name), code]));
  const generated = await db.selectFrom('units').select(['id', 'name', 'valid_to', 'official_code']).where('kind', '=', 'province').execute();
  let adopted = 0;
  for (const unit of generated.filter((u) => u.official_code === null)) {
    const code = (unit.valid_to === null ? inForce : former).get(provinceKey(unit.name));
    if (!code) {
      say(`  no real province for the generated ${unit.name}`);
      continue;
    }
    await db.updateTable('units').set({ official_code: code }).where('id', '=', unit.id).execute();
    adopted++;
  }
  const loadStarted = performance.now();
  const { inserted } = await loadReferenceUnits(db);
  const loadMs = performance.now() - loadStarted;
  say(`Reference units: ${adopted} generated provinces coded, ${inserted.toLocaleString('en')} units inserted in ${ms(loadMs)} ms`);

  const centre = await db.selectFrom('units').select('id').where('is_centre', '=', true).executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ username: `bench.centre.${randomBytes(3).toString('hex')}`, password_hash: passwordHash, full_name: 'Bench centre', role: 'secretary', unit_id: centre.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await db.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) }).execute();
  const scope = await loadUnitScope(db, { role: 'secretary', unitId: centre.id });

  const year = s.year;
  capture.take();
  const expected = await buildNationalReport(capture.db, { scope }, { year });
  const queries = capture.take();
  const main = queries.find((q) => /FROM models m/i.test(q.sql));
  if (!main) throw new Error('(e) the models-by-province query was not captured');
  const certificates = queries.find((q) => /FROM certificates c/i.test(q.sql));
  const centreQuery = queries.find((q) => /"is_centre" = \$1/i.test(q.sql));
  const tree = queries.find((q) => /WITH RECURSIVE/i.test(q.sql));
  const units = queries.find((q) => /^select "id", "parent_id", "successor_id" from "units"/i.test(q.sql.trim()));
  const provinces = queries.find((q) => /"kind" = \$2/i.test(q.sql));
  if (!certificates || !centreQuery || !tree || !units || !provinces) throw new Error(`(e) not every query of the national report was captured: ${queries.map((q) => q.sql.slice(0, 60)).join(' | ')}`);

  const path = `/api/v1/reports/national?year=${year}`;
  const get = async () => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { total: { registered: number }; provinces: unknown[] };
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  };
  const body = await get();
  if (body.total.registered !== expected.total.registered) console.warn(`  WARNING (e): app and service differ (${body.total.registered} vs ${expected.total.registered})`);
  const q = (query: CapturedQuery) => pool.query(query.sql, query.parameters);
  const timing = await interleaved(
    {
      app: get,
      bareMain: () => q(main),
      // As the service runs them: the centre; the tree then its units, beside the provinces; then models and certificates.
      bareAll: async () => {
        await q(centreQuery);
        await Promise.all([q(tree).then(() => q(units)), q(provinces)]);
        await Promise.all([q(main), q(certificates)]);
      },
    },
    s.warmup,
    s.repetitions,
  );
  const country = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM models WHERE year = $1', [year]);
  say(`(e) national ${year}: ${body.total.registered.toLocaleString('en')} registered in ${body.provinces.length} provinces, app ${ms(timing.app.median)}/${ms(timing.app.p95)} ms, main query ${ms(timing.bareMain.median)}/${ms(timing.bareMain.p95)} ms, all SQL ${ms(timing.bareAll.median)}/${ms(timing.bareAll.p95)} ms`);
  return {
    year, registered: body.total.registered, provinces: body.provinces.length, scopeUnits: scope.all ? 0 : scope.unitIds.length,
    adopted, inserted, loadMs, countryRegistered: country.rows[0]?.n ?? 0, main, ...timing,
  };
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
