// The registry's backup format, written and read by our own code so that one file works on both
// backends (a PGlite backup restores into PostgreSQL and back): gzipped lines of JSON.
//
//   {"format":"dvk-backup","version":1,"createdAt","backend","migrations":[...],"tables":[...]}
//   {"table":"units","columns":[{"name","type"}...]}   then one JSON array of text values per row
//   {"tableEnd":"units","rows":n}
//   ... every table of schema public, parents before children ...
//   {"sequences":[{"name","lastValue"}]}
//   {"end":true,"rows":{"units":n,...}}
//
// Values are PostgreSQL's own text form (timestamps with offset, tsvector, jsonb, numeric), bytea
// in base64, so nothing passes through a JS type and nothing is rounded. Everything is read in one
// REPEATABLE READ, READ ONLY transaction: one snapshot while the app goes on writing. pg-boss's
// schema is not included (see restoreBackup: open print jobs are queued again).
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { SQL_DIR } from '../db/migrate.ts';

export const BACKUP_FORMAT = 'dvk-backup';
export const BACKUP_VERSION = 1;
const MIGRATION_TABLE = 'kysely_migration';
const FETCH_ROWS = 500;

type Db = Kysely<DB> | Transaction<DB>;

export interface ColumnInfo {
  name: string;
  /** format_type(): the type to cast the text back to. */
  type: string;
}

interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  hasIdentity: boolean;
  /** Foreign keys: own columns and the table they point at. */
  references: { columns: string[]; table: string }[];
}

export interface BackupHeader {
  format: string;
  version: number;
  createdAt: string;
  backend: string;
  migrations: string[];
  tables: string[];
}

export interface BackupSummary {
  tables: number;
  rows: Record<string, number>;
  bytes?: number;
}

/** The target database already holds tables: restore refuses to mix a backup into it. */
export class DatabaseNotEmptyError extends Error {
  constructor(tables: number) {
    super(
      `Cơ sở dữ liệu đích không trống (${tables} bảng); chỉ phục hồi vào một cơ sở dữ liệu mới, trống. ` +
        `/ The target database is not empty (${tables} tables): restore only into a new, empty database (a new DATA_DIR, or createdb).`,
    );
    this.name = 'DatabaseNotEmptyError';
  }
}

export class BackupFormatError extends Error {
  override name = 'BackupFormatError';
}

async function rows<T>(db: Db, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/** Every ordinary table of schema public with its columns (generated ones left out), keys and references. */
async function describeTables(db: Db): Promise<TableInfo[]> {
  const columns = await rows<{ table: string; name: string; type: string; identity: string }>(
    db,
    sql`SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attidentity AS identity
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum`,
  );
  const keys = await rows<{ table: string; kind: string; columns: string[]; target: string | null }>(
    db,
    sql`SELECT c.relname AS "table", k.contype AS kind, t.relname AS target,
               ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, i)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.i) AS columns
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class t ON t.oid = k.confrelid
        WHERE n.nspname = 'public' AND k.contype IN ('p', 'f')`,
  );
  const tables = new Map<string, TableInfo>();
  for (const column of columns) {
    let table = tables.get(column.table);
    if (!table) tables.set(column.table, (table = { name: column.table, columns: [], primaryKey: [], hasIdentity: false, references: [] }));
    table.columns.push({ name: column.name, type: column.type });
    if (column.identity !== '') table.hasIdentity = true;
  }
  for (const key of keys) {
    const table = tables.get(key.table);
    if (!table) continue;
    if (key.kind === 'p') table.primaryKey = key.columns;
    else if (key.target) table.references.push({ columns: key.columns, table: key.target });
  }
  return [...tables.values()];
}

/** Parents before children (name order among equals, so two backups of one database read alike). */
function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: TableInfo[] = [];
  const pending = [...tables].sort((a, b) => a.name.localeCompare(b.name));
  while (pending.length > 0) {
    let index = pending.findIndex((t) => t.references.every((r) => r.table === t.name || done.has(r.table) || !byName.has(r.table)));
    if (index < 0) index = 0; // a cycle between tables: the columns pointing forward are set after the load
    const [table] = pending.splice(index, 1);
    ordered.push(table!);
    done.add(table!.name);
  }
  return ordered;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

const isBytea = (column: ColumnInfo) => column.type === 'bytea';

/** Writes one line and waits when the stream asks us to, unless the reader has gone (`gone` rejects). */
async function writeLine(out: Writable, value: unknown, gone?: Promise<never>): Promise<void> {
  if (out.write(`${JSON.stringify(value)}\n`)) return;
  const drained = new Promise<void>((resolve) => out.once('drain', resolve));
  await (gone ? Promise.race([drained, gone]) : drained);
}

/**
 * Writes the whole database as a gzipped backup to `output` (ended when done) from one snapshot.
 * On PGlite this holds the one connection for its duration: the app's requests wait meanwhile.
 */
export async function writeBackup(db: Kysely<DB>, output: Writable, backend: string): Promise<BackupSummary> {
  const gzip = createGzip();
  const finished = new Promise<void>((resolve, reject) => {
    output.once('finish', resolve).once('close', resolve).once('error', reject);
    gzip.once('error', reject);
  });
  finished.catch(() => undefined); // awaited at the end; an early failure is thrown from where it happens
  gzip.pipe(output);
  // A reader that goes away (a socket closed mid-backup) must not leave the transaction waiting for
  // a drain that never comes: on PGlite that would hold the app's one connection for good.
  let complete = false;
  const gone = new Promise<never>((_, reject) => {
    output.once('error', reject);
    output.once('close', () => complete || reject(new Error('the backup\'s reader went away')));
  });
  gone.catch(() => undefined);
  const counts: Record<string, number> = {};
  try {
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await setTextForms(trx);
        const tables = dependencyOrder(await describeTables(trx));
        const migrations = tables.some((t) => t.name === MIGRATION_TABLE)
          ? (await rows<{ name: string }>(trx, sql`SELECT name FROM ${sql.table(MIGRATION_TABLE)} ORDER BY name`)).map((r) => r.name)
          : [];
        const header: BackupHeader = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), backend, migrations, tables: tables.map((t) => t.name) };
        await writeLine(gzip, header, gone);
        for (const table of tables) {
          await writeLine(gzip, { table: table.name, columns: table.columns }, gone);
          const select = table.columns.map((c, i) => (isBytea(c) ? `encode(${quote(c.name)}, 'base64')` : `${quote(c.name)}::text`) + ` AS c${i}`).join(', ');
          const order = table.primaryKey.length > 0 ? ` ORDER BY ${table.primaryKey.map(quote).join(', ')}` : '';
          await sql.raw(`DECLARE dvk_backup NO SCROLL CURSOR FOR SELECT ${select} FROM ${quote(table.name)}${order}`).execute(trx);
          let count = 0;
          for (;;) {
            const batch = (await sql.raw<Record<string, string | null>>(`FETCH ${FETCH_ROWS} FROM dvk_backup`).execute(trx)).rows;
            for (const row of batch) {
              // base64 from encode() is wrapped at 76 characters: the newlines go.
              await writeLine(gzip, table.columns.map((c, i) => (isBytea(c) ? row[`c${i}`]?.replace(/\n/g, '') ?? null : (row[`c${i}`] ?? null))), gone);
            }
            count += batch.length;
            if (batch.length < FETCH_ROWS) break;
          }
          await sql.raw('CLOSE dvk_backup').execute(trx);
          counts[table.name] = count;
          await writeLine(gzip, { tableEnd: table.name, rows: count }, gone);
        }
        const sequences = await rows<{ name: string; lastValue: string | null }>(
          trx,
          sql`SELECT sequencename AS name, last_value::text AS "lastValue" FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
        );
        await writeLine(gzip, { sequences }, gone);
        await writeLine(gzip, { end: true, rows: counts }, gone);
      });
  } catch (error) {
    gzip.destroy(error as Error);
    output.destroy(error as Error);
    throw error;
  }
  complete = true;
  gzip.end();
  await finished;
  return { tables: Object.keys(counts).length, rows: counts };
}

/** The same text forms on both sides, whatever the server's settings. */
async function setTextForms(trx: Transaction<DB>): Promise<void> {
  await sql`SET LOCAL TimeZone = 'UTC'`.execute(trx);
  await sql`SET LOCAL DateStyle = 'ISO, YMD'`.execute(trx);
  await sql`SET LOCAL IntervalStyle = 'postgres'`.execute(trx);
  await sql`SET LOCAL extra_float_digits = 3`.execute(trx);
  await sql`SET LOCAL bytea_output = 'hex'`.execute(trx);
}

/** The lines of a backup file (or stream), parsed. */
async function* backupLines(input: Readable): AsyncGenerator<unknown> {
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length > 0) yield JSON.parse(line) as unknown;
  }
}

/** Reads a backup file through: its header and row counts, or a BackupFormatError when it is cut short or not ours. */
export async function verifyBackupFile(file: string): Promise<{ header: BackupHeader; rows: Record<string, number> }> {
  let header: BackupHeader | undefined;
  let rowsSeen = 0;
  const counted: Record<string, number> = {};
  try {
    for await (const line of backupLines(createReadStream(file))) {
      if (!header) {
        header = checkHeader(line);
        continue;
      }
      if (Array.isArray(line)) rowsSeen += 1;
      else if (isObject(line) && typeof line.tableEnd === 'string') {
        if (line.rows !== rowsSeen) throw new BackupFormatError(`${line.tableEnd}: ${rowsSeen} rows read, ${String(line.rows)} written`);
        counted[line.tableEnd] = rowsSeen;
        rowsSeen = 0;
      } else if (isObject(line) && line.end === true) return { header, rows: counted };
    }
  } catch (error) {
    if (error instanceof BackupFormatError) throw error;
    throw new BackupFormatError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new BackupFormatError(`${file}: the file ends before the backup does (cut short?)`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkHeader(line: unknown): BackupHeader {
  if (!isObject(line) || line.format !== BACKUP_FORMAT) throw new BackupFormatError('not a backup of this registry');
  if (line.version !== BACKUP_VERSION) throw new BackupFormatError(`backup format version ${String(line.version)}; this program reads version ${BACKUP_VERSION}`);
  return line as unknown as BackupHeader;
}

/** Tables in schema public: a database with none is empty. */
export async function countTables(db: Db): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`);
  return row?.n ?? 0;
}

/**
 * Loads a backup into an empty database, in one transaction: the backup's migrations applied from
 * sql/, the rows the migrations seeded replaced by the backup's, every table's user triggers off while
 * its rows go in (the audit log's append-only guard, the model search words: the backup has them),
 * references to rows not yet loaded set afterwards, sequences set, and every count checked. Refuses
 * a database with any table (DatabaseNotEmptyError) before writing anything.
 */
export async function restoreBackup(db: Kysely<DB>, input: Readable): Promise<BackupSummary & { header: BackupHeader }> {
  return db.transaction().execute(async (trx) => {
    // Two restores at once into one empty database: the second waits, then finds tables.
    await sql`SELECT pg_advisory_xact_lock(4242001)`.execute(trx);
    const existing = await countTables(trx);
    if (existing > 0) throw new DatabaseNotEmptyError(existing);
    await setTextForms(trx);

    const lines = backupLines(input);
    const first = await lines.next();
    if (first.done) throw new BackupFormatError('empty file');
    const header = checkHeader(first.value);
    await applyMigrations(trx, header.migrations);
    const tables = new Map((await describeTables(trx)).map((t) => [t.name, t]));
    const missing = header.tables.filter((name) => !tables.has(name));
    if (missing.length > 0) throw new BackupFormatError(`tables not made by the migrations: ${missing.join(', ')}`);
    if (header.tables.length > 0) await sql.raw(`TRUNCATE ${header.tables.map(quote).join(', ')}`).execute(trx);

    const loaded = new Set<string>();
    const counts: Record<string, number> = {};
    const later: { table: TableInfo; columns: ColumnInfo[]; deferred: Set<string>; rows: string[][] }[] = [];
    let current: { table: TableInfo; columns: ColumnInfo[]; deferred: Set<string>; batch: (string | null)[][]; batchBytes: number; count: number; keep: string[][] } | undefined;

    const flush = async () => {
      if (!current || current.batch.length === 0) return;
      await insertRows(trx, current.table, current.columns, current.deferred, current.batch);
      current.batch = [];
      current.batchBytes = 0;
    };

    let ended = false;
    for await (const line of lines) {
      if (Array.isArray(line)) {
        if (!current) throw new BackupFormatError('a row outside a table');
        const values = line as (string | null)[];
        if (values.length !== current.columns.length) throw new BackupFormatError(`${current.table.name}: a row of ${values.length} values for ${current.columns.length} columns`);
        current.batch.push(values);
        current.count += 1;
        current.batchBytes += values.reduce((sum, v) => sum + (v?.length ?? 0), 0);
        if (current.deferred.size > 0) {
          const kept = deferredValues(current.table, current.columns, current.deferred, values);
          if (kept) current.keep.push(kept);
        }
        if (current.batch.length >= 1000 || current.batchBytes >= 16 * 1024 * 1024) await flush();
      } else if (isObject(line) && typeof line.table === 'string') {
        const table = tables.get(line.table);
        if (!table) throw new BackupFormatError(`unknown table ${line.table}`);
        const columns = line.columns as ColumnInfo[];
        for (const column of columns) {
          if (!table.columns.some((c) => c.name === column.name)) throw new BackupFormatError(`${table.name}.${column.name} is not in this database`);
        }
        // A reference to this table or to one not loaded yet cannot be checked row by row: set it afterwards.
        const deferred = new Set(table.references.filter((r) => r.table === table.name || !loaded.has(r.table)).flatMap((r) => r.columns));
        await sql.raw(`ALTER TABLE ${quote(table.name)} DISABLE TRIGGER USER`).execute(trx);
        current = { table, columns, deferred, batch: [], batchBytes: 0, count: 0, keep: [] };
      } else if (isObject(line) && typeof line.tableEnd === 'string') {
        if (!current || current.table.name !== line.tableEnd) throw new BackupFormatError(`unexpected end of ${line.tableEnd}`);
        await flush();
        if (current.count !== line.rows) throw new BackupFormatError(`${current.table.name}: ${current.count} rows read, ${String(line.rows)} written`);
        if (current.keep.length > 0) later.push({ table: current.table, columns: current.columns, deferred: current.deferred, rows: current.keep });
        counts[current.table.name] = current.count;
        loaded.add(current.table.name);
        current = undefined;
      } else if (isObject(line) && Array.isArray(line.sequences)) {
        for (const sequence of line.sequences as { name: string; lastValue: string | null }[]) {
          if (sequence.lastValue !== null) await sql`SELECT setval(${quote(sequence.name)}::regclass, ${sequence.lastValue}::bigint, true)`.execute(trx);
        }
      } else if (isObject(line) && line.end === true) {
        ended = true;
        break;
      }
    }
    if (!ended) throw new BackupFormatError('the file ends before the backup does (cut short?)');

    for (const { table, columns, deferred, rows: kept } of later) await setDeferred(trx, table, columns, deferred, kept);
    for (const name of header.tables) await sql.raw(`ALTER TABLE ${quote(name)} ENABLE TRIGGER USER`).execute(trx);
    for (const name of header.tables) {
      const [row] = await rows<{ n: number }>(trx, sql`SELECT count(*)::int AS n FROM ${sql.table(name)}`);
      if (row?.n !== (counts[name] ?? 0)) throw new BackupFormatError(`${name}: ${row?.n} rows in the database, ${counts[name] ?? 0} in the backup`);
    }
    return { header, tables: header.tables.length, rows: counts };
  });
}

/** Runs the backup's migrations from sql/ in this transaction; a migration this code lacks is refused. */
async function applyMigrations(trx: Transaction<DB>, names: string[]): Promise<void> {
  const files = new Set((await readdir(SQL_DIR)).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, '')));
  const unknown = names.filter((name) => !files.has(name));
  if (unknown.length > 0) throw new BackupFormatError(`the backup was made by a newer version (migrations ${unknown.join(', ')}): upgrade this program first`);
  for (const name of names) await sql.raw(await readFile(join(SQL_DIR, `${name}.sql`), 'utf8')).execute(trx);
  // Kysely's own bookkeeping tables, as its Migrator makes them: their rows come from the backup.
  await sql`CREATE TABLE IF NOT EXISTS kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)`.execute(trx);
  await sql`CREATE TABLE IF NOT EXISTS kysely_migration_lock (id varchar(255) NOT NULL PRIMARY KEY, is_locked integer NOT NULL DEFAULT 0)`.execute(trx);
}

function castValue(column: ColumnInfo, placeholder: string): string {
  return isBytea(column) ? `decode(${placeholder}, 'base64')` : `${placeholder}::${column.type}`;
}

async function insertRows(trx: Transaction<DB>, table: TableInfo, columns: ColumnInfo[], deferred: Set<string>, batch: (string | null)[][]): Promise<void> {
  const names = columns.map((c) => quote(c.name)).join(', ');
  const values = columns.map((c, i) => (deferred.has(c.name) ? `NULL::${c.type}` : castValue(c, `v.c${i}`))).join(', ');
  const unnest = columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  const overriding = table.hasIdentity ? ' OVERRIDING SYSTEM VALUE' : '';
  const text = `INSERT INTO ${quote(table.name)} (${names})${overriding} SELECT ${values} FROM unnest(${unnest}) AS v(${aliases})`;
  const parameters = columns.map((_, i) => batch.map((row) => row[i] ?? null));
  await trx.executeQuery(CompiledQuery.raw(text, parameters));
}

/** For a row with a deferred reference: its primary key values, then the deferred columns' values. */
function deferredValues(table: TableInfo, columns: ColumnInfo[], deferred: Set<string>, row: (string | null)[]): string[] | undefined {
  const deferredIndexes = columns.flatMap((c, i) => (deferred.has(c.name) ? [i] : []));
  if (deferredIndexes.every((i) => row[i] === null)) return undefined;
  if (table.primaryKey.length === 0) throw new BackupFormatError(`${table.name} has a forward reference but no primary key`);
  const keyIndexes = table.primaryKey.map((name) => columns.findIndex((c) => c.name === name));
  return [...keyIndexes, ...deferredIndexes].map((i) => row[i] as string);
}

async function setDeferred(trx: Transaction<DB>, table: TableInfo, columns: ColumnInfo[], deferred: Set<string>, kept: string[][]): Promise<void> {
  const keyColumns = table.primaryKey.map((name) => columns.find((c) => c.name === name)!);
  const deferredColumns = columns.filter((c) => deferred.has(c.name));
  const all = [...keyColumns, ...deferredColumns];
  const set = deferredColumns.map((c, i) => `${quote(c.name)} = ${castValue(c, `v.c${keyColumns.length + i}`)}`).join(', ');
  const where = keyColumns.map((c, i) => `t.${quote(c.name)} = ${castValue(c, `v.c${i}`)}`).join(' AND ');
  const unnest = all.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const aliases = all.map((_, i) => `c${i}`).join(', ');
  const text = `UPDATE ${quote(table.name)} AS t SET ${set} FROM unnest(${unnest}) AS v(${aliases}) WHERE ${where}`;
  for (let start = 0; start < kept.length; start += 1000) {
    const slice = kept.slice(start, start + 1000);
    await trx.executeQuery(CompiledQuery.raw(text, all.map((_, i) => slice.map((row) => row[i] ?? null))));
  }
}
