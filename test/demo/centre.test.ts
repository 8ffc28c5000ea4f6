// The demo data with the centre, on a database of its own served by a second app (as `npm start` on an
// empty embedded database loads it): An Giang and Cần Thơ under the centre, the centre's secretary
// tw.secretary with an open round of this year for the Prime Minister's certificate of merit, the
// national report for the centre and not for An Giang, and An Giang's accounts as they were.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { openDatabase, type OpenDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { DEMO_USERS, seedDemo } from '../../server/demo/seed.ts';
import { todayInVietnam } from '../../server/web/i18n/index.ts';
import { testConfig } from '../support/config.ts';

describe('demo data: the centre, its secretary and its round', function () {
  this.timeout(120_000);
  const config = testConfig();
  let demo: OpenDatabase;
  let server: Server;
  let baseUrl: string;
  const tokens = new Map<string, string>();

  const call = async (username: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens.get(username)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const unit = (code: string) => demo.db.selectFrom('units').select(['id', 'parent_id']).where('code', '=', code).executeTakeFirstOrThrow();
  const counts = async () => {
    const n = async (table: 'units' | 'users' | 'award_rounds' | 'models' | 'criteria_sets') => Number((await demo.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { units: await n('units'), users: await n('users'), rounds: await n('award_rounds'), models: await n('models'), sets: await n('criteria_sets') };
  };

  before(async () => {
    demo = await openDatabase({ pgliteDir: 'memory://' });
    await migrateToLatest(demo.db);
    expect(await seedDemo(demo.db, config.demoPassword)).to.equal(true);
    server = createServer(createApp({ config, db: demo.db }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const username of ['tw.secretary', 'secretary', 'agency', 'member1', 'chauthanh']) {
      const response = await fetch(`${baseUrl}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: config.demoPassword }) });
      expect(response.status, username).to.equal(201);
      tokens.set(username, ((await response.json()) as { token: string }).token);
    }
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await demo?.close();
  });

  it('puts An Giang and Cần Thơ under the centre, with tw.secretary (secretary of the centre) among the demo accounts', async () => {
    const centre = await demo.db.selectFrom('units').select(['id', 'code', 'name']).where('is_centre', '=', true).execute();
    expect(centre).to.have.length(1);
    expect(centre[0]).to.include({ code: 'TW', name: 'Ban Dân vận Trung ương' });
    expect((await unit('AG')).parent_id).to.equal(centre[0]!.id);
    expect((await unit('CT')).parent_id).to.equal(centre[0]!.id);
    expect((await unit('KG')).parent_id, 'the former province reaches it through its successor').to.equal(null);
    const user = await demo.db.selectFrom('users').select(['role', 'unit_id']).where('username', '=', 'tw.secretary').executeTakeFirstOrThrow();
    expect(user).to.deep.equal({ role: 'secretary', unit_id: centre[0]!.id });
    expect(DEMO_USERS.map((u) => u.username)).to.deep.equal(['admin', 'secretary', 'member1', 'member2', 'member3', 'printer', 'agency', 'chauthanh', 'tw.secretary']);
  });

  it('opens the centre\'s round of this year for the Prime Minister\'s certificate of merit, closing in about two months, numbered QĐ-TTg', async () => {
    const year = Number(todayInVietnam().slice(0, 4));
    const rounds = await call('tw.secretary', 'GET', `/award-rounds?year=${year}`);
    expect(rounds.status).to.equal(200);
    const round = (rounds.body.items as { title: string; awardKind: string; status: string; closesOn: string; decisionSuffix: string; issuingUnitId: number }[])
      .find((r) => r.awardKind === 'bang_khen_thu_tuong');
    expect(round).to.include({ title: `Khen thưởng điển hình Dân vận khéo toàn quốc năm ${year}`, status: 'open', decisionSuffix: 'QĐ-TTg' });
    const days = (Date.parse(round!.closesOn) - Date.parse(todayInVietnam())) / 86_400_000;
    expect(days).to.be.within(55, 65);
    const kinds = await call('tw.secretary', 'GET', '/award-kinds');
    expect(kinds.body.items.map((k: { code: string }) => k.code).slice(0, 1)).to.deep.equal(['bang_khen_chu_tich_ubnd_tinh']);
    expect(kinds.body.items.find((k: { code: string }) => k.code === 'bang_khen_thu_tuong')).to.include({ name: 'Bằng khen của Thủ tướng Chính phủ' });
  });

  it('gives tw.secretary the national report, An Giang counting Kiên Giang\'s demo models and the decided 2024 round', async () => {
    const report = await call('tw.secretary', 'GET', '/reports/national?year=2024');
    expect(report.status).to.equal(200);
    const { id: agId } = await unit('AG');
    expect(report.body.provinces.map((p: { name: string }) => p.name)).to.deep.equal(['Tỉnh An Giang', 'Thành phố Cần Thơ']);
    const kgModels = await demo.db.selectFrom('models').innerJoin('units', 'units.id', 'models.unit_id').select((eb) => eb.fn.countAll<number>().as('n')).where('models.year', '=', 2024).where('units.code', 'like', 'KG%').executeTakeFirstOrThrow();
    expect(Number(kgModels.n)).to.be.greaterThan(0);
    expect(report.body.provinces[0]).to.deep.include({ unitId: agId, registered: Number(kgModels.n), collectives: 3, individuals: 3 });
    expect(report.body.provinces[1]).to.deep.include({ registered: 0, collectives: 0, individuals: 0 });
  });

  it('leaves An Giang\'s accounts as they were: no national report, no act for the centre, nothing of Cần Thơ', async () => {
    const year = Number(todayInVietnam().slice(0, 4));
    const { id: ctId } = await unit('CT');
    for (const username of ['secretary', 'agency', 'member1']) {
      expect((await call(username, 'GET', '/reports/national?year=2024')).status, username).to.equal(404);
      expect((await call(username, 'GET', `/units/${ctId}`)).status, username).to.equal(404);
      expect((await call(username, 'GET', `/reports/summary?year=2024&unitId=${ctId}`)).status, username).to.equal(404);
    }
    const rounds = await call('secretary', 'GET', `/award-rounds?year=${year}`);
    const centreRound = (rounds.body.items as { id: number; awardKind: string }[]).find((r) => r.awardKind === 'bang_khen_thu_tuong');
    expect(centreRound, 'the province sees the round above it, to take part').to.not.equal(undefined);
    expect((await call('secretary', 'POST', `/award-rounds/${centreRound!.id}/close`)).status).to.equal(404);
    const centre = await demo.db.selectFrom('units').select('id').where('is_centre', '=', true).executeTakeFirstOrThrow();
    const opened = await call('secretary', 'POST', '/award-rounds', { title: 'Đợt mạo danh Trung ương', year, awardKind: 'bang_khen_thu_tuong', issuingUnitId: centre.id, closesOn: todayInVietnam(new Date(Date.now() + 10 * 86_400_000)) });
    expect(opened.status).to.equal(422);
    const models = await call('agency', 'GET', '/models?limit=200');
    expect(new Set(models.body.items.map((m: { unitName: string }) => m.unitName))).to.deep.equal(new Set(['Sở Giáo dục và Đào tạo tỉnh Kiên Giang', 'Sở Giáo dục và Đào tạo tỉnh An Giang']));
    expect((await call('tw.secretary', 'GET', `/units/${ctId}`)).status, 'the centre sees the whole country').to.equal(200);
  });

  it('has two criteria sets of An Giang: models (two scored by two members, more for member3) and communes (one self-assessed)', async () => {
    const sets = await call('secretary', 'GET', '/criteria-sets');
    expect(sets.body.items).to.have.length(2);
    const [units, models] = sets.body.items as { id: number }[];
    const results = await call('secretary', 'GET', `/criteria-sets/${models!.id}/results`);
    expect(results.body.set).to.include({ scale: 100, subject: 'models' });
    expect(results.body.items.filter((item: { evaluators: number }) => item.evaluators === 2)).to.have.length(2);
    expect(results.body.items.some((item: { evaluators: number }) => item.evaluators === 0), 'a model left to score').to.equal(true);
    const communes = await call('secretary', 'GET', `/criteria-sets/${units!.id}/results`);
    expect(communes.body.set).to.include({ subject: 'units' });
    expect(communes.body.items.map((item: { title: string; average: number | null; selfAssessment: number | null }) => [item.title, item.average, item.selfAssessment])).to.deep.equal([
      ['Xã Châu Thành', 85, 93], ['Phường Rạch Giá', 76.5, null], ['Đặc khu Phú Quốc', null, null], ['Xã Giồng Riềng', null, null],
    ]);
    const clerk = await call('chauthanh', 'GET', `/criteria-sets/${units!.id}/self-assessment`);
    expect(clerk.body).to.include({ status: 'submitted', total: 93 });
  });

  it('adds nothing on a second load', async () => {
    const before = await counts();
    expect(await seedDemo(demo.db, config.demoPassword)).to.equal(false);
    expect(await counts()).to.deep.equal(before);
  });
});
