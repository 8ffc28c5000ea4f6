// Mocha root hooks: start the shared database and app once, stop them at the end, but only when a
// loaded test file needs them. Mocha loads every test file before it runs a hook, and any file that
// uses the app loads context.ts (directly or through factories.ts, http.ts, ...), which says so
// (context-use.ts). A run of pure files (test/unit/, or `npx mocha test/unit/...` alone) starts nothing.
//
// With --parallel, each worker process runs these hooks around every file it is given: its first file
// that needs the app starts one database and app for that worker, which its later files share as the
// files of a serial run do; they end with the worker (an in-memory PGlite and a Chromium on a pipe go
// with the process). A server database is dropped by the main process once the workers are gone
// (mochaGlobalTeardown below).
import pg from 'pg';
import { contextNeeded, testDatabasePrefix } from './context-use.ts';

type ContextModule = typeof import('./context.ts');

/** In a worker of `mocha --parallel`. */
const parallelWorker = process.env.MOCHA_WORKER_ID !== undefined;

// In the main process: name the run before any worker is forked, so they all inherit it.
testDatabasePrefix();

/**
 * context.ts as the test files see it. Mocha loads them with require() where Node has require(esm)
 * (tsx then compiles them to CommonJS), with import() otherwise; a module loaded both ways would be two
 * modules with two contexts, so this loads it the way this file itself was loaded.
 */
function contextModule(): Promise<ContextModule> {
  return typeof require === 'function' ? Promise.resolve(require('./context.ts') as ContextModule) : import('./context.ts');
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    if (!contextNeeded()) return;
    this.timeout(120_000);
    await (await contextModule()).startTestContext(); // once per process: later calls return the same context
  },
  async afterAll(this: Mocha.Context) {
    if (!contextNeeded() || parallelWorker) return;
    this.timeout(60_000);
    await (await contextModule()).stopTestContext();
  },
};

/** After a parallel run on PostgreSQL: drops the databases the workers of this run created. */
export async function mochaGlobalTeardown(this: Mocha.Runner & { isParallelMode?: () => boolean }): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl || !this.isParallelMode?.()) return;
  const prefix = testDatabasePrefix();
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database');
    for (const { datname } of rows.filter((row) => row.datname.startsWith(prefix))) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
