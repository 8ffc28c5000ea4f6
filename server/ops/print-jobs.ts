// After a restore: the pg-boss schema is not in a backup (its jobs belong to the processes that ran
// them), so a print job still waiting or running when the backup was made is queued again. Its
// stored chunks came with the backup: the worker renders only the missing ones.
import { PRINT_QUEUE, startQueue } from '../jobs/queue.ts';
import type { OpenDatabase } from '../db/database.ts';
import { listOpenPrintJobIds } from '../certificates/repository.ts';

export async function requeueOpenPrintJobs(database: OpenDatabase, expireInSeconds: number): Promise<number> {
  const open = await listOpenPrintJobIds(database.db);
  if (open.length === 0) return 0;
  const queue = await startQueue(database.pool, { expireInSeconds });
  try {
    for (const printJobId of open) await queue.send(PRINT_QUEUE, { printJobId });
  } finally {
    await queue.stop({ graceful: false, wait: true, close: false });
  }
  return open.length;
}
