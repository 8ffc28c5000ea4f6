// Model import benchmark: a ROWS-row .xlsx and the same rows as .csv, uploaded over real HTTP to
// the real app (POST /api/v1/models/import) running in this process, on an in-memory PGlite and on
// a PostgreSQL 15 server. For each backend and format: wall time, rows/s, peak memory (RSS and
// heap, minus the baseline), that exactly ROWS models were added, that the same file with one bad
// row adds nothing and answers 422, and the phases (reading, validation, the insert transaction)
// timed separately in-process.
//
//   npx tsx bench/models-import.ts                     # ROWS=10000; starts a throw-away PostgreSQL
//   ROWS=15000 DATABASE_URL=postgres://... npx tsx bench/models-import.ts
//   PHASE_RUNS=5 …                                     # runs of the read and parse phases (fastest counts; default 3)
//
// Each backend × format case runs in a fresh child process (forked from this script), so every
// memory baseline is clean: RSS given back to the OS after one upload would otherwise hide the next.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { createApp } from '../server/app.ts';
import { callerFor } from '../server/auth/caller.ts';
import { hashToken } from '../server/auth/service.ts';
import { loadUnitScope } from '../server/auth/scope.ts';
import type { SessionUser } from '../server/auth/user.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { MAX_IMPORT_ROWS, readSpreadsheet } from '../server/models/import.ts';
import { parseModelImport } from '../server/models/import-runner.ts';
import { importModels } from '../server/models/service.ts';
import { MAX_UPLOAD_BYTES } from '../server/models/transfer-routes.ts';
import { BENCH_PROVINCE, BENCH_UNITS, buildCsv, buildXlsx, describeRows, generateRows, withOneBadRow } from './lib/import-data.ts';
import { measure, type MemoryPeaks } from './lib/import-memory.ts';
import { startBenchServer, withDatabase, type BenchServer } from './lib/postgres.ts';

type Format = 'xlsx' | 'csv';
type Backend = 'pglite' | 'postgres';

interface CaseSpec {
  backend: Backend;
  format: Format;
  databaseUrl?: string;
  rows: number;
  badLine: number;
  phaseRuns: number;
  files: { main: string; bad: string; warm: string };
}

interface Measured {
  ms: number;
  peaks: MemoryPeaks;
}

interface CaseResult {
  backend: Backend;
  format: Format;
  upload: Measured & { status: number; imported: unknown; encoding: unknown };
  added: number;
  bad: Measured & { status: number; added: number; details: number; firstMessage: string };
  phases: { read: Measured; parse: Measured; importTx: Measured; importAdded: number; rowsRead: number };
}

const MB = 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const log = (line: string) => process.stderr.write(`[models-import] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// One case, in its own process: the app over one database, uploads, checks and phases.
// ---------------------------------------------------------------------------------------------

async function count(db: Database): Promise<number> {
  const row = await db.selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function seed(db: Database) {
  const province = await db
    .insertInto('units')
    .values({ code: BENCH_PROVINCE.code, name: BENCH_PROVINCE.name, kind: 'province', block_code: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('units')
    .values(BENCH_UNITS.map((unit) => ({ code: unit.code, name: unit.name, kind: unit.kind, block_code: unit.block, parent_id: province.id })))
    .execute();
  // The user signs in with a token only, so the password hash is never checked.
  const user = await db
    .insertInto('users')
    .values({ username: 'bd.angiang', password_hash: 'bench:no-password-login', full_name: 'Cán bộ Ban Dân vận An Giang', role: 'agency', unit_id: province.id })
    .returning(['id', 'username', 'full_name', 'unit_id'])
    .executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await db.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) }).execute();
  const sessionUser: SessionUser = { id: user.id, username: user.username, fullName: user.full_name, role: 'agency', unitId: user.unit_id, unitName: BENCH_PROVINCE.name, language: 'vi' };
  return { sessionUser, token };
}

/** The file as the browser would send it (built before any measurement starts). */
function asBlob(fileName: string, buffer: Buffer): Blob {
  return new Blob([new Uint8Array(buffer)], { type: fileName.endsWith('.xlsx') ? XLSX_TYPE : 'text/csv' });
}

async function upload(baseUrl: string, token: string, fileName: string, file: Blob) {
  const form = new FormData();
  form.append('file', file, fileName);
  const response = await fetch(`${baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function fastest<T extends { ms: number }>(runs: number, run: () => Promise<T>): Promise<T> {
  let best = await run();
  for (let i = 1; i < runs; i++) {
    const next = await run();
    if (next.ms < best.ms) best = next;
  }
  return best;
}

async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const database = await openDatabase({ databaseUrl: spec.databaseUrl, pgliteDir: 'memory://' });
  let server: Server | undefined;
  try {
    const { db } = database;
    await migrateToLatest(db);
    const { sessionUser, token } = await seed(db);
    const config = loadConfig({ NODE_ENV: 'production', PORT: '0', SESSION_SECRET: 'bench-secret-that-is-at-least-32-characters-long' });
    const app = createApp({ config, db });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const name = (kind: string) => `danh-sach-mo-hinh-${kind}.${spec.format}`;
    const main = readFileSync(spec.files.main);
    const bad = readFileSync(spec.files.bad);
    const warm = readFileSync(spec.files.warm);

    // Warm-up: a small file of the same format, so the figures are not the JIT's first run.
    const warmed = await upload(baseUrl, token, name('warm-up'), asBlob(name('warm-up'), warm));
    if (warmed.status !== 200) throw new Error(`warm-up upload answered ${warmed.status}: ${JSON.stringify(warmed.body).slice(0, 500)}`);

    // 1. The whole file over HTTP.
    const mainBlob = asBlob(name('day-du'), main);
    const badBlob = asBlob(name('mot-dong-sai'), bad);
    let before = await count(db);
    const good = await measure(() => upload(baseUrl, token, name('day-du'), mainBlob));
    const added = (await count(db)) - before;
    if (good.result.status !== 200) throw new Error(`upload answered ${good.result.status}: ${JSON.stringify(good.result.body).slice(0, 1000)}`);

    // 2. The same file with one bad row: 422, nothing added.
    before = await count(db);
    const refused = await measure(() => upload(baseUrl, token, name('mot-dong-sai'), badBlob));
    const badAdded = (await count(db)) - before;
    const details = (refused.result.body?.error?.details ?? []) as { field: string; message: string }[];
    const expectedField = `rows[${spec.badLine}].startedOn`;
    if (refused.result.status !== 422 || details.length !== 1 || details[0]?.field !== expectedField) {
      throw new Error(`the bad file should answer 422 naming ${expectedField} only, got ${refused.result.status}: ${JSON.stringify(refused.result.body).slice(0, 500)}`);
    }

    // 3. The phases, in-process, on the same database.
    const scope = await loadUnitScope(db, sessionUser);
    // Reading and parsing change nothing, so they run PHASE_RUNS times and the fastest run counts.
    const read = await fastest(spec.phaseRuns, () => measure(() => readSpreadsheet(name('day-du'), main, config.imports)));
    const parse = await fastest(spec.phaseRuns, () => measure(() => parseModelImport(db, scope, name('day-du'), Buffer.from(main), config.imports)));
    before = await count(db);
    const caller = await callerFor(db, sessionUser, { userId: sessionUser.id, ip: '127.0.0.1' });
    const importTx = await measure(() => importModels(db, caller, parse.result.inputs, { fileName: name('day-du'), encoding: parse.result.encoding, sha256: createHash('sha256').update('phase run').digest() }));
    const importAdded = (await count(db)) - before;

    const strip = <T>({ ms, peaks }: Measured & { result: T }): Measured => ({ ms, peaks });
    return {
      backend: spec.backend,
      format: spec.format,
      upload: { ...strip(good), status: good.result.status, imported: good.result.body?.imported, encoding: good.result.body?.encoding },
      added,
      bad: { ...strip(refused), status: refused.result.status, added: badAdded, details: details.length, firstMessage: details[0] ? `${details[0].field}: ${details[0].message}` : JSON.stringify(refused.result.body).slice(0, 200) },
      phases: { read: strip(read), parse: strip(parse), importTx: strip(importTx), importAdded, rowsRead: read.result.length },
    };
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await database.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The driver: files, servers, one child process per case, the tables.
// ---------------------------------------------------------------------------------------------

function runChild(spec: CaseSpec): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--case', JSON.stringify(spec)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let outcome: { result?: CaseResult; error?: string } = {};
    child.on('message', (message) => (outcome = message as typeof outcome));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (outcome.result) resolve(outcome.result);
      else reject(new Error(`${spec.backend}/${spec.format}: ${outcome.error ?? `child exited with code ${code}`}`));
    });
  });
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / MB).toFixed(0);
const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, index) => (index < 2 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((width, index) => (index < 2 ? ':' : '-') + '-'.repeat(width) + (index < 2 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const rows = Number(process.env.ROWS ?? 10_000);
  const phaseRuns = Math.max(1, Number(process.env.PHASE_RUNS ?? 3));
  if (!Number.isInteger(rows) || rows < 1 || rows + 1 > MAX_IMPORT_ROWS) throw new Error(`ROWS must be an integer from 1 to ${MAX_IMPORT_ROWS - 1} (the bad file has one more row)`);
  const work = mkdtempSync(join(tmpdir(), 'dvk-bench-import-'));
  let pgServer: BenchServer | undefined;
  const stopEverything = async () => {
    await pgServer?.stop().catch(() => undefined);
    pgServer = undefined;
    rmSync(work, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void stopEverything().finally(() => process.exit(130));
    });
  }

  try {
    // 1. The files.
    let started = performance.now();
    const data = generateRows(rows);
    const { rows: badRows, badLine } = withOneBadRow(data);
    const generateMs = performance.now() - started;
    started = performance.now();
    const xlsx = await buildXlsx(data);
    const xlsxMs = performance.now() - started;
    started = performance.now();
    const csv = buildCsv(data);
    const csvMs = performance.now() - started;
    const files = {
      xlsx: { main: join(work, 'main.xlsx'), bad: join(work, 'bad.xlsx'), warm: join(work, 'warm.xlsx') },
      csv: { main: join(work, 'main.csv'), bad: join(work, 'bad.csv'), warm: join(work, 'warm.csv') },
    };
    const badXlsx = await buildXlsx(badRows);
    const badCsv = buildCsv(badRows);
    writeFileSync(files.xlsx.main, xlsx);
    writeFileSync(files.xlsx.bad, badXlsx);
    writeFileSync(files.xlsx.warm, await buildXlsx(generateRows(200, 7)));
    writeFileSync(files.csv.main, csv);
    writeFileSync(files.csv.bad, badCsv);
    writeFileSync(files.csv.warm, buildCsv(generateRows(200, 7)));

    console.log(`Model import benchmark — ROWS=${rows}, Node ${process.version}, ${process.platform}/${process.arch}`);
    console.log(`Data: ${describeRows(data)}`);
    console.log(`Files: .xlsx ${(xlsx.length / MB).toFixed(2)} MB (built in ${seconds(xlsxMs)} s), .csv ${(csv.length / MB).toFixed(2)} MB (${seconds(csvMs)} s); rows generated in ${seconds(generateMs)} s; upload limit ${MAX_UPLOAD_BYTES / MB} MB`);
    console.log(`Bad files: one extra row at line ${badLine} with the start date 31/02/2025 (.xlsx ${(badXlsx.length / MB).toFixed(2)} MB, .csv ${(badCsv.length / MB).toFixed(2)} MB)`);
    for (const [format, size] of [['xlsx', xlsx.length], ['csv', csv.length]] as const) {
      if (size > MAX_UPLOAD_BYTES) console.log(`WARNING: the .${format} is over the upload limit; expect 413`);
    }

    // 2–4. The cases.
    const results: CaseResult[] = [];
    const failures: string[] = [];
    const run = async (spec: CaseSpec) => {
      log(`${spec.backend} / .${spec.format} …`);
      try {
        results.push(await runChild(spec));
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
        log(`FAILED ${spec.backend} / .${spec.format}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    for (const format of ['xlsx', 'csv'] as const) await run({ backend: 'pglite', format, rows, badLine, phaseRuns, files: files[format] });

    pgServer = await startBenchServer(process.env.DATABASE_URL, log);
    const pgDescribe = pgServer.describe;
    for (const format of ['xlsx', 'csv'] as const) {
      const name = `dvk_bench_import_${process.pid}_${format}`;
      const admin = new pg.Client({ connectionString: pgServer.adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
        try {
          await run({ backend: 'postgres', format, rows, badLine, phaseRuns, files: files[format], databaseUrl: withDatabase(pgServer.adminUrl, name) });
        } finally {
          await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }
      } finally {
        await admin.end();
      }
    }
    await pgServer.stop();
    pgServer = undefined;

    // 5. The figures.
    console.log(`\nPostgreSQL: ${pgDescribe}; PGlite: in memory, in this process`);
    console.log('\nUpload over HTTP (POST /api/v1/models/import, multipart, bearer token; a warm-up upload of 200 rows first; each case in a fresh process)');
    console.log(
      table(
        ['backend', 'format', 'wall s', 'rows/s', 'peak RSS Δ MB', 'peak heap Δ MB', 'max loop stall ms', 'added', 'bad file', 'bad file s', 'bad added'],
        results.map((r) => [
          r.backend, `.${r.format}`, seconds(r.upload.ms), rate(rows, r.upload.ms), mb(r.upload.peaks.rssPeak), mb(r.upload.peaks.heapPeak),
          r.upload.peaks.maxLoopDelayMs.toFixed(0), `${r.added}${r.added === rows ? ' ✓' : ' ✗'}`, String(r.bad.status), seconds(r.bad.ms), `${r.bad.added}${r.bad.added === 0 ? ' ✓' : ' ✗'}`,
        ]),
      ),
    );
    console.log(`\nPhases in-process (same file, same database; read and parse: fastest of ${phaseRuns}): readSpreadsheet, parseModelImport (which reads the file again, so validation ≈ parse − read), importModels (one transaction, once)`);
    console.log(
      table(
        ['backend', 'format', 'read s', 'validate s', 'insert tx s', 'sum s', 'insert rows/s', 'read stall ms', 'parse stall ms', 'insert stall ms'],
        results.map((r) => {
          const { read, parse, importTx } = r.phases;
          return [
            r.backend, `.${r.format}`, seconds(read.ms), seconds(parse.ms - read.ms), seconds(importTx.ms), seconds(parse.ms + importTx.ms), rate(r.phases.importAdded, importTx.ms),
            read.peaks.maxLoopDelayMs.toFixed(0), parse.peaks.maxLoopDelayMs.toFixed(0), importTx.peaks.maxLoopDelayMs.toFixed(0),
          ];
        }),
      ),
    );
    console.log('\nMemory by phase (peak minus baseline, MB; "parse" includes its own read)');
    console.log(
      table(
        ['backend', 'format', 'read heap', 'read RSS', 'parse heap', 'parse RSS', 'insert heap', 'insert RSS'],
        results.map((r) => {
          const { read, parse, importTx } = r.phases;
          return [r.backend, `.${r.format}`, mb(read.peaks.heapPeak), mb(read.peaks.rssPeak), mb(parse.peaks.heapPeak), mb(parse.peaks.rssPeak), mb(importTx.peaks.heapPeak), mb(importTx.peaks.rssPeak)];
        }),
      ),
    );
    console.log('\nChecks');
    for (const r of results) {
      console.log(
        `  ${r.backend} .${r.format}: upload ${r.upload.status} {imported: ${String(r.upload.imported)}, encoding: ${String(r.upload.encoding)}}, models added ${r.added}/${rows}; ` +
          `bad file ${r.bad.status}, ${r.bad.details} error(s), added ${r.bad.added} — "${r.bad.firstMessage}"; phases read ${r.phases.rowsRead} rows (with header), importModels added ${r.phases.importAdded}; ` +
          `samples main/worker ${r.upload.peaks.mainSamples}/${r.upload.peaks.workerSamples} over ${seconds(r.upload.ms)} s`,
      );
    }
    const passed = results.length === 4 && results.every((r) => r.upload.status === 200 && r.added === rows && r.bad.status === 422 && r.bad.added === 0 && r.phases.importAdded === rows);
    const by = (backend: Backend, format: Format) => results.find((r) => r.backend === backend && r.format === format);
    const summary = (['pglite', 'postgres'] as const)
      .map((backend) => `${backend} ${(['xlsx', 'csv'] as const).map((format) => { const r = by(backend, format); return r ? `.${format} ${seconds(r.upload.ms)} s (${rate(rows, r.upload.ms)} rows/s, +${mb(r.upload.peaks.rssPeak)} MB RSS)` : `.${format} failed`; }).join(', ')}`)
      .join('; ');
    console.log(`\nSUMMARY ${passed ? 'PASS' : 'FAIL'}: ${rows} rows — ${summary}; bad row → 422 with nothing added${passed ? '' : ' (see checks)'}.`);
    if (failures.length > 0) {
      console.log(`\nFailures:\n  ${failures.join('\n  ')}`);
    }
    if (!passed) process.exitCode = 1;
  } finally {
    await stopEverything();
  }
}

if (process.argv[2] === '--case') {
  const spec = JSON.parse(process.argv[3] ?? '{}') as CaseSpec;
  runCase(spec).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: unknown) => process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
