// What a request costs in CPU, by kind: from a probe that does nothing up to the model list page, in the
// app process and in PostgreSQL (issue 23: "the fixed cost of a request: find it and cut it"). Rates at
// 100 connections (bench/load.ts) are bounded by the CPU each request takes on 2 cores shared by the app,
// PostgreSQL and the load generator; here each kind of request is measured apart, at low concurrency, as
// CPU milliseconds a request read from /proc (Linux), which a noisy machine disturbs far less than rates.
//
//   npx tsx bench/request-cost.ts
//   COMPARE=/path/to/another/checkout npx tsx bench/request-cost.ts   (before and after in one run)
//   TRANSPORTS=tcp,socket npx tsx bench/request-cost.ts                (PostgreSQL over TCP or its Unix socket)
//
// One throw-away PostgreSQL 15 (or DATABASE_URL), the demo data and MODELS generated models; an app process
// (NODE_ENV=production, TRUST_PROXY=1) per round; autocannon sends REQUESTS requests of each case over CONNECTIONS
// connections after 300 unmeasured ones. With COMPARE, that checkout's app takes its turn after this one's in
// every round, on the same database; with TRANSPORTS=tcp,socket, the app reaches PostgreSQL through 127.0.0.1 and
// then through the server's Unix socket, in turn (the throw-away server only). Figures are medians over ROUNDS.
//
// Settings (environment): MODELS (10000), CONNECTIONS (8), REQUESTS (3000), ROUNDS (3), CASES (all:
// probe,login,me,account,api,page), COMPARE, TRANSPORTS (tcp), DATABASE_URL.
import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { cpuSpent, cpuTimes } from './lib/cpu.ts';
import { ms, table } from './lib/measure.ts';
import { startBenchServer, throughSocket } from './lib/postgres.ts';
import { runBench, say, type Cleanups } from './lib/registry.ts';
import { apiToken, benchDatabase, insertModels, ROOT, seedDemo, sessionCookie, startApp, stopProc } from './lib/cluster.ts';

const env = process.env;
const S = {
  models: Number(env.MODELS ?? 10_000),
  connections: Number(env.CONNECTIONS ?? 8),
  requests: Number(env.REQUESTS ?? 3000),
  rounds: Number(env.ROUNDS ?? 3),
  cases: (env.CASES ?? 'probe,login,me,account,api,page').split(','),
  compare: env.COMPARE,
  transports: (env.TRANSPORTS ?? 'tcp').split(',') as ('tcp' | 'socket')[],
};
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

interface Case {
  id: string;
  label: string;
  path: string;
  credentials: 'none' | 'token' | 'session';
}

const CASES: Case[] = [
  { id: 'probe', label: 'GET /healthz: before the log, the session and the routers', path: '/healthz', credentials: 'none' },
  { id: 'login', label: 'GET /login, no session: log, headers, layout', path: '/login', credentials: 'none' },
  { id: 'me', label: 'GET /api/v1/me (token): the token and one row', path: '/api/v1/me', credentials: 'token' },
  { id: 'account', label: 'GET /account (session): the session and a small page', path: '/account', credentials: 'session' },
  { id: 'api', label: 'GET /api/v1/models?year=2024&limit=25 (token)', path: '/api/v1/models?year=2024&limit=25', credentials: 'token' },
  { id: 'page', label: 'GET /models?year=2024 (session): the list page', path: '/models?year=2024', credentials: 'session' },
];

interface Cost {
  app: number;
  postgres: number;
  generator: number;
  statements: number;
  rate: number;
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (error, result) => (error ? reject(error) : resolve(result))));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(cleanups: Cleanups) {
  const startLoad = load();
  const cases = CASES.filter((c) => S.cases.includes(c.id));
  const roots = [{ name: 'this', root: ROOT }, ...(S.compare ? [{ name: 'compare', root: S.compare }] : [])];
  say(`Request cost: ${cases.map((c) => c.id).join(', ')}; ${S.requests} requests over ${S.connections} connections, ${S.rounds} rounds; ${roots.map((c) => `${c.name} = ${c.root}`).join(', ')}; PostgreSQL over ${S.transports.join(', ')}; load ${startLoad} on ${cpus().length} CPUs`);
  const server = await startBenchServer(env.DATABASE_URL, (line) => say(`  ${line}`));
  cleanups.add(() => server.stop());
  const url = await benchDatabase(server, 'dvk_request_cost', cleanups);
  const { socketDir } = server;
  if (S.transports.includes('socket') && !socketDir) throw new Error('TRANSPORTS=socket needs the throw-away server (no DATABASE_URL)');
  // Each checkout over each transport: "this", or "this/socket", "compare/tcp"... when there are several.
  const checkouts = roots.flatMap((checkout) =>
    S.transports.map((transport) => ({
      name: S.transports.length > 1 ? `${checkout.name}/${transport}` : checkout.name,
      root: checkout.root,
      databaseUrl: transport === 'socket' ? throughSocket(url, socketDir!) : url,
    })),
  );
  say(`seed:demo: ${await seedDemo(url)}`);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  cleanups.add(() => pool.end());
  await insertModels(pool, S.models);
  // Statements a request: every statement outside a transaction is one (bench/load.ts); read after the statistics' flush.
  const committed = async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return Number((await pool.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()')).rows[0]!.n);
  };

  const costs = new Map<string, Cost[]>(); // `${checkout}:${case}`
  for (let round = 1; round <= S.rounds; round++) {
    for (const checkout of checkouts) {
      const app = await startApp(`cost-${checkout.name.replace('/', '-')}-${round}`, checkout.databaseUrl, { TRUST_PROXY: '1' }, checkout.root); // the session cookie is Secure: it comes through X-Forwarded-Proto
      try {
        const headers = { none: {}, token: { authorization: `Bearer ${await apiToken(app.url, 'secretary')}` }, session: { cookie: await sessionCookie(app.url, 'secretary') } };
        const line: string[] = [];
        for (const c of cases) {
          const request = { url: `${app.url}${c.path}`, headers: headers[c.credentials], connections: S.connections };
          await cannon({ ...request, amount: 300 });
          const before = await committed();
          const cpuBefore = cpuTimes(app.pid);
          const result = await cannon({ ...request, amount: S.requests });
          const spent = cpuSpent(cpuBefore, cpuTimes(app.pid));
          const statements = ((await committed()) - before - 1) / S.requests;
          if (result.errors || result.timeouts || result.non2xx) throw new Error(`${checkout.name} ${c.id}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`);
          const cost = { app: spent.app / S.requests, postgres: spent.postgres / S.requests, generator: spent.self / S.requests, statements, rate: result.requests.total / result.duration };
          costs.set(`${checkout.name}:${c.id}`, [...(costs.get(`${checkout.name}:${c.id}`) ?? []), cost]);
          line.push(`${c.id} ${ms(cost.app)}/${ms(cost.postgres)}`);
        }
        say(`round ${round}, ${checkout.name}: app/PostgreSQL CPU ms a request: ${line.join(', ')}; load ${load()}`);
      } finally {
        await stopProc(app);
      }
    }
  }

  const of = (checkout: string, id: string) => {
    const list = costs.get(`${checkout}:${id}`) ?? [];
    return { app: median(list.map((c) => c.app)), postgres: median(list.map((c) => c.postgres)), generator: median(list.map((c) => c.generator)), statements: median(list.map((c) => c.statements)), rate: median(list.map((c) => c.rate)), runs: list.map((c) => c.app) };
  };
  say();
  say(`CPU milliseconds a request, medians of ${S.rounds} rounds (${S.requests} requests each, ${S.connections} connections):`);
  say(
    table(
      ['case', 'checkout', 'app', 'app runs', 'PostgreSQL', 'autocannon', 'SQL/request', 'req/s'],
      cases.flatMap((c) =>
        checkouts.map((checkout) => {
          const cost = of(checkout.name, c.id);
          return [c.label, checkout.name, ms(cost.app), cost.runs.map(ms).join(', '), ms(cost.postgres), ms(cost.generator), cost.statements.toFixed(2), cost.rate.toFixed(0)];
        }),
      ),
    ),
  );
  const has = (id: string) => cases.some((c) => c.id === id);
  for (const checkout of checkouts) {
    const prefix = checkouts.length > 1 ? `${checkout.name}: ` : '';
    if (has('probe') && has('me')) {
      const probe = of(checkout.name, 'probe');
      const me = of(checkout.name, 'me');
      say(`${prefix}fixed cost of a token request (me - probe): app ${ms(me.app - probe.app)} ms, PostgreSQL ${ms(me.postgres - probe.postgres)} ms`);
    }
    if (has('probe') && has('account')) {
      const probe = of(checkout.name, 'probe');
      const account = of(checkout.name, 'account');
      say(`${prefix}fixed cost of a page with a session (account - probe): app ${ms(account.app - probe.app)} ms, PostgreSQL ${ms(account.postgres - probe.postgres)} ms`);
    }
    if (has('page')) {
      // On these cores the app process, PostgreSQL and the load generator share the CPU: a request's sum bounds the rate.
      const page = of(checkout.name, 'page');
      const sum = page.app + page.postgres + page.generator;
      say(`${prefix}the list page's ceiling here: ${cpus().length} CPUs / ${ms(sum)} ms a page = ${((cpus().length * 1000) / sum).toFixed(0)} pages/s; one app process alone: 1000 / ${ms(page.app)} ms = ${(1000 / page.app).toFixed(0)} pages/s`);
    }
  }
  const [first, ...others] = checkouts;
  for (const other of others) {
    const ratio = (id: string, part: 'app' | 'postgres') => (of(first!.name, id)[part] / of(other.name, id)[part]).toFixed(2);
    say(`${first!.name} ÷ ${other.name}, CPU a request: ${cases.map((c) => `${c.id} app ${ratio(c.id, 'app')}${c.id === 'probe' ? '' : ` PostgreSQL ${ratio(c.id, 'postgres')}`}`).join('; ')}`);
  }
  say(`Load average: ${load()} at the end, ${startLoad} at the start, on ${cpus().length} CPUs`);
}

await runBench(main);
