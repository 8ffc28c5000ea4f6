// A cluster for the scale-out benchmarks: app processes (server/main.ts) and print workers
// (server/worker.ts) started as real child processes on one PostgreSQL, waited for until ready,
// stopped with SIGTERM or killed with SIGKILL (with their Chromium), and the data they work on:
// the demo data, a decision with many certificates and many models inserted directly in SQL
// consistent with sql/0002_models.sql and sql/0004_awards.sql (counter rows included).
//
// Processes run as `node --import tsx <entry>` rather than `npx tsx <entry>`: the same loader, but one
// process instead of npx -> tsx -> node, so the pid we signal is the server itself (a SIGKILL sent to
// `npx` would leave the real server running).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, realpathSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDatabase, type BenchServer } from './postgres.ts';
import type { Cleanups } from './registry.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOG_DIR = join(tmpdir(), `dvk-cluster-${process.pid}`);
export const DEMO_PASSWORD = 'DanVanKheo@2025';
export const SESSION_SECRET = randomBytes(32).toString('hex');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  name: string;
  kind: 'app' | 'worker';
  pid: number;
  child: ChildProcess;
  /** http://127.0.0.1:PORT for an app. */
  url: string;
  port: number;
  /** The last lines the process wrote (stdout and stderr). */
  lines: string[];
  logFile: string;
  exited: Promise<Exit>;
  exit: Exit | undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnProc(name: string, kind: Proc['kind'], entry: string, env: Record<string, string>, port = 0, root = ROOT): Proc {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  // BENCH_NODE_ARGS: extra node flags for the app and worker processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where a request's time goes.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', DEMO_PASSWORD, SESSION_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: Proc = { name, kind, pid: child.pid ?? -1, child, url: `http://127.0.0.1:${port}`, port, lines: [], logFile, exited: undefined as unknown as Promise<Exit>, exit: undefined };
  const take = (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      proc.lines.push(line);
      if (proc.lines.length > 300) proc.lines.shift();
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  proc.exited = new Promise<Exit>((done) =>
    child.once('exit', (code, signal) => {
      proc.exit = { code, signal };
      log.end();
      done(proc.exit);
    }),
  );
  return proc;
}

/**
 * An app process: RUN_PRINT_JOBS=false, the shared SESSION_SECRET, ready when GET /login answers 200.
 * `root`: another checkout of the project to run instead of this one (bench/request-cost.ts's before and after).
 */
export async function startApp(name: string, databaseUrl: string, env: Record<string, string> = {}, root = ROOT): Promise<Proc> {
  const port = await freePort();
  const proc = spawnProc(name, 'app', 'server/main.ts', { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', RUN_PRINT_JOBS: 'false', PUBLIC_URL: 'https://thiduakhenthuong.angiang.gov.vn', ...env }, port, root);
  await waitUntil(`${name} ready`, 90_000, async () => {
    if (proc.exit) throw new Error(`${name} exited ${JSON.stringify(proc.exit)}:\n${proc.lines.slice(-20).join('\n')}`);
    const response = await fetch(`${proc.url}/login`).catch(() => undefined);
    await response?.arrayBuffer();
    return response?.status === 200;
  });
  return proc;
}

/** A print worker, ready when it prints "print worker running". */
export async function startWorker(name: string, databaseUrl: string, env: Record<string, string> = {}): Promise<Proc> {
  const proc = spawnProc(name, 'worker', 'server/worker.ts', { DATABASE_URL: databaseUrl, PUBLIC_URL: 'https://thiduakhenthuong.angiang.gov.vn', ...env });
  await waitUntil(`${name} ready`, 90_000, async () => {
    if (proc.exit) throw new Error(`${name} exited ${JSON.stringify(proc.exit)}:\n${proc.lines.slice(-20).join('\n')}`);
    return proc.lines.some((line) => line.includes('print worker running'));
  });
  return proc;
}

export async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>, everyMs = 250): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`); answers the exit and how long it took. */
export async function stopProc(proc: Proc, timeoutMs = 40_000): Promise<Exit & { ms: number; timedOut: boolean }> {
  const started = performance.now();
  if (proc.exit) return { ...proc.exit, ms: 0, timedOut: false };
  const family = descendants(proc.pid);
  proc.child.kill('SIGTERM');
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killProc(proc);
  }, timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  for (const pid of family) signal(pid, 'SIGKILL'); // a Chromium the process failed to close
  return { ...exit, ms: performance.now() - started, timedOut };
}

/** SIGKILL the process and everything under it (its Chromium), as a crash would leave no cleanup. */
export function killProc(proc: Proc): number[] {
  const family = descendants(proc.pid);
  signal(proc.pid, 'SIGKILL');
  for (const pid of family) signal(pid, 'SIGKILL');
  return family;
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

interface Stat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  cpu: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const fields = text.slice(close + 2).split(' ');
    return { pid, ppid: Number(fields[1]), comm, cpu: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function allStats(): Stat[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((s): s is Stat => s !== undefined);
}

/** Every process under `pid` (children, grandchildren...), found through /proc/<pid>/stat. */
export function descendants(pid: number): number[] {
  const stats = allStats();
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = stats.filter((s) => frontier.includes(s.ppid)).map((s) => s.pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** The Chromium browser processes started by `pid` (its direct children named chrom*). */
export function browserPids(pid: number): number[] {
  return allStats().filter((s) => s.ppid === pid && /chrom/i.test(s.comm)).map((s) => s.pid);
}

/** CPU ticks used by the process and everything under it. */
export function familyCpu(pid: number): number {
  const pids = new Set([pid, ...descendants(pid)]);
  return allStats().filter((s) => pids.has(s.pid)).reduce((sum, s) => sum + s.cpu, 0);
}

/** The process (with its Chromium) that used the most CPU over `ms`: the one rendering. */
export async function busiest(procs: Proc[], ms = 1500): Promise<{ proc: Proc; ticks: number[] }> {
  const before = procs.map((p) => familyCpu(p.pid));
  await sleep(ms);
  const ticks = procs.map((p, i) => familyCpu(p.pid) - (before[i] ?? 0));
  let best = 0;
  for (let i = 1; i < procs.length; i++) if ((ticks[i] ?? 0) > (ticks[best] ?? 0)) best = i;
  return { proc: procs[best]!, ticks };
}

// ---------------------------------------------------------------------------------- PostgreSQL

function runAsPostgres(program: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['su', ['-s', '/bin/sh', 'postgres', '-c', [program, ...args].map(quote).join(' ')]] : [program, args];
  return new Promise((done, reject) => {
    execFile(file, argv, { cwd: '/', timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')}: ${stderr || stdout || error.message}`));
      else done(stdout);
    });
  });
}

function pgCtl(): string {
  for (const candidate of ['/usr/local/bin/pg_ctl', '/usr/lib/postgresql/15/bin/pg_ctl']) {
    try {
      return realpathSync(candidate);
    } catch {
      // next
    }
  }
  throw new Error('pg_ctl not found');
}

/**
 * `pg_ctl restart -m fast` on the server behind `adminUrl` (a throw-away one from bench/lib/postgres.ts,
 * whose log sits next to its data folder). The options it was started with are kept (postmaster.opts).
 */
export async function restartPostgres(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const data = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
  await client.end();
  const started = performance.now();
  await runAsPostgres(pgCtl(), ['-D', data, '-l', join(dirname(data), 'log'), '-m', 'fast', '-w', '-t', '60', 'restart']);
  return performance.now() - started;
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await dropDatabase(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/**
 * A fresh database `name` on the benchmark's server, and its URL. A throw-away server goes entirely
 * at the end; on a DATABASE_URL server the database is dropped at the end.
 */
export async function benchDatabase(server: BenchServer, name: string, cleanups: Cleanups): Promise<string> {
  await createDatabase(server.adminUrl, name);
  if (!server.throwAway) cleanups.add(() => dropDatabase(server.adminUrl, name));
  return withDatabase(server.adminUrl, name);
}

/** `npm run seed:demo` against the database: migrations, demo units, users, models and awards. */
export function seedDemo(databaseUrl: string): Promise<string> {
  return new Promise((done, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/cli/seed-demo.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, DEMO_PASSWORD }, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`seed:demo: ${stderr || stdout || error.message}`));
      else done(stdout.trim());
    });
  });
}

export async function unitId(pool: pg.Pool, code: string): Promise<number> {
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM units WHERE code = $1', [code]);
  if (!rows[0]) throw new Error(`no unit ${code}`);
  return rows[0].id;
}

const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hùng', 'Lan', 'Minh', 'Ngọc', 'Phúc', 'Quân', 'Sơn', 'Thảo', 'Trang', 'Tuấn', 'Vy'];
const FAMILY = ['Nguyễn Văn', 'Trần Thị', 'Lê Hoàng', 'Phạm Minh', 'Huỳnh Thị', 'Võ Quốc', 'Đặng Thu', 'Bùi Đức'];

export interface BigDecision {
  decisionId: number;
  roundId: number;
  year: number;
  count: number;
  codes: string[];
}

/**
 * A closed round with `count` approved nominations and one decision of AG (Tỉnh An Giang) holding
 * their certificates, register numbers 1..count, inserted directly (the API would take minutes for a
 * thousand dossiers). Counter rows are set as the issuing transaction would leave them; the year
 * must have no decision or certificate of AG yet.
 */
export async function insertBigDecision(pool: pg.Pool, count: number, year = 2023): Promise<BigDecision> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const issuer = (await client.query<{ id: number }>(`SELECT id FROM units WHERE code = 'AG'`)).rows[0]!.id;
    const nominating = (await client.query<{ id: number }>(`SELECT id FROM units WHERE code IN ('AG.SGDDT', 'AG.CA', 'AG.MTTQ', 'AG.X-CHAUTHANH') ORDER BY id`)).rows.map((r) => r.id);
    const secretary = (await client.query<{ id: number }>(`SELECT id FROM users WHERE username = 'secretary'`)).rows[0]!.id;
    const used = await client.query(`SELECT 1 FROM register_counters WHERE issuing_unit_id = $1 AND year = $2`, [issuer, year]);
    if (used.rowCount) throw new Error(`AG already has register numbers in ${year}`);
    const round = (
      await client.query<{ id: number }>(
        `INSERT INTO award_rounds (title, year, award_kind, issuing_unit_id, closes_on, status, closed_at, created_by)
         VALUES ($1, $2, 'bang_khen_chu_tich_ubnd_tinh', $3, $4, 'closed', now(), $5) RETURNING id`,
        [`Khen thưởng phong trào "Dân vận khéo" năm ${year} (benchmark ${count})`, year, issuer, `${year}-12-01`, secretary],
      )
    ).rows[0]!.id;
    const number = (
      await client.query<{ last_number: number }>(
        `INSERT INTO decision_counters (issuing_unit_id, year, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (issuing_unit_id, year) DO UPDATE SET last_number = decision_counters.last_number + 1 RETURNING last_number`,
        [issuer, year],
      )
    ).rows[0]!.last_number;
    const decision = (
      await client.query<{ id: number }>(
        `INSERT INTO decisions (round_id, issuing_unit_id, year, number, number_text, signed_on, signer_name, signer_title, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'Nguyễn Văn Bench', 'KT. CHỦ TỊCH - PHÓ CHỦ TỊCH', $7) RETURNING id`,
        [round, issuer, year, number, `${number}/QĐ-UBND`, `${year}-12-20`, secretary],
      )
    ).rows[0]!.id;
    const codes: string[] = [];
    const rows = Array.from({ length: count }, (_, i) => {
      const n = i + 1;
      const individual = n % 3 !== 0;
      const name = individual ? `${FAMILY[n % FAMILY.length]} ${GIVEN[n % GIVEN.length]} ${String(n).padStart(4, '0')}` : `Tập thể Tổ dân vận số ${String(n).padStart(4, '0')}`;
      const code = randomBytes(16).toString('base64url');
      codes.push(code);
      return { n, individual, name, code, unit: nominating[n % nominating.length]! };
    });
    for (let start = 0; start < rows.length; start += 500) {
      const slice = rows.slice(start, start + 500);
      const nominations = await client.query<{ id: number }>(
        `INSERT INTO nominations (round_id, unit_id, nominee_kind, nominee_name, nominee_key, position, gender, birth_year, achievement, status, submitted_at, decided_at, decision_id, created_by)
         SELECT $1, u, k, nm, lower(nm), CASE WHEN k = 'individual' THEN 'Cán bộ' END, CASE WHEN k = 'individual' THEN 'female' END, CASE WHEN k = 'individual' THEN 1980 END,
                'Có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo".', 'approved', now(), now(), $2, $3
         FROM unnest($4::integer[], $5::text[], $6::text[]) WITH ORDINALITY AS t(u, k, nm, ord) ORDER BY ord
         RETURNING id`,
        [round, decision, secretary, slice.map((r) => r.unit), slice.map((r) => (r.individual ? 'individual' : 'collective')), slice.map((r) => r.name)],
      );
      const ids = nominations.rows.map((r) => r.id).sort((a, b) => a - b); // identity order = insertion order
      await client.query(
        `INSERT INTO certificates (decision_id, nomination_id, issuing_unit_id, year, register_number, recipient_kind, recipient_name, verification_code)
         SELECT $1, nid, $2, $3, rn, k, nm, vc FROM unnest($4::integer[], $5::integer[], $6::text[], $7::text[], $8::text[]) AS t(nid, rn, k, nm, vc)`,
        [decision, issuer, year, ids, slice.map((r) => r.n), slice.map((r) => (r.individual ? 'individual' : 'collective')), slice.map((r) => r.name), slice.map((r) => r.code)],
      );
    }
    await client.query(`INSERT INTO register_counters (issuing_unit_id, year, last_number) VALUES ($1, $2, $3)`, [issuer, year, count]);
    await client.query('COMMIT');
    return { decisionId: decision, roundId: round, year, count, codes };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * `count` more models spread over 2015-2024 and the An Giang / Kiên Giang units, numbered after the
 * demo ones from model_code_counters (which end up at the highest number), statuses mixed.
 */
export async function insertModels(pool: pg.Pool, count: number): Promise<void> {
  const units = (await pool.query<{ id: number; block_code: string | null }>(`SELECT id, block_code FROM units WHERE code LIKE 'AG%' OR code LIKE 'KG%'`)).rows;
  const years = Array.from({ length: 10 }, (_, i) => 2015 + i);
  const perYear = Math.ceil(count / years.length);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const year of years) {
      for (const [prefix, kind, share] of [['MH', 'model', 0.8], ['DH', 'exemplar', 0.2]] as const) {
        const n = Math.round(perYear * share);
        const last = (
          await client.query<{ last_number: number }>(
            `INSERT INTO model_code_counters (prefix, year, last_number) VALUES ($1, $2, $3)
             ON CONFLICT (prefix, year) DO UPDATE SET last_number = model_code_counters.last_number + $3 RETURNING last_number`,
            [prefix, year, n],
          )
        ).rows[0]!.last_number;
        await client.query(
          `INSERT INTO models (code, title, unit_id, year, field_code, block_code, kind, summary, status, started_on)
           SELECT $1 || '-' || $7 || '-' || lpad((($3::integer - $4::integer) + g)::text, 6, '0'),
                  (ARRAY['Dân vận khéo trong xây dựng nông thôn mới', 'Tổ phụ nữ giúp nhau phát triển kinh tế', 'Tuyến đường tự quản xanh - sạch - đẹp', 'Chi bộ gương mẫu, dân tin theo', 'Công an lắng nghe ý kiến nhân dân'])[1 + g % 5] || ' số ' || g,
                  u.id, $2, (ARRAY['kinh_te','van_hoa_xa_hoi','quoc_phong_an_ninh','xay_dung_he_thong_chinh_tri','nong_thon_moi','do_thi_van_minh','cai_cach_hanh_chinh'])[1 + g % 7],
                  coalesce(u.block_code, 'chinh_quyen'), $5,
                  'Vận động nhân dân cùng tham gia, kết quả được ghi nhận và nhân rộng.',
                  (ARRAY['registered','implementing','completed','recognized','not_recognized','discontinued'])[1 + (g * 7) % 6],
                  make_date($2, 1 + g % 12, 1 + g % 28)
           FROM generate_series(1, $4::integer) AS g,
                LATERAL (SELECT id, block_code FROM units WHERE id = ($6::integer[])[1 + (g % cardinality($6::integer[]))]) AS u`,
          [prefix, year, last, n, kind, units.map((u) => u.id), String(year)],
        );
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  await pool.query('VACUUM (ANALYZE) models');
}

// ---------------------------------------------------------------------------------- HTTP helpers

/** An API bearer token for a user, through POST /api/v1/tokens. */
export async function apiToken(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) }).catch((error: unknown) => {
    throw new Error(`POST ${baseUrl}/api/v1/tokens: ${String((error as { cause?: unknown }).cause ?? error)}`);
  });
  const body = (await response.json()) as { token?: string };
  if (response.status !== 201 || !body.token) throw new Error(`POST /api/v1/tokens as ${username}: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/**
 * A page session: GET /login (session cookie + CSRF token from the form), POST /login with both.
 * `https` adds X-Forwarded-Proto so an app with TRUST_PROXY=1 in production sets its Secure cookie.
 */
export async function sessionCookie(baseUrl: string, username: string, password = DEMO_PASSWORD, https = true): Promise<string> {
  const proto: Record<string, string> = https ? { 'x-forwarded-proto': 'https' } : {};
  const cookieOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.startsWith('connect.sid=') || c?.includes('sid'));
  const form = await fetch(`${baseUrl}/login`, { headers: proto });
  const html = await form.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const first = cookieOf(form);
  if (!token || !first) throw new Error(`GET /login: no CSRF token or cookie (${form.status})`);
  const login = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...proto, cookie: first, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, _csrf: token }).toString(),
  });
  await login.arrayBuffer();
  const cookie = cookieOf(login);
  if (login.status !== 303 || !cookie) throw new Error(`POST /login as ${username}: ${login.status}`);
  return cookie;
}
