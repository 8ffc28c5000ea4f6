import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database, type OpenDatabase } from '../../server/db/database.ts';
import { verifyBackupFile } from '../../server/ops/backup.ts';
import { createCommittee, pdfBytes, uploadDossierFile } from '../support/awards.ts';
import { issueDecision } from '../support/certificates.ts';
import { ctx } from '../support/context.ts';
import { createUnit } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { freePort, waitForOutput } from '../support/processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serverUrl = process.env.DATABASE_URL;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a fresh shell on the embedded database (no DATABASE_URL) or on the given one. */
function envFor(target: { dataDir?: string; databaseUrl?: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...env } = process.env;
  void _unused;
  return { ...env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...(target.dataDir ? { DATA_DIR: target.dataDir } : {}), ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}), ...extra };
}

/** Runs `npm run backup|restore -- FILE` as the administrator would (tsx on the CLI file), without blocking this process. */
function cli(command: 'backup' | 'restore', file: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `server/cli/${command}.ts`, file], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every row of every table, as PostgreSQL's text of the whole row (bytea in hex), sorted. */
async function everyRow(db: Database): Promise<Record<string, string[]>> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL TimeZone = 'UTC'`.execute(trx);
    const tables = (await sql<{ name: string }>`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`.execute(trx)).rows;
    const rows: Record<string, string[]> = {};
    for (const { name } of tables) {
      rows[name] = (await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(trx)).rows.map((r) => r.row).sort();
    }
    return rows;
  });
}

/** Each dossier file's SHA-256, computed from its bytes in the database, by file id. */
async function dossierChecksums(db: Database): Promise<Map<number, string>> {
  const files = await db.selectFrom('nomination_file_contents').select(['file_id', 'content']).execute();
  return new Map(files.map((f) => [f.file_id, createHash('sha256').update(f.content).digest('hex')]));
}

async function withDatabase<T>(options: { dataDir?: string; databaseUrl?: string }, work: (database: OpenDatabase) => Promise<T>): Promise<T> {
  const database = await openDatabase(options.databaseUrl ? { databaseUrl: options.databaseUrl, poolSize: 2 } : { pgliteDir: join(options.dataDir!, 'pglite') });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** A new database on the test PostgreSQL server; dropped by dropServerDatabases. */
const serverDatabases: string[] = [];
async function newServerDatabase(): Promise<string> {
  const name = `dvk_ops_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  serverDatabases.push(name);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}
async function dropServerDatabases(): Promise<void> {
  if (!serverUrl || serverDatabases.length === 0) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  for (const name of serverDatabases.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

async function stop(child: ChildProcess | undefined): Promise<number | null> {
  if (!child || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

describe('backup and restore of an embedded registry while its app runs (npm run backup / restore)', function () {
  this.timeout(300_000);
  let work: string;
  let app: ChildProcess | undefined;
  let baseUrl: string;
  const dossier = pdfBytes('Tờ trình của Sở Giáo dục — sao lưu');

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'dvk-backup-'));
    const port = String(await freePort());
    baseUrl = `http://127.0.0.1:${port}`;
    app = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: envFor({ dataDir: join(work, 'source') }, { PORT: port, HOST: '127.0.0.1' }) });
    await waitForOutput(app, /agency\s+agency/, 240_000); // the demo data on a busy machine
  });
  after(async () => {
    await stop(app);
    await dropServerDatabases();
    rmSync(work, { recursive: true, force: true });
  });

  async function call(method: string, path: string, token?: string, body?: unknown) {
    const response = await fetch(`${baseUrl}/api/v1${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
  async function login(username: string): Promise<string> {
    const response = await call('POST', '/tokens', undefined, { username, password: 'DanVanKheo@2025' });
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
    return response.body.token;
  }

  it('backs up through the running app: the demo registry plus a new model and a nomination with a dossier file', async () => {
    // The demo data holds units, users, sixty models, a decided 2024 round with six certificates and an open 2025 round.
    const agency = await login('agency');
    const me = (await call('GET', '/me', agency)).body;
    const model = await call('POST', '/models', agency, { title: 'Mô hình "Sao lưu mỗi đêm"', unitId: me.unitId, year: 2025, fieldCode: 'cai_cach_hanh_chinh', kind: 'model', summary: 'Dữ liệu được sao lưu mỗi đêm và phục hồi thử mỗi quý.' });
    expect(model.status, JSON.stringify(model.body)).to.equal(201);
    const rounds = (await call('GET', '/award-rounds?year=2025', agency)).body.items as { id: number; status: string }[];
    const round = rounds.find((r) => r.status === 'open')!;
    const nomination = await call('POST', '/nominations', agency, { roundId: round.id, unitId: me.unitId, nomineeKind: 'individual', nomineeName: 'Trần Thị Sao Lưu', position: 'Chuyên viên', gender: 'female', birthYear: 1985, achievement: 'Giữ an toàn dữ liệu của phong trào', modelIds: [model.body.id] });
    expect(nomination.status, JSON.stringify(nomination.body)).to.equal(201);
    const form = new FormData();
    form.append('kind', 'proposal');
    form.append('file', new Blob([new Uint8Array(dossier)], { type: 'application/pdf' }), 'to-trinh.pdf');
    const uploaded = await fetch(`${baseUrl}/api/v1/nominations/${nomination.body.id}/files`, { method: 'POST', headers: { authorization: `Bearer ${agency}` }, body: form });
    expect(uploaded.status).to.equal(201);

    const result = await cli('backup', join(work, 'running.dvkbak'), envFor({ dataDir: join(work, 'source') }));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('through the running app');
    expect(statSync(join(work, 'running.dvkbak')).mode & 0o777).to.equal(0o600);
    // The app kept its folder and still answers.
    expect((await call('GET', '/me', agency)).status).to.equal(200);
    expect((await fetch(`${baseUrl}/readyz`)).status).to.equal(200);
  });

  it('restores into a new data folder with every row of every table and every dossier file the same', async () => {
    expect(await stop(app)).to.equal(0);
    const result = await cli('restore', join(work, 'running.dvkbak'), envFor({ dataDir: join(work, 'restored') }));
    expect(result.code, result.stderr).to.equal(0);
    const source = await withDatabase({ dataDir: join(work, 'source') }, async (d) => ({ rows: await everyRow(d.db), files: await dossierChecksums(d.db) }));
    const restored = await withDatabase({ dataDir: join(work, 'restored') }, async (d) => ({ rows: await everyRow(d.db), files: await dossierChecksums(d.db) }));
    expect(Object.keys(restored.rows).sort()).to.deep.equal(Object.keys(source.rows).sort());
    for (const table of Object.keys(source.rows)) expect(restored.rows[table], table).to.deep.equal(source.rows[table]);
    expect(source.rows.certificates!.length).to.be.greaterThan(0);
    expect([...restored.files.values()]).to.include(createHash('sha256').update(dossier).digest('hex'));
    expect(restored.files).to.deep.equal(source.files);
  });

  it('starts the app on the restored folder: ready, and the same accounts log in', async () => {
    const port = String(await freePort());
    const restoredApp = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: envFor({ dataDir: join(work, 'restored') }, { PORT: port, HOST: '127.0.0.1' }) });
    try {
      await waitForOutput(restoredApp, /running at/, 120_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).to.equal(200);
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agency', password: 'DanVanKheo@2025' }) });
      expect(login.status).to.equal(201);
    } finally {
      expect(await stop(restoredApp)).to.equal(0);
    }
  });

  it('refuses to restore into a database that holds a registry: exit 2, one clear line, nothing changed', async () => {
    const before = await withDatabase({ dataDir: join(work, 'source') }, (d) => everyRow(d.db));
    const result = await cli('restore', join(work, 'running.dvkbak'), envFor({ dataDir: join(work, 'source') }));
    expect(result.code).to.equal(2);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.match(/not empty/);
    expect(await withDatabase({ dataDir: join(work, 'source') }, (d) => everyRow(d.db))).to.deep.equal(before);
  });

  it('backs up a stopped embedded registry by opening its folder, every table and row in the file', async () => {
    const result = await cli('backup', join(work, 'stopped.dvkbak'), envFor({ dataDir: join(work, 'source') }));
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.not.include('through the running app');
    const source = await withDatabase({ dataDir: join(work, 'source') }, (d) => everyRow(d.db));
    const { rows } = await verifyBackupFile(join(work, 'stopped.dvkbak'));
    expect(rows).to.deep.equal(Object.fromEntries(Object.entries(source).map(([table, r]) => [table, r.length])));
  });

  it('moves an embedded registry to PostgreSQL and back through backups, row for row', async function () {
    if (!serverUrl) this.skip(); // needs the PostgreSQL server (DATABASE_URL)
    const onServer = await newServerDatabase();
    const restored = await cli('restore', join(work, 'running.dvkbak'), envFor({ databaseUrl: onServer }));
    expect(restored.code, restored.stderr).to.equal(0);
    const source = await withDatabase({ dataDir: join(work, 'source') }, (d) => everyRow(d.db));
    expect(await withDatabase({ databaseUrl: onServer }, (d) => everyRow(d.db))).to.deep.equal(source);
    const back = await cli('backup', join(work, 'server.dvkbak'), envFor({ databaseUrl: onServer }));
    expect(back.code, back.stderr).to.equal(0);
    const home = await cli('restore', join(work, 'server.dvkbak'), envFor({ dataDir: join(work, 'home-again') }));
    expect(home.code, home.stderr).to.equal(0);
    expect(await withDatabase({ dataDir: join(work, 'home-again') }, (d) => everyRow(d.db))).to.deep.equal(source);
  });
});

describe('backup and restore of a PostgreSQL registry in use (npm run backup / restore)', function () {
  this.timeout(300_000);
  let work: string;

  before(function () {
    if (!serverUrl) this.skip(); // the shared test database is an in-memory PGlite: no other process can reach it
    work = mkdtempSync(join(tmpdir(), 'dvk-backup-pg-'));
  });
  after(async () => {
    await dropServerDatabases();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('backs up the app\'s own database while it serves, and restores every row and dossier file into a new database', async () => {
    const committee = await createCommittee();
    await createUnit({ parentId: committee.department.id, name: 'Phòng Công nghệ thông tin' });
    const decision = await issueDecision(committee, [{ name: 'Lê Văn Sao' }, { name: 'Tổ Lưu trữ', kind: 'collective' }]);
    const nominationId = decision.certificates[0]!.nominationId;
    // A dossier file on another nomination, still a draft, in an open round.
    const round = await api('POST', '/award-rounds', { token: committee.secretary.token, body: { title: 'Đợt thử sao lưu', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, closesOn: new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10) } });
    const draft = await api('POST', '/nominations', { token: committee.agency.token, body: { roundId: round.body.id, unitId: committee.department.id, nomineeKind: 'collective', nomineeName: 'Phòng Lưu trữ', achievement: 'Sao lưu đầy đủ' } });
    const bytes = pdfBytes(`Biên bản họp ${randomBytes(4).toString('hex')}`);
    expect((await uploadDossierFile(committee.agency.token, draft.body.id, { name: 'bien-ban.pdf', content: bytes, kind: 'minutes' })).status).to.equal(201);
    expect(nominationId).to.be.a('number');

    const source = ctx().config.databaseUrl!;
    // Requests keep coming while the backup reads its snapshot (public verifications: they write nothing).
    const code = decision.certificates[0]!.verificationCode;
    const busy = Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${ctx().baseUrl}/api/v1/verify/${code}`, { headers: { 'x-forwarded-for': `10.9.8.${i + 1}` } })));
    const backup = await cli('backup', join(work, 'pg.dvkbak'), envFor({ databaseUrl: source }));
    expect(backup.code, backup.stderr).to.equal(0);
    expect((await busy).every((r) => r.status === 200)).to.equal(true);

    const target = await newServerDatabase();
    const restore = await cli('restore', join(work, 'pg.dvkbak'), envFor({ databaseUrl: target }));
    expect(restore.code, restore.stderr).to.equal(0);
    const before = await withDatabase({ databaseUrl: source }, async (d) => ({ rows: await everyRow(d.db), files: await dossierChecksums(d.db) }));
    const after = await withDatabase({ databaseUrl: target }, async (d) => ({ rows: await everyRow(d.db), files: await dossierChecksums(d.db) }));
    for (const table of Object.keys(before.rows)) expect(after.rows[table], table).to.deep.equal(before.rows[table]);
    expect(Object.keys(after.rows).sort()).to.deep.equal(Object.keys(before.rows).sort());
    expect(after.files).to.deep.equal(before.files);
    expect([...after.files.values()]).to.include(createHash('sha256').update(bytes).digest('hex'));

    // A second restore into the now full database: refused, and nothing changes.
    const again = await cli('restore', join(work, 'pg.dvkbak'), envFor({ databaseUrl: target }));
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/not empty/);
    expect(await withDatabase({ databaseUrl: target }, (d) => everyRow(d.db))).to.deep.equal(after.rows);
  });
});
