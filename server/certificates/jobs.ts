// The print job runner: takes a waiting job (or one whose runner stopped sending heartbeats), renders
// its missing chunks one at a time — each stored as soon as it is made — then joins them and logs
// every certificate once. A crash of the browser or of the process loses at most the chunk in
// progress; running a job twice adds no page and no log row twice.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { certificateQuery } from './sheets.ts';
import { CHUNK_SIZE, joinPdfs, layoutFor, renderChunk, type PrintDeps } from './service.ts';
import type { PrintMode } from './templates.ts';

const MAX_ATTEMPTS = 3;
/** A running job whose heartbeat is older than this is taken over by another runner. */
const STALE_SECONDS = 60;

export class PrintJobRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: PrintDeps,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runAvailable().then(() => undefined, () => undefined).finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops taking jobs and waits for the chunk in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs waiting jobs until none is left; answers how many finished. */
  async runAvailable(): Promise<number> {
    let finished = 0;
    for (;;) {
      if (this.stopped) return finished;
      const job = await this.claim();
      if (!job) return finished;
      if (await this.run(job)) finished += 1;
    }
  }

  private async claim() {
    const { rows } = await sql<{ id: number; decision_id: number; mode: PrintMode; attempts: number; created_by: number | null }>`
      UPDATE print_jobs SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), heartbeat_at = now()
      WHERE id = (
        SELECT id FROM print_jobs
        WHERE status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => ${STALE_SECONDS}))
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
      )
      RETURNING id, decision_id, mode, attempts, created_by`.execute(this.deps.db);
    return rows[0];
  }

  private async run(job: { id: number; decision_id: number; mode: PrintMode; attempts: number; created_by: number | null }): Promise<boolean> {
    const { db } = this.deps;
    try {
      const records = await certificateQuery(db).where('certificates.decision_id', '=', job.decision_id).orderBy('certificates.register_number').execute();
      const layout = await layoutFor(db, records[0]?.template ?? 'bang_khen', job.mode);
      const stored = new Set((await db.selectFrom('print_job_chunks').select('chunk_index').where('job_id', '=', job.id).execute()).map((c) => c.chunk_index));
      for (let index = 0; index * CHUNK_SIZE < records.length; index++) {
        if (stored.has(index)) continue;
        if (this.stopped) return false; // another runner (or this one after a restart) picks it up
        const slice = records.slice(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
        const pdf = await renderChunk(this.deps, slice, layout);
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('print_job_chunks')
            .values({ job_id: job.id, chunk_index: index, pages: slice.length, pdf })
            .onConflict((c) => c.columns(['job_id', 'chunk_index']).doUpdateSet({ pdf, pages: slice.length }))
            .execute();
          await trx
            .updateTable('print_jobs')
            .set({ done: sql`(SELECT coalesce(sum(pages), 0) FROM print_job_chunks WHERE job_id = ${job.id})`, heartbeat_at: new Date() })
            .where('id', '=', job.id)
            .execute();
        });
        // PGlite shares one thread with the web server: let requests in between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await this.finish(job, records.map((r) => ({ id: r.id, copy_number: r.copy_number })));
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db
        .updateTable('print_jobs')
        .set({ status: job.attempts >= MAX_ATTEMPTS ? 'failed' : 'queued', error: message.slice(0, 500) })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .execute();
      return false;
    }
  }

  private async finish(job: { id: number; mode: PrintMode; created_by: number | null }, certificates: { id: number; copy_number: number }[]) {
    const { db } = this.deps;
    const chunks = await db.selectFrom('print_job_chunks').select(['pdf']).where('job_id', '=', job.id).orderBy('chunk_index').execute();
    const file = chunks.length > 0 ? await joinPdfs(chunks.map((c) => Buffer.from(c.pdf))) : null;
    await db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('print_jobs')
        .set({ status: 'done', file, done: certificates.length, finished_at: new Date(), heartbeat_at: new Date(), error: null })
        .where('id', '=', job.id)
        .where('status', '=', 'running')
        .returning('id')
        .executeTakeFirst();
      if (!done || certificates.length === 0) return;
      await trx
        .insertInto('print_log')
        .values(certificates.map((c) => ({ certificate_id: c.id, copy_number: c.copy_number, mode: job.mode, channel: 'job' as const, job_id: job.id, printed_by: job.created_by })))
        .onConflict((c) => c.columns(['job_id', 'certificate_id']).doNothing())
        .execute();
      await trx.deleteFrom('print_job_chunks').where('job_id', '=', job.id).execute();
    });
  }
}
