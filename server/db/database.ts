// Opens the database: a real PostgreSQL server when DATABASE_URL is set, otherwise the embedded
// PGlite in DATA_DIR. Both go through pg's Pool and Kysely's PostgresDialect, so every query,
// type parser and transaction takes the same code path on both backends.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { DB } from './schema.ts';
import { acquireFolderLock, type FolderLock } from './folder-lock.ts';

// DATE columns stay 'YYYY-MM-DD' strings: a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// COUNT(*) and other int8 values fit comfortably in a JS number for this registry's sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Database = Kysely<DB>;

/**
 * Settings for every session on a PostgreSQL server. JIT compiling pays off for long analytic
 * queries; for counts over 100,000 index entries it adds 10-30 ms of compile time to every request.
 */
export const POSTGRES_SESSION_OPTIONS = '-c jit=off';

export interface OpenDatabase {
  db: Database;
  /** The driver's pool under Kysely, for libraries that speak SQL themselves (the job queue). */
  pool: pg.Pool;
  backend: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests). */
  pgliteDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, options: POSTGRES_SESSION_OPTIONS });
    // A server restart or a killed backend ends connections: the query in progress fails (500) and the pool
    // drops the client, but the 'error' event pg also emits, idle or checked out, must not end the process.
    pool.on('error', () => undefined).on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, pool, backend: 'postgres', close: () => db.destroy() };
  }
  return openPglite(options.pgliteDir ?? 'memory://');
}

async function openPglite(dir: string): Promise<OpenDatabase> {
  let lock: FolderLock | undefined;
  if (!dir.startsWith('memory://')) {
    mkdirSync(dir, { recursive: true });
    // PGlite is one process's database: a second process on the same folder silently loses rows.
    lock = acquireFolderLock(join(dir, '..', `${basename(dir)}.lock`));
  }
  try {
    const pglite = await PGlite.create(dir, { extensions: { unaccent, pg_trgm } });
    const pool = new pg.Pool(createPgConfig(pglite));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      backend: 'pglite',
      async close() {
        await db.destroy();
        await pglite.close();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

function basename(path: string): string {
  return path.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? 'pglite';
}
