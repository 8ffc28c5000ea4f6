// Benchmark of the unit picker's search over the country's real units (34 provinces, the 63 before
// them, 3.321 communes): GET /units/search?q= as the combobox asks it (the app over HTTP, with a
// session), the picker's query alone (searchUnits) and the API's list with its count (listUnits), for typical texts typed by an administrator
// (every unit) and by a province's secretary (Tỉnh An Giang and its communes). The aim: p95 ≤ 20 ms.
//
//   npx tsx bench/unit-search.ts                 PGlite in memory, then a throw-away PostgreSQL 15
//   BENCH_POSTGRES=0 npx tsx bench/unit-search.ts   PGlite only
//
// Settings (environment):
//   BENCH_REPS      measured repetitions per text and contender (100); BENCH_WARMUP warm-up rounds (10)
//   BENCH_POSTGRES  0 to skip PostgreSQL; DATABASE_URL a server to use instead of a throw-away one
//                   (a database dvk_bench_units is created on it and dropped at the end)
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { createApp } from '../server/app.ts';
import { hashPassword, setPasswordHashCost } from '../server/auth/passwords.ts';
import { loadUnitScope, type UnitScope } from '../server/auth/scope.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type OpenDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { SEARCH_LIMIT } from '../server/units/picker.ts';
import { loadReferenceUnits } from '../server/units/reference/load.ts';
import { listUnits, searchUnits } from '../server/units/repository.ts';
import { interleaved, ms, summarise, table, time } from './lib/measure.ts';
import { startBenchServer, withDatabase } from './lib/postgres.ts';
import { Cleanups, runBench, say } from './lib/registry.ts';

const AIM_P95_MS = 20;
const REPS = Number(process.env.BENCH_REPS ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const BENCH_DATABASE = 'dvk_bench_units';

/** What people type: a commune without diacritics, with them, a state's code, a province, a short prefix. */
const TEXTS = ['rach gia', 'phường ba đình', '30742', 'an giang', 'ha noi', 'xa tan', 'ph', 'VN-91'];

type Who = 'admin' | 'secretary';

interface Caller {
  who: Who;
  scope: UnitScope;
  cookie: string;
}

async function main(cleanups: Cleanups): Promise<void> {
  say(`Unit picker search: ${cpus().length} cores, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}; ${REPS} repetitions after ${WARMUP} warm-up rounds; aim p95 ≤ ${AIM_P95_MS} ms`);
  await measure('PGlite (embedded, in memory)', await openDatabase({ pgliteDir: 'memory://' }), cleanups);
  if (process.env.BENCH_POSTGRES !== '0') {
    const server = await startBenchServer(process.env.DATABASE_URL, (line) => say(`  ${line}`));
    cleanups.add(() => server.stop());
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    await admin.end();
    cleanups.add(async () => {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
      await client.end();
    });
    const database = await openDatabase({ databaseUrl: withDatabase(server.adminUrl, BENCH_DATABASE) });
    await measure(`PostgreSQL (${server.describe})`, database, cleanups);
  }
}

/** Loads the units into the database, starts the app on it, and prints each text's figures for both callers. */
async function measure(backend: string, database: OpenDatabase, cleanups: Cleanups): Promise<void> {
  cleanups.add(() => database.close());
  const { db } = database;
  await migrateToLatest(db);
  const loaded = await time(() => loadReferenceUnits(db));
  const units = Number((await db.selectFrom('units').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  say(`\n${backend}: ${units} units (loaded in ${ms(loaded)} ms)`);

  const password = randomBytes(12).toString('hex');
  setPasswordHashCost(12);
  const passwordHash = await hashPassword(password);
  const province = await db.selectFrom('units').select('id').where('code', '=', 'VN-91').executeTakeFirstOrThrow();
  const config = loadConfig({ NODE_ENV: 'development', PORT: '0', SESSION_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'silent', PASSWORD_HASH_COST: '12' });
  const app = createApp({ config, db });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.add(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callers: Caller[] = [];
  for (const who of ['admin', 'secretary'] as const) {
    const username = `bench_${who}_${randomBytes(3).toString('hex')}`;
    const user = await db
      .insertInto('users')
      .values({ username, password_hash: passwordHash, full_name: `Bench ${who}`, role: who, unit_id: province.id })
      .returning(['id', 'role', 'unit_id'])
      .executeTakeFirstOrThrow();
    callers.push({ who, scope: await loadUnitScope(db, { role: user.role, unitId: user.unit_id }), cookie: await logIn(baseUrl, username, password) });
  }

  const rows: string[][] = [];
  const p95s: number[] = [];
  for (const caller of callers) {
    for (const text of TEXTS) {
      const query = `/units/search?includeEnded=1&q=${encodeURIComponent(text)}`;
      let answered = 0;
      const result = await interleaved(
        {
          http: async () => {
            const response = await fetch(baseUrl + query, { headers: { cookie: caller.cookie, accept: 'application/json' } });
            if (!response.ok) throw new Error(`${query}: ${response.status}`);
            answered = ((await response.json()) as { items: unknown[] }).items.length;
          },
          repository: () => searchUnits(db, caller.scope, { q: text, includeEnded: true, limit: SEARCH_LIMIT + 1 }),
          // The API's list (GET /api/v1/units?q=): the same match ordered by code, plus a count that scans every name again.
          withCount: () => listUnits(db, caller.scope, { q: text, includeEnded: true, limit: SEARCH_LIMIT + 1 }),
        },
        WARMUP,
        REPS,
      );
      p95s.push(result.http.p95);
      rows.push([caller.who, JSON.stringify(text), String(answered), ms(result.withCount.median), ms(result.withCount.p95), ms(result.repository.median), ms(result.repository.p95), ms(result.http.median), ms(result.http.p95), result.http.p95 <= AIM_P95_MS ? 'yes' : 'NO']);
    }
  }
  say(table(['who', 'text', 'units', 'listUnits p50', 'p95', 'searchUnits p50', 'p95', 'HTTP p50', 'HTTP p95', `≤ ${AIM_P95_MS} ms`], rows));
  const worst = summarise(p95s);
  say(`${backend}: worst HTTP p95 ${ms(worst.max)} ms, median of the p95s ${ms(worst.median)} ms (ms; searchUnits = the picker's query alone, listUnits = the API's with its count, HTTP = GET /units/search with a session)`);
}

/** Signs in through the login form and answers the session cookie. */
async function logIn(baseUrl: string, username: string, password: string): Promise<string> {
  const form = await fetch(`${baseUrl}/login`);
  const cookieOf = (response: Response) => response.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  const cookie = cookieOf(response);
  if (response.status !== 303 || !cookie) throw new Error(`login failed: ${response.status}`);
  return cookie;
}

await runBench(main);
