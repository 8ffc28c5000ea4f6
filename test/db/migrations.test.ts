import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database.ts';
import { acquireFolderLock, DatabaseLockedError } from '../../server/db/folder-lock.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { generateSchemaSource } from '../../server/db/schema-source.ts';
import { ctx, db } from '../support/context.ts';

describe('database', () => {
  it('applies every sql/ migration on this backend and records it', async () => {
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db());
    expect(applied.rows.map((row) => row.name)).to.include('0001_foundation');
    const tables = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`.execute(db());
    expect(tables.rows.map((row) => row.table_name)).to.include.members(['units', 'users', 'sessions', 'api_tokens', 'audit_log', 'blocks', 'fields']);
    console.log(`      (backend: ${ctx().database.backend})`);
  });

  it('runs a second time without applying anything again', async () => {
    const results = await migrateToLatest(db());
    expect(results).to.deep.equal([]);
  });

  it('has unaccent and pg_trgm for diacritic-insensitive search', async () => {
    const { rows } = await sql<{ plain: string; similar: number }>`SELECT unaccent('Dân vận khéo Đặng') AS plain, similarity('dan van kheo', 'dan van kheo 2019') AS similar`.execute(db());
    expect(rows[0]?.plain).to.equal('Dan van kheo Dang');
    expect(rows[0]?.similar).to.be.greaterThan(0.5);
  });

  it('keeps server/db/schema.ts in sync with the migrations', async () => {
    const committed = readFileSync(fileURLToPath(new URL('../../server/db/schema.ts', import.meta.url)), 'utf8');
    expect(await generateSchemaSource(db()), 'run `npm run db:types`').to.equal(committed);
  });

  it('refuses to update or delete audit rows', async () => {
    await db().insertInto('audit_log').values({ action: 'test.append', entity_type: 'test', entity_id: null }).execute();
    let error: unknown;
    try {
      await db().updateTable('audit_log').set({ action: 'tampered' }).where('action', '=', 'test.append').execute();
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).to.match(/append-only/);
    const left = await db().selectFrom('audit_log').select('action').where('action', '=', 'tampered').execute();
    expect(left).to.have.length(0);
  });
});

describe('embedded database folder lock', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dvk-lock-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses a lock held by a live process and takes over one left by a dead process', () => {
    const lockPath = join(folder, 'db.lock');
    writeFileSync(lockPath, String(process.ppid)); // the parent is alive
    expect(() => acquireFolderLock(lockPath)).to.throw(DatabaseLockedError);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(lockPath, dead);
    const lock = acquireFolderLock(lockPath);
    expect(readFileSync(lockPath, 'utf8')).to.equal(String(process.pid));
    lock.release();
  });

  it('refuses a second process on the same PGlite folder with a clear message, and its data stays', async function () {
    this.timeout(60_000);
    const dir = join(folder, 'pglite');
    const first = await openDatabase({ pgliteDir: dir });
    try {
      await sql`CREATE TABLE kept (n integer)`.execute(first.db);
      await sql`INSERT INTO kept VALUES (42)`.execute(first.db);
      const script = `import { openDatabase } from ${JSON.stringify(fileURLToPath(new URL('../../server/db/database.ts', import.meta.url)))};
        try { await openDatabase({ pgliteDir: ${JSON.stringify(dir)} }); console.log('OPENED'); process.exit(0); }
        catch (e) { console.log(e.message); process.exit(3); }`;
      const second = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 50_000 });
      expect(second.status, second.stdout + second.stderr).to.equal(3);
      expect(second.stdout).to.match(/in use by process \d+/);
      const { rows } = await sql<{ n: number }>`SELECT n FROM kept`.execute(first.db);
      expect(rows).to.deep.equal([{ n: 42 }]);
    } finally {
      await first.close();
    }
  });
});
