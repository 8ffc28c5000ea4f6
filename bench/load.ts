// Load on loopback with autocannon against one app process (server/main.ts, NODE_ENV=production,
// TRUST_PROXY=1) on PostgreSQL 15 with the demo data, MODELS generated models and a decision of
// 1,000 certificates:
//   verify  GET /api/v1/verify/:code (public), a different code and X-Forwarded-For address on every
//           request: the limiter (30/min per address) is then out of the way and measured apart;
//   page    GET /models?year=2024 (the HTML list, 25 a page) with a session cookie from a real login
//           (GET /login for the CSRF token, POST /login);
//   api     GET /api/v1/models?year=2024&limit=25 with a bearer token;
// each at CONNECTIONS (50 and 100) for DURATION seconds: requests/s, p50/p99 latency, errors and
// non-2xx answers (zero expected). Each is set against "bare": the same SQL the handler runs
// (captured from the app's own repository functions) through a pg.Pool of the app's size (10) by as
// many concurrent loops as connections, for the same duration.
//
//   npx tsx bench/load.ts
//   DURATION=5 CONNECTIONS=50 MODELS=10000 npx tsx bench/load.ts
//
// Settings (environment): MODELS (100000), DURATION (30), CONNECTIONS ("50,100"), CASES ("verify,page,api"),
// DATABASE_URL (a server to use instead of a throw-away one; dvk_load is created there and dropped).
import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { loadUnitScope } from '../server/auth/scope.ts';
import { findCertificateByCode } from '../server/certificates/repository.ts';
import { countModels, listModels } from '../server/models/repository.ts';
import { countCap } from '../server/models/http.ts';
import { cpuSpent, cpuTimes, type CpuTimes } from './lib/cpu.ts';
import { startBenchServer } from './lib/postgres.ts';
import { ms, summarise, table } from './lib/measure.ts';
import { capturingKysely, runBench, say, type CapturedQuery, type Cleanups } from './lib/registry.ts';
import { apiToken, benchDatabase, insertBigDecision, insertModels, LOG_DIR, seedDemo, sessionCookie, startApp, stopProc, unitId } from './lib/cluster.ts';

const env = process.env;
const S = {
  models: Number(env.MODELS ?? 100_000),
  duration: Number(env.DURATION ?? 30),
  connections: (env.CONNECTIONS ?? '50,100').split(',').map(Number),
  cases: new Set((env.CASES ?? 'verify,page,api').split(',')),
};
const DATABASE = 'dvk_load';
const YEAR = 2024;
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function http(url: string, path: () => string, headers: () => Record<string, string>, connections: number, duration: number): Promise<Figures> {
  const result = await cannon({
    url,
    connections,
    duration,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: path(), headers: { ...request.headers, ...headers() } }) }],
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
  };
}

/** `connections` loops each running `work` back to back for `duration` seconds. */
async function bare(work: () => Promise<unknown>, connections: number, duration: number): Promise<Figures> {
  const samples: number[] = [];
  let errors = 0;
  const started = performance.now();
  const until = started + duration * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await work();
          samples.push(performance.now() - t);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...samples].sort((a, b) => a - b);
  const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
  return { rps: samples.length / elapsed, p50: summarise(samples).median, p99, requests: samples.length, errors, non2xx: 0, timeouts: 0 };
}

async function main(cleanups: Cleanups) {
  const startLoad = load();
  say(`Load benchmark: ${S.models.toLocaleString('en')} models, ${S.connections.join(' and ')} connections x ${S.duration} s, cases ${[...S.cases].join(',')}; load average ${startLoad} on ${cpus().length} CPUs`);
  const server = await startBenchServer(env.DATABASE_URL, (line) => say(`  ${line}`));
  cleanups.add(() => server.stop());
  say(`Server: ${server.describe}`);
  const url = await benchDatabase(server, DATABASE, cleanups);
  say(`seed:demo: ${await seedDemo(url)}`);
  const pool = new pg.Pool({ connectionString: url, max: 10 }); // the app's pool size (server/db/database.ts)
  cleanups.add(() => pool.end());
  let t = performance.now();
  await insertModels(pool, S.models);
  const decision = await insertBigDecision(pool, 1000);
  const counts = (await pool.query(`SELECT count(*)::int AS all, count(*) FILTER (WHERE year = ${YEAR})::int AS year FROM models`)).rows[0] as { all: number; year: number };
  say(`Data: ${counts.all.toLocaleString('en')} models (${counts.year.toLocaleString('en')} in ${YEAR}), ${decision.count} certificates, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const app = await startApp('load-app', url, { TRUST_PROXY: '1' });
  cleanups.add(async () => void (await stopProc(app)));
  say(`App: pid ${app.pid} ${app.url} (NODE_ENV=production, TRUST_PROXY=1), up in ${((performance.now() - t) / 1000).toFixed(1)} s; logs in ${LOG_DIR}`);
  const token = await apiToken(app.url, 'secretary');
  const cookie = await sessionCookie(app.url, 'secretary');

  // The list the secretary sees: the same rows from the page, the API and the bare SQL.
  const check = await fetch(`${app.url}/api/v1/models?year=${YEAR}&limit=25`, { headers: { authorization: `Bearer ${token}` } });
  const listed = (await check.json()) as { total: number; items: { id: number }[] };
  const page = await fetch(`${app.url}/models?year=${YEAR}`, { headers: { cookie } });
  const html = await page.text();
  if (page.status !== 200 || !html.includes(String(listed.items[0]?.id ?? '')) && !html.includes('/models/')) throw new Error(`GET /models with the session: ${page.status}`);
  say(`The secretary's ${YEAR} list: ${listed.total.toLocaleString('en')} models (page 1 of the HTML list: ${page.status}, ${html.length} bytes)`);

  // ---- the verification limiter, apart: one address gets 30 a minute, then 429
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    const r = await fetch(`${app.url}/api/v1/verify/${decision.codes[i]}`, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    await r.arrayBuffer();
    statuses.push(r.status);
  }
  const limiterOk = statuses.slice(0, 30).every((s) => s === 200) && statuses.slice(30).every((s) => s === 429);
  say(`Verify limiter: 40 requests from one address -> ${statuses.filter((s) => s === 200).length} x 200, ${statuses.filter((s) => s === 429).length} x 429 (${limiterOk ? 'PASS' : 'FAIL'}: 30 then 429)`);

  // ---- the bare SQL, captured from the repository functions the handlers call
  const capture = capturingKysely(url, cleanups);
  const secretaryUnit = await unitId(pool, 'AG');
  const scope = await loadUnitScope(capture.db, { role: 'secretary', unitId: secretaryUnit });
  capture.take();
  await findCertificateByCode(capture.db, decision.codes[0]!);
  const [verifySql] = capture.take() as [CapturedQuery];
  await listModels(capture.db, scope, { year: YEAR }, { sort: 'newest', offset: 0, limit: 25 });
  await countModels(capture.db, scope, { year: YEAR }, { cap: countCap({ year: YEAR }) });
  const [pageList, pageCount] = capture.take() as [CapturedQuery, CapturedQuery];
  await listModels(capture.db, scope, { year: YEAR }, { sort: 'newest', offset: 0, limit: 26 });
  const [apiList] = capture.take() as [CapturedQuery];
  const codeIndex = verifySql.parameters.indexOf(decision.codes[0]);

  let n = 0;
  let address = 0;
  const nextCode = () => decision.codes[n++ % decision.codes.length]!;
  const nextAddress = () => {
    address += 1;
    return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
  };
  const cases = [
    {
      id: 'verify',
      label: 'GET /api/v1/verify/:code (public)',
      app: (c: number) => http(app.url, () => `/api/v1/verify/${nextCode()}`, () => ({ 'x-forwarded-for': nextAddress() }), c, S.duration),
      bare: (c: number) =>
        bare(() => {
          const parameters = [...verifySql.parameters];
          parameters[codeIndex] = nextCode();
          return pool.query(verifySql.sql, parameters);
        }, c, S.duration),
      bareSql: 'certificate query by code (7 joins)',
    },
    {
      id: 'page',
      label: `GET /models?year=${YEAR} (HTML, session)`,
      app: (c: number) => http(app.url, () => `/models?year=${YEAR}`, () => ({ cookie }), c, S.duration),
      bare: (c: number) => bare(() => Promise.all([pool.query(pageList.sql, pageList.parameters), pool.query(pageCount.sql, pageCount.parameters)]), c, S.duration),
      bareSql: 'list (25) + counts by status, concurrently',
    },
    {
      id: 'api',
      label: `GET /api/v1/models?year=${YEAR}&limit=25 (token)`,
      app: (c: number) => http(app.url, () => `/api/v1/models?year=${YEAR}&limit=25`, () => ({ authorization: `Bearer ${token}` }), c, S.duration),
      bare: (c: number) => bare(() => Promise.all([pool.query(apiList.sql, apiList.parameters), pool.query(pageCount.sql, pageCount.parameters)]), c, S.duration),
      bareSql: 'list (26) + counts by status, concurrently',
    },
  ].filter((c) => S.cases.has(c.id));

  // Statements per request: every statement the app sends outside a transaction is one transaction, so the
  // database's committed transactions during a run, over the run's requests (the cumulative statistics are
  // flushed within a second: read after a pause).
  const committed = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return Number((await pool.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n);
  };

  const results: { id: string; label: string; connections: number; app: Figures; bare: Figures; load: string; statements: number; cpu: CpuTimes; bareCpu: CpuTimes }[] = [];
  const perRequest = (spent: CpuTimes, requests: number) => ({ app: spent.app / requests, postgres: spent.postgres / requests, self: spent.self / requests });
  for (const c of cases) {
    await c.app(10).catch(() => undefined); // warm-up is short and not counted
    for (const connections of S.connections) {
      const before = await committed();
      const cpuBefore = cpuTimes(app.pid);
      const appFigures = await c.app(connections);
      const cpu = perRequest(cpuSpent(cpuBefore, cpuTimes(app.pid)), Math.max(1, appFigures.requests));
      const statements = ((await committed()) - before - 1) / Math.max(1, appFigures.requests);
      const bareBefore = cpuTimes(undefined);
      const bareFigures = await c.bare(connections);
      const bareCpu = perRequest(cpuSpent(bareBefore, cpuTimes(undefined)), Math.max(1, bareFigures.requests));
      results.push({ id: c.id, label: c.label, connections, app: appFigures, bare: bareFigures, load: load(), statements, cpu, bareCpu });
      say(
        `${c.id} @${connections}: app ${appFigures.rps.toFixed(0)} req/s p50 ${ms(appFigures.p50)} p99 ${ms(appFigures.p99)} ms (${appFigures.requests} requests, ${appFigures.errors} errors, ${appFigures.non2xx} non-2xx, ${appFigures.timeouts} timeouts); ` +
          `bare ${bareFigures.rps.toFixed(0)}/s p50 ${ms(bareFigures.p50)} p99 ${ms(bareFigures.p99)} ms (${bareFigures.errors} errors); ${statements.toFixed(2)} statements a request; ` +
          `CPU ms a request: app ${ms(cpu.app)}, PostgreSQL ${ms(cpu.postgres)}, autocannon ${ms(cpu.self)}; bare: loops ${ms(bareCpu.self)}, PostgreSQL ${ms(bareCpu.postgres)}; load ${load()}`,
      );
    }
  }

  say(`\nResults: ${S.duration} s per run, one app process, ${counts.all.toLocaleString('en')} models (${counts.year.toLocaleString('en')} in ${YEAR}, ${listed.total.toLocaleString('en')} in the secretary's scope)`);
  say(
    table(
      ['case', 'conn', 'app req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'bare q/s', 'bare p50', 'bare p99', 'app ÷ bare req/s', 'p99 ÷ bare', 'SQL/request', 'load avg'],
      results.map((r) => [
        r.label,
        String(r.connections),
        r.app.rps.toFixed(0),
        ms(r.app.p50),
        ms(r.app.p99),
        String(r.app.errors + r.app.timeouts),
        String(r.app.non2xx),
        r.bare.rps.toFixed(0),
        ms(r.bare.p50),
        ms(r.bare.p99),
        (r.app.rps / r.bare.rps).toFixed(2),
        (r.app.p99 / r.bare.p99).toFixed(2),
        r.statements.toFixed(2),
        r.load.split(' ')[0]!,
      ]),
    ),
  );
  say('CPU milliseconds a request (/proc; the machine is shared, so what one group spends the others wait for):');
  say(
    table(
      ['case', 'conn', 'app', 'PostgreSQL', 'autocannon', 'sum', 'bare: loops', 'bare: PostgreSQL', 'bare sum'],
      results.map((r) => [
        r.id,
        String(r.connections),
        ms(r.cpu.app),
        ms(r.cpu.postgres),
        ms(r.cpu.self),
        ms(r.cpu.app + r.cpu.postgres + r.cpu.self),
        ms(r.bareCpu.self),
        ms(r.bareCpu.postgres),
        ms(r.bareCpu.self + r.bareCpu.postgres),
      ]),
    ),
  );
  say(`"bare" = ${cases.map((c) => `${c.id}: ${c.bareSql}`).join('; ')}; through pg.Pool(max 10), as many loops as connections. The app also authenticates (token or session lookup, unit scope), renders and sends.`);
  const clean = results.every((r) => r.app.errors === 0 && r.app.non2xx === 0 && r.app.timeouts === 0);
  say(`Verdict: ${clean ? 'PASS' : 'FAIL'} zero errors and zero non-2xx in every run; limiter ${limiterOk ? 'PASS' : 'FAIL'}`);
  // Issue 23's aims for the HTML page at 100 connections: at least half the bare query's rate, p99 under 300 ms.
  for (const r of results.filter((entry) => entry.id === 'page' && entry.connections === 100)) {
    const ratio = r.app.rps / r.bare.rps;
    say(`Aim (issue 23) page at 100 connections >= 0.5 x bare req/s: ${ratio >= 0.5 ? 'PASS' : 'FAIL'} (${ratio.toFixed(2)}); p99 < 300 ms: ${r.app.p99 < 300 ? 'PASS' : 'FAIL'} (${ms(r.app.p99)} ms); ${r.statements.toFixed(2)} SQL statements a request against 2 bare`);
    // Both runs use the whole machine: a rate is the CPU it has over the CPU a request takes, so the ratio aim is a budget.
    const page = r.cpu.app + r.cpu.postgres + r.cpu.self;
    const bareCost = r.bareCpu.self + r.bareCpu.postgres;
    say(`  CPU a page in all ${ms(page)} ms (app ${ms(r.cpu.app)}, PostgreSQL ${ms(r.cpu.postgres)}, autocannon ${ms(r.cpu.self)}); bare ${ms(bareCost)} ms; at 0.5 x bare a page may take ${ms(2 * bareCost)} ms in all, leaving the app ${ms(2 * bareCost - r.cpu.postgres - r.cpu.self)} ms`);
  }
  say(`Load average: ${load()} at the end, ${startLoad} at the start, on ${cpus().length} CPUs`);
  if (!clean || !limiterOk) process.exitCode = 1;
}

await runBench(main);
