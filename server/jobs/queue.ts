// The job queue: pg-boss, in the registry's own PostgreSQL (schema `pgboss`), through the same pool
// as the app, so an embedded PGlite works too. Jobs are sent inside the request's transaction: the
// row that asks for the work and the job that does it commit together or not at all.
import PgBoss from 'pg-boss';
import { CompiledQuery, type Transaction } from 'kysely';
import type pg from 'pg';
import type { DB } from '../db/schema.ts';

export const PRINT_QUEUE = 'print-decision';

export interface QueueOptions {
  /** A job whose worker died is retried after this long (pg-boss expiry). */
  expireInSeconds?: number;
  retryLimit?: number;
  retryDelaySeconds?: number;
}

export type JobQueue = PgBoss;

export async function startQueue(pool: pg.Pool, options: QueueOptions = {}): Promise<JobQueue> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values as unknown[]) },
    schema: 'pgboss',
    // Maintenance (expiring a dead worker's job, archiving) runs in every process; pg-boss elects one at a time.
    maintenanceIntervalSeconds: 30,
  } as PgBoss.ConstructorOptions);
  boss.on('error', (error) => console.error(`hàng đợi / queue: ${error.message}`));
  await boss.start();
  const settings = {
    retryLimit: options.retryLimit ?? 3,
    retryDelay: options.retryDelaySeconds ?? 2,
    expireInSeconds: options.expireInSeconds ?? 300,
  };
  // createQueue does nothing when the queue exists, so the first process's settings would stay for
  // good: every process applies its own (the last one started wins; set them the same everywhere).
  await boss.createQueue(PRINT_QUEUE, { name: PRINT_QUEUE, ...settings });
  await boss.updateQueue(PRINT_QUEUE, { name: PRINT_QUEUE, ...settings });
  return boss;
}

/** pg-boss's view of a Kysely transaction, so `send` joins it. */
export function inTransaction(trx: Transaction<DB>) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      const result = await trx.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows };
    },
  };
}
