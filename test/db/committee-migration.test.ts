// sql/0014_committees.sql on a database that already has rounds: each body's committee, until then
// every member account of the body or a unit under it (merged units included), is written out as its
// list, so an upgrade changes no one's right to vote. Runs on its own in-memory PGlite, migrated in two
// steps (the suite's database is already at the latest migration).
import { expect } from 'chai';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabase } from '../../server/db/database.ts';
import { migrateToLatest, SQL_DIR } from '../../server/db/migrate.ts';

describe('database: the committees migration keeps the committees of an existing database', () => {
  let opened: OpenDatabase;
  let folder: string;
  before(async function () {
    this.timeout(120_000);
    folder = mkdtempSync(join(tmpdir(), 'dvk-sql-'));
    for (const file of readdirSync(SQL_DIR).filter((name) => name < '0014')) cpSync(join(SQL_DIR, file), join(folder, file));
    opened = await openDatabase({ pgliteDir: 'memory://' });
    await migrateToLatest(opened.db, folder);
  });
  after(async () => {
    await opened?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('seats the members of the body, of its departments and of the units merged into it; no one else', async function () {
    this.timeout(120_000);
    const db = opened.db;
    const unit = async (code: string, kind: 'province' | 'agency', parentId: number | null = null, successorId: number | null = null) =>
      (await db.insertInto('units').values({ code, name: `Đơn vị ${code}`, kind, parent_id: parentId, successor_id: successorId }).returning('id').executeTakeFirstOrThrow()).id;
    const province = await unit('P', 'province');
    const department = await unit('P.S', 'agency', province);
    const merged = await unit('OLD', 'province', null, province);
    const other = await unit('X', 'province');
    const user = async (username: string, role: 'member' | 'secretary', unitId: number) =>
      (await db.insertInto('users').values({ username, password_hash: 'x', full_name: username, role, unit_id: unitId }).returning('id').executeTakeFirstOrThrow()).id;
    const atProvince = await user('member1', 'member', province);
    const atDepartment = await user('member2', 'member', department);
    const atMerged = await user('member3', 'member', merged);
    await user('member4', 'member', other);
    await user('secretary1', 'secretary', province);
    await db.insertInto('award_rounds').values({ title: 'Đợt cũ', year: 2024, award_kind: 'bang_khen_chu_tich_ubnd_tinh', issuing_unit_id: province, closes_on: '2024-12-01' }).execute();

    await migrateToLatest(db);

    const seats = await db.selectFrom('committee_members').select(['issuing_unit_id', 'user_id']).orderBy('user_id').execute();
    expect(seats).to.deep.equal([atProvince, atDepartment, atMerged].sort((a, b) => a - b).map((user_id) => ({ issuing_unit_id: province, user_id })));
  });
});
