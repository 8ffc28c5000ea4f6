import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { db } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest, SQL_DIR } from '../../server/db/migrate.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import { loadReferenceUnits } from '../../server/units/reference/load.ts';

const centreRows = (database = db()) => database.selectFrom('units').select(['id', 'code', 'name', 'kind', 'block_code', 'parent_id', 'official_code', 'valid_to']).where('is_centre', '=', true).execute();
const childrenOf = (id: number, database = db()) => database.selectFrom('units').select(['id', 'kind', 'official_code', 'valid_to']).where('parent_id', '=', id).execute();

const coded = () => db().selectFrom('units').select(['id', 'code', 'name', 'kind', 'official_code', 'parent_id', 'valid_from', 'valid_to', 'successor_id']).where('official_code', 'is not', null);

describe('units of the country (reference data)', () => {
  let firstLoad: { inserted: number; kept: number };
  let firstLoadCpuMs: number;

  before(async function () {
    this.timeout(60_000);
    // Process time, which holds PGlite's work (it runs in this process) and not the waits of a busy
    // machine shared with other test runs; wall times are in the README.
    const started = process.cpuUsage();
    firstLoad = await loadReferenceUnits(db());
    const used = process.cpuUsage(started);
    firstLoadCpuMs = (used.user + used.system) / 1000;
  });

  it('loads the 34 provinces and cities in force since 2025-07-01', async () => {
    const provinces = await coded().where('kind', '=', 'province').where('valid_to', 'is', null).execute();
    expect(provinces).to.have.length(34);
    expect(provinces.every((p) => /^\d{2}$/.test(p.official_code ?? '') && p.valid_from === '2025-07-01')).to.equal(true);
    expect(provinces.find((p) => p.official_code === '91')).to.include({ name: 'Tỉnh An Giang', code: 'VN-91' });
    expect(provinces.find((p) => p.official_code === '96')?.name).to.equal('Tỉnh Cà Mau');
  });

  it('loads the 63 provinces before them, ended on 2025-06-30, each succeeded by one of the 34', async () => {
    const inForce = new Map((await coded().where('kind', '=', 'province').where('valid_to', 'is', null).execute()).map((p) => [p.id, p]));
    const former = await coded().where('kind', '=', 'province').where('valid_to', '=', '2025-06-30').execute();
    expect(former).to.have.length(63);
    expect(former.every((p) => p.successor_id !== null && inForce.has(p.successor_id))).to.equal(true);
    const successorOf = (name: string) => inForce.get(former.find((p) => p.name === name)?.successor_id ?? 0)?.name;
    expect(successorOf('Tỉnh Kiên Giang')).to.equal('Tỉnh An Giang');
    expect(successorOf('Tỉnh Bình Phước')).to.equal('Thành phố Đồng Nai');
    expect(successorOf('Tỉnh Bà Rịa - Vũng Tàu')).to.equal('Thành phố Hồ Chí Minh');
    expect(successorOf('Tỉnh Ninh Thuận')).to.equal('Tỉnh Khánh Hoà');
    expect(successorOf('Tỉnh Trà Vinh')).to.equal('Tỉnh Vĩnh Long');
    expect(successorOf('Tỉnh Sơn La')).to.equal('Tỉnh Sơn La');
    expect(new Set(former.map((p) => p.successor_id)).size).to.equal(34);
  });

  it('loads the 3,321 communes in force, each with a five-digit code under a province in force', async () => {
    const provinceIds = new Set((await coded().where('kind', '=', 'province').where('valid_to', 'is', null).execute()).map((p) => p.id));
    const communes = await coded().where('kind', '=', 'commune').where('valid_to', 'is', null).execute();
    expect(communes).to.have.length(3321);
    expect(communes.filter((c) => !/^\d{5}$/.test(c.official_code ?? ''))).to.deep.equal([]);
    expect(communes.filter((c) => c.parent_id === null || !provinceIds.has(c.parent_id))).to.deep.equal([]);
    expect(communes.filter((c) => c.name.normalize('NFC') !== c.name)).to.deep.equal([]);
    expect(communes.filter((c) => c.name.startsWith('Đặc khu'))).to.have.length(13);
  });

  it('loads them all in one go with well under two seconds of work', () => {
    expect(firstLoad.inserted + firstLoad.kept).to.equal(34 + 63 + 3321);
    expect(firstLoadCpuMs).to.be.below(2000);
  });

  it('inserts nothing on a second load and keeps a unit renamed since as it is', async () => {
    const commune = await coded().where('official_code', '=', '00004').executeTakeFirstOrThrow();
    await db().updateTable('units').set({ name: 'Phường Ba Đình (đổi tên thử)' }).where('id', '=', commune.id).execute();
    const before = Number((await db().selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    try {
      expect(await loadReferenceUnits(db())).to.deep.equal({ inserted: 0, kept: 34 + 63 + 3321 });
      const after = Number((await db().selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      expect(after).to.equal(before);
      expect((await coded().where('id', '=', commune.id).executeTakeFirstOrThrow()).name).to.equal('Phường Ba Đình (đổi tên thử)');
    } finally {
      await db().updateTable('units').set({ name: commune.name }).where('id', '=', commune.id).execute();
    }
  });

  it('has one centre, Ban Dân vận Trung ương (TW, agency of the party block), parent of exactly the 34 provinces in force; the 63 former ones reach it through their successors', async () => {
    const centres = await centreRows();
    expect(centres).to.have.length(1);
    const centre = centres[0]!;
    expect(centre).to.include({ code: 'TW', name: 'Ban Dân vận Trung ương', kind: 'agency', block_code: 'dang', parent_id: null, official_code: null, valid_to: null });
    const inForce = await coded().where('kind', '=', 'province').where('valid_to', 'is', null).execute();
    const children = await childrenOf(centre.id);
    expect(children.map((c) => c.id).sort((a, b) => a - b)).to.deep.equal(inForce.map((p) => p.id).sort((a, b) => a - b));
    expect(children).to.have.length(34);
    const former = await coded().where('kind', '=', 'province').where('valid_to', '=', '2025-06-30').execute();
    expect(former.filter((p) => p.parent_id !== null), 'the former provinces keep no parent').to.deep.equal([]);
    const admin = await createUserWithToken({ role: 'admin' });
    const kienGiang = former.find((p) => p.name === 'Tỉnh Kiên Giang')!;
    const shown = await api('GET', `/units/${kienGiang.id}`, { token: admin.token });
    expect((await api('GET', `/units/${shown.body.successorId}`, { token: admin.token })).body).to.include({ parentId: centre.id, officialCode: '91' });
  });

  it('keeps the one centre and its 34 provinces on a second load, and writes no audit row for a load that changed nothing', async () => {
    const audits = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'units.reference_load').executeTakeFirstOrThrow()).n);
    const before = await audits();
    expect(await loadReferenceUnits(db())).to.deep.equal({ inserted: 0, kept: 34 + 63 + 3321 });
    const centres = await centreRows();
    expect(centres).to.have.length(1);
    expect(await childrenOf(centres[0]!.id)).to.have.length(34);
    expect(await audits()).to.equal(before);
  });

  it('finds a commune by its name typed without diacritics and by its official code', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const byName = await api('GET', `/units?q=${encodeURIComponent('phuong ba dinh')}&limit=50`, { token: admin.token });
    expect(byName.status).to.equal(200);
    expect(byName.body.items.map((u: { name: string }) => u.name)).to.include('Phường Ba Đình');
    const byCode = await api('GET', '/units?q=00004', { token: admin.token });
    expect(byCode.status).to.equal(200);
    expect(byCode.body.items).to.have.length(1);
    expect(byCode.body.items[0]).to.include({ name: 'Phường Ba Đình', officialCode: '00004', kind: 'commune' });
  });

  it('searches the 3,400 units in milliseconds', async () => {
    // A scan that folds every name (sql/0013 says why no index): measured, not guessed.
    await sql`SELECT count(*) FROM units WHERE unaccent(lower(name)) LIKE '%phuong ba dinh%'`.execute(db()); // warm
    const started = performance.now();
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM units WHERE unaccent(lower(name)) LIKE '%' || unaccent(lower(${'phuong ba dinh'})) || '%' OR lower(code) LIKE '%phuong ba dinh%' OR official_code = 'phuong ba dinh'`.execute(db());
    const elapsed = performance.now() - started;
    expect(rows[0]?.n).to.be.at.least(1);
    expect(elapsed).to.be.below(250);
  });

  it('shows officialCode on a unit and in the list, with the former province pointing to its successor', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const kienGiang = await coded().where('kind', '=', 'province').where('official_code', '=', '91').where('valid_to', '=', '2025-06-30').executeTakeFirstOrThrow();
    const response = await api('GET', `/units/${kienGiang.id}`, { token: admin.token });
    expect(response.status).to.equal(200);
    expect(response.body).to.include({ name: 'Tỉnh Kiên Giang', kind: 'province', officialCode: '91', validTo: '2025-06-30' });
    const successor = await api('GET', `/units/${response.body.successorId}`, { token: admin.token });
    expect(successor.body).to.include({ name: 'Tỉnh An Giang', officialCode: '91', validTo: null, validFrom: '2025-07-01' });
    const list = await api('GET', `/units?q=${encodeURIComponent('Tỉnh Kiên Giang')}`, { token: admin.token });
    expect(list.body.items.find((u: { id: number }) => u.id === kienGiang.id)).to.include({ officialCode: '91' });
  });

  it('gives the demo units their official codes instead of doubling them, and leaves them as they were', async function () {
    this.timeout(60_000);
    const other = await openDatabase({ pgliteDir: 'memory://' });
    try {
      await migrateToLatest(other.db);
      await seedDemo(other.db, 'mat-khau-demo-thu-1');
      const demo = await other.db.selectFrom('units').select(['id', 'code', 'name', 'parent_id', 'successor_id']).orderBy('id').execute();
      const result = await loadReferenceUnits(other.db);
      expect(result.inserted + result.kept).to.equal(34 + 63 + 3321);
      const units = await other.db.selectFrom('units').select(['id', 'code', 'name', 'parent_id', 'successor_id', 'official_code', 'kind', 'valid_to']).execute();
      const byCode = new Map(units.map((u) => [u.code, u]));
      for (const unit of demo) expect(byCode.get(unit.code)).to.include({ id: unit.id, name: unit.name, parent_id: unit.parent_id, successor_id: unit.successor_id });
      expect(byCode.get('AG')?.official_code).to.equal('91');
      expect(byCode.get('KG')?.official_code).to.equal('91');
      expect(byCode.get('CT')?.official_code).to.equal('92');
      expect(byCode.get('AG.P-RACHGIA')?.official_code).to.equal('30742');
      expect(byCode.get('AG.DK-PHUQUOC')?.official_code).to.equal('31078');
      expect(units.filter((u) => u.kind === 'province' && u.valid_to === null && u.name === 'Tỉnh An Giang')).to.have.length(1);
      expect(units.filter((u) => u.kind === 'commune' && u.name === 'Phường Rạch Giá')).to.have.length(1);
      expect(units.filter((u) => u.kind === 'province' && u.official_code !== null && u.valid_to === null)).to.have.length(34);
      const [centre] = await centreRows(other.db);
      expect(byCode.get('AG')?.parent_id, 'the demo put An Giang under the centre').to.equal(centre?.id);
      expect(units.filter((u) => u.kind === 'province' && u.valid_to === null && u.parent_id !== centre?.id)).to.deep.equal([]);
      expect(await centreRows(other.db)).to.have.length(1);
    } finally {
      await other.close();
    }
  });

  it('makes the centre on an existing registry (sql/0016): its provinces in force go under it, audited; ended ones and other units stay where they were; a load then adds no second centre', async function () {
    this.timeout(60_000);
    const before = mkdtempSync(join(tmpdir(), 'dvk-sql-before-centre-'));
    const other = await openDatabase({ pgliteDir: 'memory://' });
    try {
      for (const file of readdirSync(SQL_DIR).filter((name) => name < '0016')) copyFileSync(join(SQL_DIR, file), join(before, file));
      await migrateToLatest(other.db, before);
      const { rows } = await sql<{ id: number; code: string }>`
        INSERT INTO units (code, name, kind, block_code, parent_id, valid_to) VALUES
          ('XAG', 'Tỉnh An Giang', 'province', 'chinh_quyen', NULL, NULL),
          ('XCT', 'Thành phố Cần Thơ', 'province', 'chinh_quyen', NULL, NULL),
          ('XKG', 'Tỉnh Kiên Giang', 'province', 'chinh_quyen', NULL, DATE '2025-06-30'),
          ('XSNV', 'Sở Nội vụ', 'agency', 'chinh_quyen', NULL, NULL),
          ('TW', 'Một đơn vị đã mang mã TW', 'organisation', NULL, NULL, NULL)
        RETURNING id, code`.execute(other.db);
      const id = (code: string) => rows.find((row) => row.code === code)!.id;
      await migrateToLatest(other.db);
      const centres = await centreRows(other.db);
      expect(centres).to.have.length(1);
      const centre = centres[0]!;
      expect(centre).to.include({ code: 'VN-TW', name: 'Ban Dân vận Trung ương', kind: 'agency', block_code: 'dang', parent_id: null });
      const units = new Map((await other.db.selectFrom('units').select(['id', 'parent_id', 'is_centre']).execute()).map((u) => [u.id, u]));
      expect([id('XAG'), id('XCT')].map((u) => units.get(u)?.parent_id)).to.deep.equal([centre.id, centre.id]);
      expect([id('XKG'), id('XSNV'), id('TW')].map((u) => units.get(u)?.parent_id)).to.deep.equal([null, null, null]);
      expect(units.get(id('TW'))?.is_centre).to.equal(false);
      const audit = await other.db.selectFrom('audit_log').select(['action', 'entity_type', 'entity_id', 'after', 'actor_user_id']).where('action', '=', 'units.centre_create').execute();
      expect(audit).to.deep.equal([{ action: 'units.centre_create', entity_type: 'unit', entity_id: String(centre.id), actor_user_id: null, after: { code: 'VN-TW', name: 'Ban Dân vận Trung ương', placedProvinceIds: [id('XAG'), id('XCT')] } }]);

      // A province entered at the top after the migration: the load adopts it and puts it under the centre.
      const hanoi = await other.db.insertInto('units').values({ code: 'XHN', name: 'Thành phố Hà Nội', kind: 'province', block_code: 'chinh_quyen' }).returning('id').executeTakeFirstOrThrow();
      await loadReferenceUnits(other.db);
      const placed = await other.db.selectFrom('units').select(['parent_id', 'official_code']).where('id', '=', hanoi.id).executeTakeFirstOrThrow();
      expect(placed).to.deep.equal({ parent_id: centre.id, official_code: '01' });
      const load = await other.db.selectFrom('audit_log').select('after').where('action', '=', 'units.reference_load').executeTakeFirstOrThrow();
      expect(load.after).to.deep.include({ centreId: centre.id, centreCreated: false, placedUnderCentre: [hanoi.id] });
      expect(await centreRows(other.db)).to.have.length(1);
      expect((await childrenOf(centre.id, other.db)).filter((c) => c.kind === 'province' && c.valid_to === null && c.official_code !== null)).to.have.length(34);
      expect(await childrenOf(centre.id, other.db), 'the three provinces adopted their codes, no doubles').to.have.length(34);
    } finally {
      await other.close();
      rmSync(before, { recursive: true, force: true });
    }
  });
});
