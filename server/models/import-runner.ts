// Runs imports in this process: at most a few at once (ImportGate), each file read and checked in
// its own worker thread against the reference data loaded here, so the event loop stays free.
import { Worker } from 'node:worker_threads';
import type { Database } from '../db/database.ts';
import { scopeIncludes, type UnitScope } from '../auth/scope.ts';
import { RateLimitedError } from '../errors.ts';
import type { Message } from '../errors.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import { listBlocks, listFields, listUnitsWithBlockAndParent } from '../units/repository.ts';
import { findUnitEnd, unitEndedDetail } from '../units/lifecycle.ts';
import { ImportRefusedError, referenceLookup, type ImportReferences, type ParsedImport } from './import.ts';
import type { ImportJob, ImportOutcome } from './import-worker.ts';

const WORKER_ENTRY = new URL('./import-worker-boot.mjs', import.meta.url);
// A safety net under the size bounds: a file that still needs more heap kills its worker, not the process.
const WORKER_HEAP_MB = 768;
const BUSY_RETRY_SECONDS = 30;
const WORKER_IDLE_MS = 60_000;

export interface ImportLimits {
  maxUncompressedBytes: number;
}

/**
 * The units in the caller's scope by code, each with the block a model of it takes (its own, else
 * the nearest unit's above it, else none) and, for a unit that has ended, why it takes no new model;
 * and the fields and blocks by folded code or name.
 */
export async function loadImportReferences(db: Database, scope: UnitScope): Promise<ImportReferences> {
  const unitRows = await listUnitsWithBlockAndParent(db);
  const byId = new Map(unitRows.map((unit) => [unit.id, unit]));
  const blockOf = (unit: (typeof unitRows)[number]): string | null => {
    for (let current: (typeof unitRows)[number] | undefined = unit, depth = 0; current && depth < 50; current = byId.get(current.parent_id ?? -1), depth++) {
      if (current.block_code) return current.block_code;
    }
    return null;
  };
  const today = todayInVietnam();
  const units = new Map<string, { id: number; block: string | null; ended?: Message }>();
  for (const unit of unitRows) {
    if (!scopeIncludes(scope, unit.id)) continue;
    const end = unit.valid_to && String(unit.valid_to) < today ? await findUnitEnd(db, unit.id, today) : undefined;
    units.set(unit.code, { id: unit.id, block: blockOf(unit), ...(end ? { ended: unitEndedDetail(end) } : {}) });
  }
  return { units, fields: referenceLookup(await listFields(db)), blocks: referenceLookup(await listBlocks(db)) };
}

/** Reads and checks the file in a worker thread (which takes the buffer's memory); throws an ImportRefusedError (the first 100 errors and the total). */
export async function parseModelImport(db: Database, scope: UnitScope, fileName: string, buffer: Buffer, limits: ImportLimits): Promise<ParsedImport> {
  const references = await loadImportReferences(db, scope);
  // Handed over without a copy when the buffer owns its whole memory (multer's concat of a file over
  // 4 KB does; the caller must not read it afterwards), else copied: a small one shares Node's pool.
  const bytes = buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer ? buffer.buffer : new Uint8Array(buffer).buffer;
  const outcome = await workers.run({ fileName, bytes, references, maxUncompressedBytes: limits.maxUncompressedBytes }).catch((error: Error & { code?: string }) => {
    if (error.code !== 'ERR_WORKER_OUT_OF_MEMORY') throw error;
    return { ok: false, details: [{ field: 'file', reason: 'unreadable', key: 'import.unreadable' }], totalErrors: 1 } satisfies ImportOutcome;
  });
  if (outcome.ok) return outcome.parsed;
  throw new ImportRefusedError(outcome.details, outcome.totalErrors);
}

/**
 * Import worker threads, kept warm between imports and ended after a minute idle; one job at a
 * time each, so their number follows the imports running at once (bounded by the ImportGate).
 */
class ImportWorkers {
  private readonly idle = new Set<{ worker: Worker; timer: NodeJS.Timeout }>();

  async run(job: ImportJob): Promise<ImportOutcome> {
    const [warm] = this.idle;
    if (warm) {
      this.idle.delete(warm);
      clearTimeout(warm.timer);
    }
    const worker = warm?.worker ?? (await this.start());
    worker.ref();
    try {
      const outcome = await new Promise<ImportOutcome>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        const onExit = (code: number) => reject(new Error(`the import worker exited with code ${code}`));
        worker.once('error', onError).once('exit', onExit);
        worker.once('message', (message: ImportOutcome) => {
          worker.off('error', onError).off('exit', onExit);
          resolve(message);
        });
        worker.postMessage(job, [job.bytes]);
      });
      worker.unref();
      const entry = { worker, timer: setTimeout(() => this.end(entry), WORKER_IDLE_MS).unref() };
      this.idle.add(entry);
      return outcome;
    } catch (error) {
      void worker.terminate();
      throw error;
    }
  }

  private start(): Promise<Worker> {
    const worker = new Worker(WORKER_ENTRY, { execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // A job's own listeners report its failure; this one keeps a failure between jobs from becoming the process's.
    worker.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the import worker exited with code ${code} while starting`));
      worker.once('exit', onExit);
      worker.once('message', () => {
        worker.off('exit', onExit);
        resolve(worker);
      });
    });
  }

  private end(entry: { worker: Worker; timer: NodeJS.Timeout }): void {
    this.idle.delete(entry);
    void entry.worker.terminate();
  }
}

const workers = new ImportWorkers();

/**
 * At most `limit` imports at once in this process; one more is refused at once (429), before its
 * upload is read. A slot is held until the request's response is over and its work has settled.
 */
export class ImportGate {
  private running = 0;
  readonly limit: number;
  readonly limits: ImportLimits;
  constructor(settings: { concurrency: number; maxUncompressedBytes: number }) {
    this.limit = settings.concurrency;
    this.limits = { maxUncompressedBytes: settings.maxUncompressedBytes };
  }

  /** Takes a slot or throws; `release` may be called any number of times. */
  enter(): { release: () => void } {
    if (this.running >= this.limit) throw new RateLimitedError('import_busy', 'import.busy', {}, BUSY_RETRY_SECONDS);
    this.running++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.running--;
      },
    };
  }

  get inUse(): number {
    return this.running;
  }
}
