// The import's limits under load: time, answers and the app process's peak memory (RSS sampled every
// 20 ms from outside, in /proc) for a 540.000-row .xlsx refused at the row cap (alone and three at
// once), a zip bomb, a 20.000-row valid import and a 20.000-bad-row CSV; and meanwhile the longest
// wait of GET /login, asked every 100 ms. The app runs in a child process on an in-memory PGlite
// (or in a fresh database on DATABASE_URL's server).
//
//   npx tsx bench/models-import-limits.ts
//   DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres npx tsx bench/models-import-limits.ts
//   CASES=big,big3 …                       # a subset: big, big3, bomb, valid, bad
//
// It talks to the app over HTTP only, so the same file run from a checkout of the old code
// measures "before".
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { createApp } from '../server/app.ts';
import { hashToken } from '../server/auth/service.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { IMPORT_COLUMNS } from '../server/models/import.ts';
import { BENCH_PROVINCE, BENCH_UNITS, buildCsv, buildXlsx, generateRows } from './lib/import-data.ts';
import { sheetXml, xlsxWithSheet } from './lib/raw-xlsx.ts';

const MB = 1024 * 1024;
const HEADER = IMPORT_COLUMNS.map((column) => column.header);

// ---------------------------------------------------------------------------------------------
// The app, in its own process.
// ---------------------------------------------------------------------------------------------

async function serve(databaseUrl: string | undefined): Promise<void> {
  const database = await openDatabase({ databaseUrl, pgliteDir: 'memory://' });
  const { db } = database;
  await migrateToLatest(db);
  const province = await db.insertInto('units').values({ code: BENCH_PROVINCE.code, name: BENCH_PROVINCE.name, kind: 'province', block_code: null }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('units').values(BENCH_UNITS.map((unit) => ({ code: unit.code, name: unit.name, kind: unit.kind, block_code: unit.block, parent_id: province.id }))).execute();
  const user = await db.insertInto('users').values({ username: 'bd.angiang', password_hash: 'bench:no-password-login', full_name: 'Cán bộ Ban Dân vận An Giang', role: 'agency', unit_id: province.id }).returning('id').executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await db.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) }).execute();
  const config = loadConfig({ NODE_ENV: 'production', PORT: '0', SESSION_SECRET: 'bench-secret-that-is-at-least-32-characters-long' });
  const server = createApp({ config, db }).listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port, token }));
  // The event loop's longest stall, apart from waits for a core on a busy machine.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  process.on('message', (command) => {
    if (command === 'loop-reset') return void (loop.reset(), process.send!({ reset: true }));
    if (command === 'loop-read') return void process.send!({ maxMs: loop.max / 1e6 });
    server.closeAllConnections();
    server.close(() => void database.close().then(() => process.exit(0)));
  });
}

// ---------------------------------------------------------------------------------------------
// The driver.
// ---------------------------------------------------------------------------------------------

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

interface Answer {
  status: number;
  bytes: number;
  summary: string;
}

async function upload(baseUrl: string, token: string, fileName: string, content: Buffer): Promise<Answer> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), fileName);
  const response = await fetch(`${baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  let summary = text.slice(0, 80);
  try {
    const body = JSON.parse(text);
    summary = body.error ? `${body.error.code}${body.error.reason ? `/${body.error.reason}` : ''}${body.error.details ? ` details ${body.error.details.length}` : ''}${body.error.totalErrors ? ` of ${body.error.totalErrors}` : ''}` : `imported ${body.imported}`;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, bytes: Buffer.byteLength(text), summary };
}

function ask<T>(child: ChildProcess, command: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message as T));
    child.send(command);
  });
}

/** Runs the uploads at once while sampling the app's RSS and timing GET /login every 100 ms. */
async function measure(child: ChildProcess, baseUrl: string, uploads: () => Promise<Answer>[]) {
  const pid = child.pid!;
  await ask(child, 'loop-reset');
  const baseline = rssOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 20);
  let running = true;
  let loginMax = 0;
  let logins = 0;
  const prober = (async () => {
    while (running) {
      const started = performance.now();
      // A keep-alive socket the blocked app let time out resets: ask again on a new one, timed from the first try.
      for (let attempt = 1; ; attempt++) {
        try {
          await (await fetch(`${baseUrl}/login`)).text();
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      loginMax = Math.max(loginMax, performance.now() - started);
      logins++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const started = performance.now();
  const answers = await Promise.all(uploads());
  const ms = performance.now() - started;
  running = false;
  await prober;
  clearInterval(sampler);
  peak = Math.max(peak, rssOf(pid));
  const { maxMs: loopMax } = await ask<{ maxMs: number }>(child, 'loop-read');
  return { ms, answers, baseline, peak, loginMax, logins, loopMax };
}

async function main(): Promise<void> {
  const cases = (process.env.CASES ?? 'big,big3,bomb,valid,bad').split(',');
  const log = (line: string) => process.stderr.write(`[import-limits] ${line}\n`);

  log('building the files');
  const bigRows = function* () {
    yield HEADER;
    for (let n = 1; n <= 540_000; n++) yield [`Mô hình ${n}`, String(2000 + (n % 27))];
  };
  const big = xlsxWithSheet(sheetXml(bigRows()));
  const head = sheetXml([HEADER]);
  const bomb = xlsxWithSheet(Buffer.concat([head.subarray(0, head.length - '</worksheet>'.length), Buffer.alloc(120 * MB, ' '), Buffer.from('</worksheet>')]));
  const rows = generateRows(20_000);
  const valid = cases.includes('valid') ? await buildXlsx(rows) : Buffer.alloc(0);
  // Short rows, each with one error (the year), as in the issue's 640 KB file.
  const bad = Buffer.from(['"Tên mô hình, điển hình",Mã đơn vị,Năm,Lĩnh vực,Loại,Nội dung tóm tắt', ...Array.from({ length: 20_000 }, (_, n) => `Mô hình ${n + 1},AGG.SYT,1990,Kinh tế,Mô hình,Vận động nhân dân tham gia.`)].join('\r\n'), 'utf8');

  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `dvk_bench_limits_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  }
  const child = fork(fileURLToPath(import.meta.url), ['--serve', databaseUrl ?? ''], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { port: number; token: string }));
      child.once('exit', (code) => reject(new Error(`the app exited with ${code}`)));
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    // A warm-up: the first import starts the worker thread (and the old code's first exceljs load).
    await upload(baseUrl, token, 'warm.csv', buildCsv(generateRows(20, 3)));

    console.log(`Import limits benchmark — Node ${process.version}, ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}, app in a child process`);
    console.log(`Files: 540.000-row .xlsx ${(big.length / MB).toFixed(1)} MB; zip bomb .xlsx ${(bomb.length / MB).toFixed(2)} MB (120 MB inflated); 20.000-row valid .xlsx ${(valid.length / MB).toFixed(2)} MB; 20.000 bad rows .csv ${(bad.length / MB).toFixed(2)} MB\n`);
    console.log('| case | wall s | answers | answer bytes | app RSS before → peak MB | peak growth MB | longest GET /login ms (n) | longest event-loop stall ms |');
    console.log('|---|---:|---|---:|---:|---:|---:|---:|');
    const all: Record<string, () => Promise<Answer>[]> = {
      big: () => [upload(baseUrl, token, 'big.xlsx', big)],
      big3: () => [1, 2, 3].map((n) => upload(baseUrl, token, `big-${n}.xlsx`, big)),
      bomb: () => [upload(baseUrl, token, 'bomb.xlsx', bomb)],
      valid: () => [upload(baseUrl, token, 'valid.xlsx', valid)],
      bad: () => [upload(baseUrl, token, 'bad.csv', bad)],
    };
    const names: Record<string, string> = { big: '540.000 rows .xlsx', big3: '540.000 rows .xlsx ×3 at once', bomb: 'zip bomb (120 MB inflated)', valid: '20.000 valid rows .xlsx', bad: '20.000 bad rows .csv' };
    for (const name of cases) {
      log(name);
      await new Promise((resolve) => setTimeout(resolve, 2000)); // let the app settle
      const result = await measure(child, baseUrl, all[name]!);
      const answers = result.answers.map((answer) => `${answer.status} ${answer.summary}`).join('; ');
      console.log(`| ${names[name]} | ${(result.ms / 1000).toFixed(2)} | ${answers} | ${result.answers.map((answer) => answer.bytes).join(', ')} | ${(result.baseline / MB).toFixed(0)} → ${(result.peak / MB).toFixed(0)} | ${((result.peak - result.baseline) / MB).toFixed(0)} | ${result.loginMax.toFixed(0)} (${result.logins}) | ${result.loopMax.toFixed(0)} |`);
    }
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await dropDatabase();
  }
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3] || undefined).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
