// The generated registry the model benchmarks run on: a server (DATABASE_URL or throw-away), the
// database dvk_bench migrated and filled (or reused when kept from an earlier run of the same size),
// optional candidate index statements, and the clean-up that undoes all of it, also on Ctrl-C.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kysely, PostgresDialect } from 'kysely';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import pg from 'pg';
import { openDatabase, POSTGRES_SESSION_OPTIONS, type OpenDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { DB } from '../../server/db/schema.ts';
import { generateModels, generateUnits } from './generate.ts';
import { time } from './measure.ts';
import { startBenchServer, withDatabase, type BenchServer } from './postgres.ts';

export const DATABASE = 'dvk_bench';
const GENERATOR = 'dvk-bench/1';

export const say = (line = '') => console.log(line);
export const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;

export interface RegistrySettings {
  models: number;
  databaseUrl: string | undefined;
  /** Keep dvk_bench at the end (only on a DATABASE_URL server; a throw-away server goes entirely). */
  keep: boolean;
  /** Reuse a kept dvk_bench of the same size instead of generating. */
  reuse: boolean;
  /** SQL run before measuring (candidate indexes); undone at the end when the database is kept. */
  statements: string[];
}

/** The settings every model benchmark shares, from the environment. */
export function registrySettings(env: NodeJS.ProcessEnv): RegistrySettings {
  const models = env.MODELS === undefined || env.MODELS === '' ? 1_000_000 : Number(env.MODELS);
  if (!Number.isInteger(models) || models < 1000) throw new Error('MODELS must be an integer >= 1000');
  const flag = (name: string) => env[name] === '1' || env[name] === 'true';
  return {
    models,
    databaseUrl: env.DATABASE_URL || undefined,
    keep: flag('BENCH_KEEP') || flag('BENCH_REUSE'),
    reuse: flag('BENCH_REUSE'),
    statements: (env.BENCH_INDEXES ?? '').split(';').map((s) => s.trim()).filter(Boolean),
  };
}

/** Clean-up steps run once, last registered first, at the end, on error, or on SIGINT/SIGTERM. */
export class Cleanups {
  private readonly steps: (() => Promise<void>)[] = [];
  private running: Promise<void> | undefined;

  constructor() {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping and cleaning up...`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        await step().catch((error: unknown) => console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
      }
    })();
    return this.running;
  }
}

/** Runs a benchmark's main with its clean-ups, which run at the end whatever happens; a failure sets exit code 1. */
export async function runBench(main: (cleanups: Cleanups) => Promise<void>): Promise<void> {
  const cleanups = new Cleanups();
  try {
    await main(cleanups);
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  } finally {
    await cleanups.run();
  }
}

/** The app in this process on a free loopback port, production settings, closed at the end; its base URL. */
export async function startBenchApp(url: string, db: Kysely<DB>, cleanups: Cleanups): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'production', PORT: '0', DATABASE_URL: url, SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_PASSWORD: randomBytes(12).toString('hex') });
  const app = createApp({ config, db });
  const httpServer = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.add(async () => {
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
  });
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
}

export interface Registry {
  server: BenchServer;
  url: string;
  /** The app's own database handle (server/db/database.ts), as main.ts opens it. */
  database: OpenDatabase;
  /** A plain pg pool for bare SQL. */
  pool: pg.Pool;
}

export async function openRegistry(s: RegistrySettings, cleanups: Cleanups): Promise<Registry> {
  const server = await startBenchServer(s.databaseUrl, (line) => say(`  ${line}`));
  cleanups.add(() => server.stop());
  say(`Server: ${server.describe}`);

  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  const marker = `${GENERATOR} models=${s.models}`;
  const existing = await admin.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [DATABASE]);
  const reuse = s.reuse && existing.rows[0]?.comment === marker;
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  }
  await admin.end();
  const keep = s.keep && !server.throwAway;
  if (!keep) {
    cleanups.add(async () => {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await client.end();
    });
  }
  const url = withDatabase(server.adminUrl, DATABASE);
  const database = await openDatabase({ databaseUrl: url });
  cleanups.add(() => database.close());
  await migrateToLatest(database.db);
  // The bare queries run with the app's session settings (jit off), so only the app's own work differs.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: POSTGRES_SESSION_OPTIONS });
  cleanups.add(() => pool.end());

  if (reuse) {
    say(`Reusing ${DATABASE} (${marker})`);
  } else {
    say(`Generating data...`);
    const started = performance.now();
    const loaders = await Promise.all([pool.connect(), pool.connect()]);
    try {
      const [first] = loaders;
      const units = await generateUnits(first);
      say(`  ${units.total.toLocaleString('en')} units (${Object.entries(units.byKind).map(([kind, n]) => `${n} ${kind}`).join(', ')}) in ${seconds(performance.now() - started)}`);
      const models = await generateModels(loaders, s.models, (line) => say(line));
      say(`  models loaded in ${seconds(models.loadMs)}, ${models.indexes.length} indexes rebuilt in ${seconds(models.indexMs)}`);
      // VACUUM as well as ANALYZE: autovacuum would have set the visibility map on a table this old.
      const vacuum = await time(() => first.query('VACUUM (ANALYZE)'));
      say(`  VACUUM (ANALYZE) in ${seconds(vacuum)}`);
    } finally {
      for (const client of loaders) client.release();
    }
    await pool.query(`COMMENT ON DATABASE ${DATABASE} IS '${marker}'`);
    say(`Generation: ${seconds(performance.now() - started)} in all`);
  }

  for (const statement of s.statements) {
    // A kept database gets its indexes back as they were: created ones dropped, dropped ones re-created.
    const dropped = /^DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?([\w.]+)\s*$/i.exec(statement)?.[1];
    const definition = dropped
      ? (await pool.query<{ def: string }>(`SELECT pg_get_indexdef(to_regclass($1)) AS def`, [dropped])).rows[0]?.def
      : undefined;
    say(`Candidate: ${statement}`);
    const took = await time(() => pool.query(statement));
    say(`  done in ${seconds(took)}`);
    const created = /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?([\w.]+)/i.exec(statement)?.[1];
    if (keep && created) cleanups.add(async () => void (await pool.query(`DROP INDEX IF EXISTS ${created}`)));
    if (keep && definition) cleanups.add(async () => void (await pool.query(definition)));
  }
  if (s.statements.length > 0) await pool.query('ANALYZE models');
  await describeData(pool);
  return { server, url, database, pool };
}

export interface CapturedQuery {
  sql: string;
  parameters: unknown[];
}

/** A Kysely instance of its own that records the SQL and parameters of every query it runs. */
export function capturingKysely(url: string, cleanups: Cleanups): { db: Kysely<DB>; take(): CapturedQuery[] } {
  const sink: CapturedQuery[] = [];
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }),
    log: (event) => {
      if (event.level === 'query') sink.push({ sql: event.query.sql, parameters: [...event.query.parameters] });
    },
  });
  cleanups.add(() => db.destroy());
  return { db, take: () => sink.splice(0) };
}

async function describeData(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ models: number; years: string; heap: string; indexes: string }>(`
    SELECT (SELECT count(*) FROM models)::integer AS models,
           (SELECT min(year) || '-' || max(year) FROM models) AS years,
           pg_size_pretty(pg_table_size('models')) AS heap,
           pg_size_pretty(pg_indexes_size('models')) AS indexes`);
  const row = rows[0];
  if (row) say(`Data: ${row.models.toLocaleString('en')} models (${row.years}), table ${row.heap}, indexes ${row.indexes}`);
  const sizes = await pool.query<{ name: string; size: string }>(`
    SELECT indexrelid::regclass::text AS name, pg_size_pretty(pg_relation_size(indexrelid)) AS size
    FROM pg_index WHERE indrelid = 'models'::regclass ORDER BY pg_relation_size(indexrelid) DESC`);
  say(`  ${sizes.rows.map((r) => `${r.name} ${r.size}`).join(', ')}`);
}

/** '{19,43,44,...}' or [19,43,44,...] with hundreds of ids, as its first ids and a count. */
export function shortenArrays(text: string): string {
  return text.replace(/([{[])(\d+(?:,\d+){5,})([}\]])/g, (_all, open: string, list: string, close: string) => {
    const ids = list.split(',');
    return `${open}${ids.slice(0, 3).join(',')},… ${ids.length} ids${close}`;
  });
}
