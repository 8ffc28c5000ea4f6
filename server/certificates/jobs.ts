// The print job worker. pg-boss hands out the jobs (one at a time per process), retries a failed
// one, and gives a job whose worker died to another worker once it expires. The work itself is
// idempotent: each chunk of certificates is stored as soon as it is rendered (keyed by job and
// chunk), so a retry renders only the missing chunks, and the print log takes each certificate of
// a job once. `print_jobs` keeps what the user sees: status and progress. Revoked certificates are
// never printed: a chunk is stored only if every certificate in it is still valid, revoking drops
// the stored chunks of the decision's open jobs, and the job finishes only when its chunks hold
// exactly the decision's valid certificates.
import type PgBoss from 'pg-boss';
import { PRINT_QUEUE, type JobQueue } from '../jobs/queue.ts';
import type { PrintDeps } from './service.ts';
import * as repository from './repository.ts';
import { CHUNK_SIZE, renderChunk } from './rendering/chunks.ts';
import { inOrder } from './rendering/in-order.ts';
import { joinPdfs } from './rendering/joiner.ts';
import type { PrintMode } from './rendering/templates.ts';
import { notify } from '../notifications/service.ts';

export interface PrintJobData {
  printJobId: number;
}

type QueuedJob = PgBoss.JobWithMetadata<PrintJobData>;

export class PrintJobRunner {
  private inFlight = new Set<Promise<unknown>>();
  private stopping = false;
  private working = false;

  constructor(
    /** `jobDone`: called after a finished job has committed (wakes the e-mail dispatcher). */
    private readonly deps: PrintDeps & { queue: JobQueue; jobDone?: () => void },
    private readonly pollSeconds = 1,
  ) {}

  /** Starts taking print jobs from the queue. */
  async start(): Promise<void> {
    this.stopping = false;
    if (this.working) return;
    this.working = true;
    await this.deps.queue.work<PrintJobData>(PRINT_QUEUE, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.pollSeconds }, async ([job]) => {
      if (job) await this.track(this.run(job));
    });
  }

  /** Stops taking jobs and waits for the one in progress (it stops after its current chunk). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.working) await this.deps.queue.offWork(PRINT_QUEUE);
    this.working = false;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs every waiting job now, in this call (tests and the command line); answers how many finished. */
  async runAvailable(): Promise<number> {
    this.stopping = false;
    let finished = 0;
    for (;;) {
      const [job] = await this.deps.queue.fetch<PrintJobData>(PRINT_QUEUE, { batchSize: 1, includeMetadata: true });
      if (!job) return finished;
      try {
        await this.track(this.run(job));
        await this.deps.queue.complete(PRINT_QUEUE, job.id);
        finished += 1;
      } catch (error) {
        await this.deps.queue.fail(PRINT_QUEUE, job.id, { message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** One attempt at a job; throws to have pg-boss retry it. */
  private async run(job: QueuedJob): Promise<void> {
    const { db } = this.deps;
    const id = job.data.printJobId;
    const row = await repository.startPrintJobAttempt(db, id);
    if (!row) return; // finished or failed already: a duplicate delivery does nothing
    try {
      const finished = await this.renderMissingChunks(row.id, row.decision_id, row.mode);
      if (finished) await this.finish(row.id, row.decision_id, row.mode, row.created_by);
      else throw new Error('stopped before the last chunk; the job resumes elsewhere');
    } catch (error) {
      const lastAttempt = job.retryCount >= job.retryLimit;
      const message = error instanceof Error ? error.message : String(error);
      await repository.endFailedAttempt(db, id, lastAttempt ? 'failed' : 'queued', message.slice(0, 500));
      throw error;
    }
  }

  private async renderMissingChunks(jobId: number, decisionId: number, mode: PrintMode): Promise<boolean> {
    const { db } = this.deps;
    const records = await repository.listValidCertificatesOfDecision(db, decisionId);
    const layout = await repository.layoutFor(db, records[0]?.template ?? 'bang_khen', mode);
    const stored = new Set(await repository.listStoredChunkIndexes(db, jobId));
    const missing = Array.from({ length: Math.ceil(records.length / CHUNK_SIZE) }, (_, index) => index).filter((index) => !stored.has(index));
    const sliceOf = (index: number) => records.slice(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
    let stopped = false;
    // A stopping worker starts no new chunk; the chunks already rendering are stored, so a retry resumes after them.
    await inOrder(missing, this.deps.renderer.parallelism, (index) => (this.stopping ? Promise.resolve(null) : renderChunk(this.deps, sliceOf(index), layout)), async (pdf, position) => {
      if (!pdf) {
        stopped = true;
        return;
      }
      const index = missing[position]!;
      const slice = sliceOf(index);
      await db.transaction().execute(async (trx) => {
        // Locked against a revocation until this chunk is stored; one revoked meanwhile fails the
        // attempt, and pg-boss retries the job from a fresh list.
        const stillValid = await repository.lockStillValid(trx, slice.map((r) => r.id));
        if (stillValid.length !== slice.length) throw new Error('a certificate was revoked while the job ran; printing again without it');
        await repository.storeChunk(trx, jobId, { index, pages: slice.length, pdf });
      });
      // PGlite shares one thread with the web server: let requests in between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    });
    if (stopped) return false;
    return true;
  }

  private async finish(jobId: number, decisionId: number, mode: PrintMode, createdBy: number | null) {
    const { db } = this.deps;
    const chunks = await repository.listChunks(db, jobId);
    const title = `Bằng khen — Quyết định số ${await repository.decisionNumberText(db, decisionId)}`;
    const file = chunks.length > 0 ? await joinPdfs(chunks.map((c) => Buffer.from(c.pdf)), title) : null;
    const done = await db.transaction().execute(async (trx) => {
      // The valid certificates, locked against a revocation until the job is done.
      const certificates = await repository.lockValidCertificatesOfDecision(trx, decisionId);
      const pages = chunks.reduce((sum, chunk) => sum + chunk.pages, 0);
      // A revocation dropped the chunks after they were read: render again (pg-boss retries).
      const current = await repository.countChunks(trx, jobId);
      if (pages !== certificates.length || current !== chunks.length) throw new Error('a certificate was revoked while the job ran; printing again without it');
      const marked = await repository.markPrintJobDone(trx, jobId, file, certificates.length);
      if (!marked) return false;
      await notify(trx, { kind: 'print_job_done', printJobId: jobId });
      if (certificates.length === 0) return true;
      await repository.insertJobPrints(trx, jobId, mode, createdBy, certificates);
      await repository.deleteChunks(trx, jobId);
      return true;
    });
    if (done) this.deps.jobDone?.();
  }
}
