// What every process of the registry holds, opened and closed in one place: the database (migrated),
// the one Chromium renderer, the job queue, and — when this process runs print jobs — the worker.
// main.ts (the web app) and worker.ts (print workers) both start from here.
import type { Config } from './config.ts';
import { openDatabase, type OpenDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { join } from 'node:path';
import { PrintJobRunner } from './certificates/jobs.ts';
import type { CertificateRenderer } from './certificates/rendering/renderer.ts';
import { chooseBrowser, createRenderer, describeBrowser } from './certificates/rendering/setup.ts';
import { startQueue, type JobQueue } from './jobs/queue.ts';
import { MailDispatcher } from './notifications/mailer.ts';

export interface Runtime {
  database: OpenDatabase;
  renderer: CertificateRenderer | undefined;
  queue: JobQueue;
  printJobs: PrintJobRunner | undefined;
  /** The notification e-mail dispatcher, when SMTP_URL is set. */
  mail: MailDispatcher | undefined;
  /** Stops taking jobs, lets the job in progress finish its chunk, then closes browser, queue and database. */
  close(): Promise<void>;
}

export async function openRuntime(config: Config, options: { runPrintJobs: boolean }): Promise<Runtime> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') });
  await migrateToLatest(database.db);
  const chromium = await chooseBrowser(config.chromiumPath, { system: config.chromiumSystem });
  (chromium ? console.log : console.warn)(describeBrowser(chromium));
  const renderer = chromium ? createRenderer(chromium.executablePath, { concurrency: config.renderConcurrency }) : undefined;
  const queue = await startQueue(database.pool, { expireInSeconds: config.printJobExpireSeconds });
  // Every process with SMTP_URL sends the notification e-mails (app and print workers alike: they claim rows with SKIP LOCKED).
  const mail = config.mail.smtpUrl
    ? new MailDispatcher({ db: database.db, smtpUrl: config.mail.smtpUrl, from: config.mail.from, publicUrl: config.publicUrl, onError: (error) => console.warn(`Gửi thư thông báo / notification e-mail: ${error instanceof Error ? error.message : String(error)}`) }).start()
    : undefined;
  const printJobs = renderer && options.runPrintJobs ? new PrintJobRunner({ db: database.db, renderer, publicUrl: config.publicUrl, queue, jobDone: () => mail?.wake() }) : undefined;
  await printJobs?.start();
  return {
    database,
    renderer,
    queue,
    printJobs,
    mail,
    async close() {
      await printJobs?.stop();
      await mail?.stop();
      await queue.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
      await renderer?.close();
      await database.close();
    },
  };
}
