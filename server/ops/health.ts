// Probes for a supervisor or a load balancer: /healthz (the process answers) and /readyz (the
// database answers and has every migration in sql/; whether PDFs can be made). No login, no
// session, no rate limit, and mounted before the request log so probes do not fill it.
import { readdirSync } from 'node:fs';
import { Router } from 'express';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { SQL_DIR } from '../db/migrate.ts';

/** The migrations this code expects: the file names in sql/, as the migrator names them. */
function expectedMigrations(): string[] {
  return readdirSync(SQL_DIR).filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name)).map((name) => name.replace(/\.sql$/, ''));
}

const PROBE_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function healthRoutes({ db, chromium }: { db: Database; chromium: () => boolean }): Router {
  const expected = expectedMigrations();
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let database = false;
    let migrations = false;
    try {
      const applied = await withTimeout(
        (async () => {
          await sql`SELECT 1`.execute(db);
          database = true;
          return (await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db)).rows.map((r) => r.name);
        })(),
        PROBE_TIMEOUT_MS,
      );
      migrations = expected.every((name) => applied.includes(name));
    } catch {
      // A database that does not answer in time, or has no migration table: not ready.
    }
    const ready = database && migrations;
    res.set('Cache-Control', 'no-store').status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', database, migrations, chromium: chromium() });
  });
  return router;
}
