// After a restore: the pg-boss schema is not in a backup (its jobs belong to the processes that ran
// them), so a print job still waiting or running when the backup was made is queued again. Its
// stored chunks came with the backup: the worker renders only the missing ones.
import { PRINT_QUEUE, startQueue } from '../jobs/queue.ts';
import type { OpenDatabase } from '../db/database.ts';

export async function requeueOpenPrintJobs(database: OpenDatabase, expireInSeconds: number): Promise<number> {
  const open = await database.db.selectFrom('print_jobs').select('id').where('status', 'in', ['queued', 'running']).orderBy('id').execute();
  if (open.length === 0) return 0;
  const queue = await startQueue(database.pool, { expireInSeconds });
  try {
    for (const job of open) await queue.send(PRINT_QUEUE, { printJobId: job.id });
  } finally {
    await queue.stop({ graceful: false, wait: true, close: false });
  }
  return open.length;
}
