// One database and one running app (real HTTP on a loopback port) shared by every test file.
// With DATABASE_URL set, the tests run in a fresh database created on that server and dropped
// afterwards; otherwise in an in-memory PGlite. Each test makes its own records with factories.
// Loading this module tells hooks.ts that the run needs them (context-use.ts); pure tests never load it.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../../server/config.ts';
import { createApp } from '../../server/app.ts';
import { openDatabase, type OpenDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { PrintJobRunner } from '../../server/certificates/jobs.ts';
import { startQueue, type JobQueue } from '../../server/jobs/queue.ts';
import type { CertificateRenderer } from '../../server/certificates/rendering/renderer.ts';
import { createRenderer, findBrowser } from '../../server/certificates/rendering/setup.ts';
import { testConfig } from './config.ts';
import { needContext, testDatabasePrefix } from './context-use.ts';

export { testConfig };
needContext();

export interface TestContext {
  config: Config;
  database: OpenDatabase;
  renderer: CertificateRenderer;
  queue: JobQueue;
  printJobs: PrintJobRunner;
  baseUrl: string;
  server: Server;
  /** The server database's name when running on PostgreSQL (dropped at the end). */
  serverDatabase?: { adminUrl: string; name: string };
}

let context: TestContext | undefined;

export async function startTestContext(): Promise<TestContext> {
  if (context) return context; // a parallel worker keeps one context for all its files (hooks.ts)
  const config = testConfig();
  let databaseUrl: string | undefined;
  let serverDatabase: TestContext['serverDatabase'];
  if (config.databaseUrl) {
    const name = `${testDatabasePrefix()}${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(config.databaseUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    serverDatabase = { adminUrl: config.databaseUrl, name };
  }
  const database = await openDatabase({ databaseUrl, pgliteDir: 'memory://' });
  await migrateToLatest(database.db);
  const executablePath = await findBrowser(config.chromiumPath);
  if (!executablePath) throw new Error('No Chromium for the PDF tests: sudo apt-get install -y chromium');
  const renderer = createRenderer(executablePath, { concurrency: 2 });
  // Listen first: the certificates' QR codes carry the server's real address.
  const server = createServer();
  // On a loaded machine (two workers, Chromium, a server database), a client may reuse a keep-alive
  // socket in the instant the server closes it for idleness, and fetch fails with ECONNRESET. The test
  // server keeps idle sockets longer than any client does, so that race cannot happen.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const appConfig = { ...config, databaseUrl, publicUrl: baseUrl };
  const queue = await startQueue(database.pool, { retryDelaySeconds: 0 });
  server.on('request', createApp({ config: appConfig, db: database.db, renderer, queue }));
  const printJobs = new PrintJobRunner({ db: database.db, renderer, publicUrl: baseUrl, queue }, 0.5);
  await printJobs.start();
  context = { config: appConfig, database, renderer, queue, printJobs, baseUrl, server, serverDatabase };
  return context;
}

export async function stopTestContext(): Promise<void> {
  if (!context) return;
  const { server, database, serverDatabase, renderer, printJobs, queue } = context;
  await printJobs.stop();
  await queue.stop({ graceful: false, wait: true, close: false });
  await renderer.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await database.close();
  if (serverDatabase) {
    const admin = new pg.Client({ connectionString: serverDatabase.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${serverDatabase.name} WITH (FORCE)`);
    await admin.end();
  }
  context = undefined;
}

export function ctx(): TestContext {
  if (!context) throw new Error('The test context is not started (test/support/hooks.ts)');
  return context;
}

export const db = () => ctx().database.db;
