// Process entry: settings, database (migrated, demo data on first start), the app, and a
// graceful shutdown that finishes requests in flight before closing the database.
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { createApp } from './app.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DEMO_USERS, seedDemo } from './demo/seed.ts';
import { DatabaseLockedError } from './db/folder-lock.ts';
import { PrintJobRunner } from './certificates/jobs.ts';
import { createRenderer, findBrowser } from './certificates/setup.ts';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') }).catch((error: unknown) => {
  // A second copy on the same folder, or an unreachable server: one clear line, no stack trace.
  if (error instanceof DatabaseLockedError) console.error(error.message);
  else console.error(`Không mở được cơ sở dữ liệu / cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
await migrateToLatest(database.db);

// An empty embedded database gets the demo data; a server database only through `npm run seed:demo`.
const seeded = database.backend === 'pglite' ? await seedDemo(database.db, config.demoPassword) : false;

// One browser for the whole process, found once; without one the app runs and printing says why.
const chromium = await findBrowser(config.chromiumPath);
if (!chromium) console.warn('Không tìm thấy Chromium, chưa in được bằng khen / no Chromium for PDFs: sudo apt-get install -y chromium');
const renderer = chromium ? createRenderer(chromium, { concurrency: config.renderConcurrency }) : undefined;
const printJobs = renderer && config.runPrintJobs ? new PrintJobRunner({ db: database.db, renderer, publicUrl: config.publicUrl }) : undefined;
printJobs?.start();

const app = createApp({ config, db: database.db, renderer });
const server = app.listen(config.port, config.host, () => {
  const where = database.backend === 'pglite' ? `PGlite ${join(config.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)';
  console.log(`Sổ đăng ký "Dân vận khéo" đang chạy tại / running at http://localhost:${config.port}  [${where}]`);
  if (database.backend === 'pglite' || seeded) {
    console.log(`Tài khoản demo / demo logins (mật khẩu / password: ${config.env === 'production' ? '(DEMO_PASSWORD)' : config.demoPassword}):`);
    for (const user of DEMO_USERS) console.log(`  ${user.username.padEnd(10)} ${user.role}`);
  }
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: đang dừng / shutting down...`);
  server.close(async () => {
    await printJobs?.stop(); // the chunk in progress is finished and stored; the rest resumes on the next start
    await renderer?.close();
    await database.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 15_000).unref(); // a request that never ends must not keep us up
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
