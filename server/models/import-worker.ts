// The import's worker thread: reads and checks uploaded files off the main thread, one at a time,
// so a large or hostile spreadsheet never holds up other requests. import-runner.ts keeps a few
// such threads warm (starting one loads exceljs, Joi and the catalogs: seconds on this machine).
import { parentPort } from 'node:worker_threads';
import { ImportRefusedError, parseImportFile, type ImportFieldError, type ImportReferences, type ParsedImport } from './import.ts';

export interface ImportJob {
  fileName: string;
  bytes: ArrayBuffer;
  references: ImportReferences;
  maxUncompressedBytes: number;
}

export type ImportOutcome = { ok: true; parsed: ParsedImport } | { ok: false; details: ImportFieldError[]; totalErrors: number };

async function run(job: ImportJob): Promise<ImportOutcome> {
  try {
    return { ok: true, parsed: await parseImportFile(job.references, job.fileName, Buffer.from(job.bytes), { maxUncompressedBytes: job.maxUncompressedBytes }) };
  } catch (error) {
    if (!(error instanceof ImportRefusedError)) throw error;
    return { ok: false, details: error.details, totalErrors: error.totalErrors };
  }
}

// Anything else thrown ends the thread with an 'error' event, which fails the job in the runner.
parentPort!.on('message', (job: ImportJob) => void run(job).then((outcome) => parentPort!.postMessage(outcome), (error: unknown) => setImmediate(() => { throw error; })));
parentPort!.postMessage('ready');
