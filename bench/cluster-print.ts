// Scale-out and faults: two app processes and two print workers on one PostgreSQL 15.
//   1. A decision of CERTIFICATES (1,000) certificates is printed through a job posted to app 1 and
//      polled through app 2; the PDF must have one page per certificate, its text (pdfjs) must hold each
//      register number exactly once, and print_log must hold each certificate once for the job.
//   2. Faults, each REPEAT times, each checked the same way:
//      (a) the worker rendering the job is SIGKILLed after the first chunk is stored (with its Chromium):
//          the job must finish on the other worker after PRINT_JOB_EXPIRE_SECONDS, nothing missing or doubled;
//      (b) the rendering worker's Chromium is SIGKILLed after the first chunk: the job must finish;
//      (c) PostgreSQL is restarted (pg_ctl restart -m fast) under WRITE_CLIENTS clients registering models
//          through both apps: every 201 must be in the database, codes 1..N per kind and year with no gap
//          or duplicate, every model with its audit row, and both apps answering again without a restart;
//      (d) app 1 is sent SIGTERM under read+write load: requests in flight finish, it exits 0 within its
//          30 s grace, app 2 keeps serving, every 201 is in the database.
//
//   npx tsx bench/cluster-print.ts
//   REPEAT=1 FAULTS=a,c npx tsx bench/cluster-print.ts
//
// Settings (environment): CERTIFICATES (1000), REPEAT (3), FAULTS (a,b,c,d), EXPIRE_SECONDS (60: every
// process's PRINT_JOB_EXPIRE_SECONDS), WRITE_CLIENTS (20), WRITE_SECONDS (20), DATABASE_URL (a server to
// use instead of a throw-away one; fault (c) needs the throw-away one, which it can restart).
//
// Why every process gets PRINT_JOB_EXPIRE_SECONDS, and why 60 rather than 15: the queue's expiry is
// fixed by whichever process creates the pg-boss queue first (createQueue leaves an existing queue as it
// is), so an app started without it gives the queue 300 s whatever the workers say; and pg-boss expires
// a job that runs longer than that (the handler is timed out and the job retried while the first run goes
// on), so the expiry must exceed the longest whole job, not a chunk. 1,000 certificates take 15-200 s
// here depending on the machine's load; a job longer than the expiry is retried on the other worker
// while still running (still no page missing or doubled: chunks and log rows are keyed).
import { cpus, loadavg } from 'node:os';
import { PDFDocument } from 'pdf-lib';
import pg from 'pg';
import { extractText } from '../test/support/pdf.ts';
import { startBenchServer } from './lib/postgres.ts';
import { table } from './lib/measure.ts';
import { runBench, say, type Cleanups } from './lib/registry.ts';
import {
  apiToken, browserPids, busiest, benchDatabase, insertBigDecision, killProc, LOG_DIR, restartPostgres, seedDemo, startApp, startWorker, stopProc, unitId,
  waitUntil, type BigDecision, type Proc,
} from './lib/cluster.ts';

const env = process.env;
const int = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const S = {
  certificates: int('CERTIFICATES', 1000),
  repeat: int('REPEAT', 3),
  faults: new Set((env.FAULTS ?? 'a,b,c,d').split(',').map((f) => f.trim())),
  expireSeconds: int('EXPIRE_SECONDS', 60),
  writeClients: int('WRITE_CLIENTS', 20),
  writeSeconds: int('WRITE_SECONDS', 20),
};
const DATABASE = 'dvk_cluster';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => (ms / 1000).toFixed(1);
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

interface Row {
  claim: string;
  run: string;
  result: string;
  ok: boolean;
}
const rows: Row[] = [];
function record(claim: string, run: string, ok: boolean, result: string) {
  rows.push({ claim, run, ok, result });
  say(`  ${ok ? 'PASS' : 'FAIL'} ${claim} [${run}]: ${result}`);
}

// ------------------------------------------------------------------------------ the cluster

class Cluster {
  apps: Proc[] = [];
  workers: Proc[] = [];
  restarts = { app: 0, worker: 0 };
  /** `env` goes to every process: PRINT_JOB_EXPIRE_SECONDS must be the same everywhere (see below). */
  constructor(
    readonly url: string,
    readonly workerEnv: Record<string, string>,
  ) {}
  async start() {
    this.apps = await Promise.all([startApp('app1', this.url, this.workerEnv), startApp('app2', this.url, this.workerEnv)]);
    this.workers = await Promise.all([startWorker('worker1', this.url, this.workerEnv), startWorker('worker2', this.url, this.workerEnv)]);
  }
  /** Replaces dead processes (after a fault) so the next run starts with 2 + 2 again. */
  async heal(): Promise<string[]> {
    const healed: string[] = [];
    for (let i = 0; i < this.apps.length; i++) {
      if (this.apps[i]!.exit) {
        healed.push(`${this.apps[i]!.name} ${JSON.stringify(this.apps[i]!.exit)}`);
        this.apps[i] = await startApp(this.apps[i]!.name, this.url, this.workerEnv);
        this.restarts.app += 1;
      }
    }
    for (let i = 0; i < this.workers.length; i++) {
      if (this.workers[i]!.exit) {
        healed.push(`${this.workers[i]!.name} ${JSON.stringify(this.workers[i]!.exit)}`);
        this.workers[i] = await startWorker(this.workers[i]!.name, this.url, this.workerEnv);
        this.restarts.worker += 1;
      }
    }
    return healed;
  }
  async stop() {
    await Promise.all([...this.apps, ...this.workers].map((p) => stopProc(p)));
  }
}

// ------------------------------------------------------------------------------ print jobs

interface JobResult {
  jobId: number;
  ms: number;
  /** performance.now() when the poll saw the job end. */
  doneAt: number;
  status: string;
  attempts: number;
  pages: number;
  pdfNumbers: { missing: number; duplicated: number; found: number };
  log: { rows: number; distinct: number; missing: number };
  chunksLeft: number;
  ok: boolean;
}

async function getJson(url: string, token: string) {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Posts a print job to app 1, runs `during` once the first chunk is stored, polls app 2 until it ends, checks everything. */
async function printJob(cluster: Cluster, pool: pg.Pool, token: string, decision: BigDecision, during?: (jobId: number) => Promise<void>): Promise<JobResult> {
  const [app1, app2] = cluster.apps as [Proc, Proc];
  const started = performance.now();
  const post = await fetch(`${app1.url}/api/v1/decisions/${decision.decisionId}/print-jobs`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"mode":"full"}' });
  const created = (await post.json()) as { id: number };
  if (post.status !== 202) throw new Error(`POST print-jobs: ${post.status} ${JSON.stringify(created)}`);
  const jobId = created.id;
  if (during) {
    await waitUntil('the first chunk', 180_000, async () => (await pool.query(`SELECT count(*)::int AS n FROM print_job_chunks WHERE job_id = $1`, [jobId])).rows[0].n >= 1, 100);
    await during(jobId);
  }
  let status = 'queued';
  await waitUntil(`print job ${jobId}`, 600_000, async () => {
    const { body } = await getJson(`${app2.url}/api/v1/print-jobs/${jobId}`, token);
    status = String(body.status);
    return status === 'done' || status === 'failed';
  }, 500);
  const doneAt = performance.now();
  const ms = doneAt - started;
  const job = (await pool.query(`SELECT attempts FROM print_jobs WHERE id = $1`, [jobId])).rows[0] as { attempts: number };
  let pages = 0;
  const pdfNumbers = { missing: decision.count, duplicated: 0, found: 0 };
  if (status === 'done') {
    const file = await fetch(`${app2.url}/api/v1/print-jobs/${jobId}/file`, { headers: { authorization: `Bearer ${token}` } });
    const pdf = Buffer.from(await file.arrayBuffer());
    pages = (await PDFDocument.load(pdf)).getPageCount();
    const text = await extractText(pdf);
    const seen = new Map<number, number>();
    for (const match of text.matchAll(new RegExp(`Số sổ: (\\d+)/${decision.year}(?!\\d)`, 'g'))) {
      const n = Number(match[1]);
      seen.set(n, (seen.get(n) ?? 0) + 1);
    }
    pdfNumbers.found = seen.size;
    pdfNumbers.missing = 0;
    for (let n = 1; n <= decision.count; n++) if (!seen.has(n)) pdfNumbers.missing += 1;
    pdfNumbers.duplicated = [...seen.values()].filter((c) => c > 1).length + [...seen.keys()].filter((n) => n < 1 || n > decision.count).length;
  }
  const log = (
    await pool.query(
      `SELECT count(*)::int AS rows, count(DISTINCT l.certificate_id)::int AS distinct,
              (SELECT count(*)::int FROM certificates c WHERE c.decision_id = $2 AND NOT EXISTS (SELECT 1 FROM print_log p WHERE p.job_id = $1 AND p.certificate_id = c.id)) AS missing
       FROM print_log l WHERE l.job_id = $1`,
      [jobId, decision.decisionId],
    )
  ).rows[0] as JobResult['log'];
  const chunksLeft = (await pool.query(`SELECT count(*)::int AS n FROM print_job_chunks WHERE job_id = $1`, [jobId])).rows[0].n as number;
  const ok = status === 'done' && pages === decision.count && pdfNumbers.missing === 0 && pdfNumbers.duplicated === 0 && log.rows === decision.count && log.distinct === decision.count && log.missing === 0 && chunksLeft === 0;
  return { jobId, ms, doneAt, status, attempts: job.attempts, pages, pdfNumbers, log, chunksLeft, ok };
}

const describeJob = (r: JobResult) =>
  `job ${r.jobId} ${r.status} in ${secs(r.ms)} s, attempts ${r.attempts}, ${r.pages} pages, PDF text: ${r.pdfNumbers.found} numbers (${r.pdfNumbers.missing} missing, ${r.pdfNumbers.duplicated} duplicated), ` +
  `print_log ${r.log.rows} rows / ${r.log.distinct} certificates (${r.log.missing} missing), chunks left ${r.chunksLeft}`;

// ------------------------------------------------------------------------------ load with a "balancer"

interface Outcome {
  target: string;
  kind: 'write' | 'read';
  start: number;
  end: number;
  status?: number;
  error?: string;
  model?: { id: number; code: string };
}

interface LoadOptions {
  cluster: Cluster;
  token: string;
  unit: number;
  clients: number;
  seconds: number;
  readers?: number;
  tag: string;
}

/**
 * Clients registering models (and optionally reading the list) through the apps, round-robin like a
 * balancer; a refused connection (the app is gone) is retried on another app, as a balancer would.
 */
async function runLoad(o: LoadOptions, event?: () => Promise<void>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const until = performance.now() + o.seconds * 1000;
  let turn = 0;
  const pick = (avoid?: string) => {
    const live = o.cluster.apps.filter((a) => !a.exit && a.name !== avoid);
    return live[turn++ % Math.max(1, live.length)] ?? o.cluster.apps[0]!;
  };
  const call = async (kind: Outcome['kind'], n: number) => {
    let app = pick();
    for (let attempt = 0; attempt < 3; attempt++) {
      const out: Outcome = { target: app.name, kind, start: performance.now(), end: 0 };
      try {
        const response =
          kind === 'write'
            ? await fetch(`${app.url}/api/v1/models`, {
                method: 'POST',
                headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json' },
                body: JSON.stringify({ title: `Mô hình tải thử ${o.tag} ${n}`, unitId: o.unit, year: 2024, fieldCode: 'kinh_te', kind: n % 4 === 0 ? 'exemplar' : 'model', summary: 'Đăng ký trong bài thử tải và lỗi.' }),
                signal: AbortSignal.timeout(20_000),
              })
            : await fetch(`${app.url}/api/v1/models?year=2024&limit=25`, { headers: { authorization: `Bearer ${o.token}` }, signal: AbortSignal.timeout(20_000) });
        const body = (await response.json().catch(() => undefined)) as { id?: number; code?: string } | undefined;
        out.status = response.status;
        if (kind === 'write' && response.status === 201 && body?.id && body.code) out.model = { id: body.id, code: body.code };
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        out.error = cause?.code ?? (error instanceof Error ? error.name : String(error));
      }
      out.end = performance.now();
      outcomes.push(out);
      if (out.error === 'ECONNREFUSED') {
        app = pick(app.name); // never reached the app: the balancer tries another
        continue;
      }
      if (out.error || (out.status ?? 0) >= 500) await sleep(100); // don't spin while the database is down
      return;
    }
  };
  let counter = 0;
  const client = async (kind: Outcome['kind']) => {
    while (performance.now() < until) await call(kind, ++counter);
  };
  const work = [...Array.from({ length: o.clients }, () => client('write')), ...Array.from({ length: o.readers ?? 0 }, () => client('read'))];
  if (event) work.push(event());
  await Promise.all(work);
  return outcomes;
}

interface WriteCheck {
  acked: number;
  missing: number;
  codeMismatch: number;
  duplicates: number;
  gaps: number;
  overCounter: number;
  noAudit: number;
  unacknowledgedWritten: number;
  ok: boolean;
}

/** Every acknowledged model present with its code and audit row; codes 1..last_number per prefix and year. */
async function checkWrites(pool: pg.Pool, outcomes: Outcome[], tag: string): Promise<WriteCheck> {
  const acked = outcomes.filter((o) => o.model).map((o) => o.model!);
  const { rows: present } = await pool.query<{ id: number; code: string }>(`SELECT id, code FROM models WHERE id = ANY($1::integer[])`, [acked.map((a) => a.id)]);
  const byId = new Map(present.map((r) => [r.id, r.code]));
  const missing = acked.filter((a) => !byId.has(a.id)).length;
  const codeMismatch = acked.filter((a) => byId.has(a.id) && byId.get(a.id) !== a.code).length;
  const dup = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT code FROM models GROUP BY code HAVING count(*) > 1) d`);
  // Per prefix and year: the numbers used must be exactly 1..last_number.
  const numbering = await pool.query<{ gaps: number; over: number }>(`
    WITH used AS (
      SELECT split_part(code, '-', 1) AS prefix, split_part(code, '-', 2)::int AS year, split_part(code, '-', 3)::int AS n FROM models
    ), per AS (
      SELECT c.prefix, c.year, c.last_number, count(u.n) AS used, count(DISTINCT u.n) AS distinct_used, max(u.n) AS max_used
      FROM model_code_counters c LEFT JOIN used u ON u.prefix = c.prefix AND u.year = c.year GROUP BY 1, 2, 3
    )
    SELECT coalesce(sum(last_number - distinct_used), 0)::int AS gaps, coalesce(sum(CASE WHEN max_used > last_number THEN 1 ELSE 0 END), 0)::int AS over FROM per`);
  const noAudit = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM models m WHERE m.title LIKE $1 AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_type = 'model' AND a.entity_id = m.id::text AND a.action = 'model.register')`,
    [`Mô hình tải thử ${tag} %`],
  );
  const written = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM models WHERE title LIKE $1 AND NOT (id = ANY($2::integer[]))`, [`Mô hình tải thử ${tag} %`, acked.map((a) => a.id)]);
  const check = {
    acked: acked.length,
    missing,
    codeMismatch,
    duplicates: dup.rows[0]!.n,
    gaps: numbering.rows[0]!.gaps,
    overCounter: numbering.rows[0]!.over,
    noAudit: noAudit.rows[0]!.n,
    unacknowledgedWritten: written.rows[0]!.n,
    ok: false,
  };
  check.ok = check.acked > 0 && missing === 0 && codeMismatch === 0 && check.duplicates === 0 && check.gaps === 0 && check.overCounter === 0 && check.noAudit === 0;
  return check;
}

function tally(outcomes: Outcome[], filter: (o: Outcome) => boolean = () => true) {
  const chosen = outcomes.filter(filter);
  const count = (f: (o: Outcome) => boolean) => chosen.filter(f).length;
  const errors = new Map<string, number>();
  for (const o of chosen) if (o.error) errors.set(o.error, (errors.get(o.error) ?? 0) + 1);
  return {
    requests: chosen.length,
    ok: count((o) => o.status !== undefined && o.status < 400),
    s5xx: count((o) => (o.status ?? 0) >= 500),
    s4xx: count((o) => (o.status ?? 0) >= 400 && (o.status ?? 0) < 500),
    errors: [...errors.entries()].map(([k, v]) => `${k} ${v}`).join(', ') || '0',
    errorCount: count((o) => o.error !== undefined),
  };
}

// ------------------------------------------------------------------------------ main

async function main(cleanups: Cleanups) {
  say(`Cluster benchmark: 2 app processes + 2 print workers, ${S.certificates} certificates, faults ${[...S.faults].join(',')} x ${S.repeat}; load average ${load()} on ${cpus().length} CPUs`);
  say(`Process logs: ${LOG_DIR}`);
  const server = await startBenchServer(env.DATABASE_URL, (line) => say(`  ${line}`));
  cleanups.add(() => server.stop());
  say(`Server: ${server.describe}`);
  const url = await benchDatabase(server, DATABASE, cleanups);
  say(`seed:demo: ${await seedDemo(url)}`);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined); // our own pool survives the restart in (c)
  cleanups.add(() => pool.end());
  const decision = await insertBigDecision(pool, S.certificates);
  say(`Decision ${decision.decisionId}: ${decision.count} certificates, register numbers 1..${decision.count}/${decision.year}`);

  const cluster = new Cluster(url, { PRINT_JOB_EXPIRE_SECONDS: String(S.expireSeconds) });
  cleanups.add(() => cluster.stop());
  const t0 = performance.now();
  await cluster.start();
  const queue = (await pool.query(`SELECT expire_seconds, retry_limit FROM pgboss.queue WHERE name = 'print-decision'`)).rows[0] as { expire_seconds: number; retry_limit: number } | undefined;
  say(`pg-boss queue print-decision: expire ${queue?.expire_seconds} s, retry limit ${queue?.retry_limit}`);
  say(`Cluster up in ${secs(performance.now() - t0)} s: ${[...cluster.apps, ...cluster.workers].map((p) => `${p.name} pid ${p.pid}${p.kind === 'app' ? ` ${p.url}` : ''}`).join(', ')}`);
  const printer = await apiToken(cluster.apps[0]!.url, 'printer');
  const secretary = await apiToken(cluster.apps[1]!.url, 'secretary');
  const unit = await unitId(pool, 'AG.SGDDT');

  // ---- the 1,000-certificate decision, no fault
  say(`\nPrint job of ${decision.count} certificates, posted to app1, polled through app2`);
  const plain = await printJob(cluster, pool, printer, decision);
  record('print 1,000 via 2 apps + 2 workers', 'no fault', plain.ok, describeJob(plain));

  // ---- (a) worker SIGKILLed mid-job
  if (S.faults.has('a')) {
    say(`\n(a) the worker rendering the job SIGKILLed after the first chunk (expiry ${S.expireSeconds} s)`);
    for (let i = 1; i <= S.repeat; i++) {
      let killed = '';
      let killedAt = 0;
      const result = await printJob(cluster, pool, printer, decision, async () => {
        const { proc, ticks } = await busiest(cluster.workers);
        const family = killProc(proc);
        killedAt = performance.now();
        killed = `${proc.name} (cpu ticks over 1.5 s ${ticks.join('/')}, ${family.length} Chromium processes with it)`;
      });
      killed += `, job done ${secs(result.doneAt - killedAt)} s after the kill`;
      const healed = await cluster.heal();
      record('(a) worker killed mid-job', `${i}/${S.repeat}`, result.ok && result.attempts >= 2, `killed ${killed}; ${describeJob(result)}; restarted afterwards: ${healed.join(', ') || 'none'}`);
    }
  }

  // ---- (b) Chromium SIGKILLed mid-job
  if (S.faults.has('b')) {
    say(`\n(b) the rendering worker's Chromium SIGKILLed after the first chunk`);
    for (let i = 1; i <= S.repeat; i++) {
      let killed = '';
      const result = await printJob(cluster, pool, printer, decision, async () => {
        const { proc } = await busiest(cluster.workers);
        const browsers = browserPids(proc.pid);
        for (const pid of browsers) process.kill(pid, 'SIGKILL');
        killed = `${browsers.length} browser process(es) of ${proc.name}`;
      });
      const healed = await cluster.heal();
      record('(b) Chromium killed mid-job', `${i}/${S.repeat}`, result.ok && healed.length === 0, `killed ${killed}; ${describeJob(result)}; processes that died: ${healed.join(', ') || 'none'}`);
    }
  }

  // ---- (c) database restarted under write load
  if (S.faults.has('c')) {
    say(`\n(c) PostgreSQL restarted (pg_ctl restart -m fast) under ${S.writeClients} writers for ${S.writeSeconds} s through both apps`);
    if (!server.throwAway) say('  skipped: needs the throw-away server (unset DATABASE_URL)');
    for (let i = 1; server.throwAway && i <= S.repeat; i++) {
      const tag = `c${i}`;
      let restartMs = 0;
      let restartAt = 0;
      const outcomes = await runLoad({ cluster, token: secretary, unit, clients: S.writeClients, seconds: S.writeSeconds, tag }, async () => {
        await sleep(Math.min(5_000, (S.writeSeconds * 1000) / 4));
        restartAt = performance.now();
        restartMs = await restartPostgres(server.adminUrl);
      });
      const afterLoad = performance.now();
      const died = [...cluster.apps, ...cluster.workers].filter((p) => p.exit).map((p) => `${p.name} ${JSON.stringify(p.exit)}: ${p.lines.slice(-3).join(' | ').slice(0, 300)}`);
      // Service resumes without a manual restart: both apps register a model again.
      let resumeMs = -1;
      if (died.length === 0) {
        resumeMs = await waitUntil('both apps to answer', 60_000, async () => {
          const answers = await Promise.all(cluster.apps.map((a) =>
            fetch(`${a.url}/api/v1/models?year=2024&limit=1`, { headers: { authorization: `Bearer ${secretary}` } }).then((r) => r.status, () => 0)));
          return answers.every((s) => s === 200);
        }).catch(() => -1);
        if (resumeMs >= 0) resumeMs += afterLoad - restartAt;
      }
      const check = await checkWrites(pool, outcomes, tag);
      const t = tally(outcomes);
      // When each app acknowledged its first write after pg_ctl returned (the database up again).
      const upAt = restartAt + restartMs;
      const firstWrite = cluster.apps.map((a) => {
        const first = outcomes.filter((o) => o.target === a.name && o.model && o.start >= upAt).sort((x, y) => x.end - y.end)[0];
        return first ? `${a.name} ${secs(first.end - upAt)} s` : `${a.name} none`;
      });
      const failWindow = outcomes.filter((o) => o.status === undefined || o.status >= 500);
      const window = failWindow.length ? `${secs(Math.min(...failWindow.map((o) => o.end)) - restartAt)}..${secs(Math.max(...failWindow.map((o) => o.end)) - restartAt)} s after the restart began` : 'none';
      const healed = await cluster.heal();
      record(
        '(c) DB restart under writes',
        `${i}/${S.repeat}`,
        check.ok && died.length === 0 && resumeMs >= 0,
        `restart ${secs(restartMs)} s; ${t.requests} requests: ${check.acked} acknowledged (201), ${t.s5xx} 5xx, ${t.s4xx} 4xx, errors ${t.errors}; ` +
          `acknowledged missing ${check.missing}, code mismatch ${check.codeMismatch}, duplicate codes ${check.duplicates}, gaps ${check.gaps}, beyond counter ${check.overCounter}, ` +
          `without audit row ${check.noAudit}, written but not acknowledged ${check.unacknowledgedWritten}; ` +
          (died.length ? `PROCESSES DIED: ${died.join('; ')}; restarted: ${healed.join(', ')}` : `failures ${window}; first write acknowledged after the database was back: ${firstWrite.join(', ')}; no process restarted`),
      );
    }
  }

  // ---- (d) app 1 SIGTERMed under load
  if (S.faults.has('d')) {
    say(`\n(d) app1 sent SIGTERM under ${S.writeClients} writers + 10 readers for ${S.writeSeconds} s through both apps`);
    for (let i = 1; i <= S.repeat; i++) {
      const tag = `d${i}`;
      const app1 = cluster.apps[0]!;
      let sentAt = 0;
      let exit: Awaited<ReturnType<typeof stopProc>> | undefined;
      const outcomes = await runLoad({ cluster, token: secretary, unit, clients: S.writeClients, readers: 10, seconds: S.writeSeconds, tag }, async () => {
        await sleep(Math.min(5_000, (S.writeSeconds * 1000) / 4));
        sentAt = performance.now();
        exit = await stopProc(app1, 60_000);
      });
      const check = await checkWrites(pool, outcomes, tag);
      const inFlight = tally(outcomes, (o) => o.target === 'app1' && o.start < sentAt && o.end > sentAt);
      const app1After = tally(outcomes, (o) => o.target === 'app1' && o.start >= sentAt);
      const app2 = tally(outcomes, (o) => o.target === 'app2');
      const all = tally(outcomes);
      const healed = await cluster.heal();
      const exitedOk = exit !== undefined && exit.code === 0 && !exit.timedOut && exit.ms < 30_000;
      record(
        '(d) app SIGTERM under load',
        `${i}/${S.repeat}`,
        check.ok && exitedOk && inFlight.errorCount === 0 && inFlight.s5xx === 0 && app2.errorCount === 0 && app2.s5xx === 0,
        `app1 exit ${JSON.stringify({ code: exit?.code, signal: exit?.signal })} after ${secs(exit?.ms ?? 0)} s; in flight at SIGTERM ${inFlight.requests} (answered ${inFlight.ok}, 5xx ${inFlight.s5xx}, errors ${inFlight.errors}); ` +
          `sent to app1 after SIGTERM ${app1After.requests} (errors ${app1After.errors}, retried on app2 when refused); app2 ${app2.requests} requests, ${app2.s5xx} 5xx, errors ${app2.errors}; ` +
          `all ${all.requests}: ${check.acked} writes acknowledged, missing ${check.missing}, duplicates ${check.duplicates}, gaps ${check.gaps}, without audit ${check.noAudit}, written but not acknowledged ${check.unacknowledgedWritten}; restarted afterwards: ${healed.join(', ')}`,
      );
    }
  }

  // ---- summary
  say(`\nSummary (load average ${load()}; restarts done by the benchmark between runs: ${cluster.restarts.app} app, ${cluster.restarts.worker} worker)`);
  const claims = [...new Set(rows.map((r) => r.claim))];
  say(
    table(
      ['claim', 'runs', 'passed', 'failed', 'verdict'],
      claims.map((claim) => {
        const mine = rows.filter((r) => r.claim === claim);
        const passed = mine.filter((r) => r.ok).length;
        return [claim, String(mine.length), String(passed), String(mine.length - passed), passed === mine.length ? 'PASS' : 'FAIL'];
      }),
    ),
  );
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

await runBench(main);
