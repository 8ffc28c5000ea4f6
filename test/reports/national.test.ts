// The centre's national report over HTTP (GET /api/v1/reports/national, the page and the workbook) on
// the country's real units: one row per province in force under the centre, by official code, each
// counting its former provinces and every unit under them (Kiên Giang's records under An Giang); the
// centre's users and administrators read it, a province's users get 404.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { unitAndEverythingUnder } from '../../server/auth/scope.ts';
import { loadReferenceUnits } from '../../server/units/reference/load.ts';
import { attachRequiredFiles, collective, individual, inDays, seatOnCommittee, EARLY_CLOSE } from '../support/awards.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUserWithToken } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { insertModels } from './dataset.ts';

// A year no other test uses: the country's figures for it are this file's records alone.
const YEAR = 2013;

interface ProvinceRow {
  unitId: number;
  officialCode: string | null;
  name: string;
  registered: number;
  implementing: number;
  recognized: number;
  collectives: number;
  individuals: number;
}

const national = (token: string | undefined, year: number | string = YEAR) => api('GET', `/reports/national?year=${year}`, { token });

async function download(browser: Browser, path: string) {
  const response = await fetch(ctx().baseUrl + path, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function loggedIn(user: { username: string; password: string }): Promise<Browser> {
  const browser = new Browser();
  expect((await browser.login(user.username, user.password)).status, 'logged in').to.equal(303);
  return browser;
}

describe('reports API: the national report of the centre, on the real units', function () {
  let centre: { id: number; name: string };
  let anGiang: { id: number; name: string };
  let kienGiang: { id: number };
  let canTho: { id: number };
  let tw: Awaited<ReturnType<typeof createUserWithToken>>;
  let agSecretary: Awaited<ReturnType<typeof createUserWithToken>>;
  let body: any;

  before(async function () {
    this.timeout(180_000);
    await loadReferenceUnits(db()); // the 34 under the centre; a second load (another file's) adds nothing
    centre = await db().selectFrom('units').select(['id', 'name']).where('is_centre', '=', true).executeTakeFirstOrThrow();
    const province = (official: string, ended: boolean) =>
      db().selectFrom('units').select(['id', 'name']).where('kind', '=', 'province').where('official_code', '=', official).where('valid_to', ended ? 'is not' : 'is', null).executeTakeFirstOrThrow();
    anGiang = await province('91', false);
    kienGiang = await province('91', true); // Tỉnh Kiên Giang, ended 2025-06-30, succeeded by An Giang
    canTho = await province('92', false);
    const rachGia = await db().selectFrom('units').select('id').where('kind', '=', 'commune').where('official_code', '=', '30742').executeTakeFirstOrThrow();

    // An Giang's department, Kiên Giang's department merged into it, and a department of Cần Thơ.
    const agEducation = await createUnit({ parentId: anGiang.id, name: 'Sở Giáo dục và Đào tạo tỉnh An Giang (thử)', validFrom: '2025-07-01' });
    const kgEducation = await createUnit({ parentId: kienGiang.id, name: 'Sở Giáo dục và Đào tạo tỉnh Kiên Giang (thử)', validTo: '2025-06-30', successorId: agEducation.id });
    const ctHome = await createUnit({ parentId: canTho.id, name: 'Sở Nội vụ thành phố Cần Thơ (thử)' });
    const m = (unitId: number, status: 'registered' | 'implementing' | 'completed' | 'recognized' | 'not_recognized' | 'discontinued', year = YEAR) => ({ unitId, year, field: 'kinh_te', block: 'chinh_quyen', status });
    await insertModels([
      // An Giang today: 3 registered, 2 implementing or further, 1 recognised.
      m(agEducation.id, 'registered'), m(agEducation.id, 'implementing'), m(agEducation.id, 'recognized'),
      // Kiên Giang, the former province, and its department: 3 registered, 3 implementing or further, 1 recognised.
      m(kgEducation.id, 'completed'), m(kgEducation.id, 'recognized'), m(kienGiang.id, 'implementing'),
      // A commune of the reference data under An Giang.
      m(rachGia.id, 'discontinued'),
      // Cần Thơ: 2 registered, 1 implementing.
      m(ctHome.id, 'registered'), m(ctHome.id, 'not_recognized'),
      // Other years never count.
      m(agEducation.id, 'recognized', YEAR - 1), m(kgEducation.id, 'recognized', YEAR + 1), m(ctHome.id, 'registered', YEAR - 1),
    ]);

    // Certificates of the year through An Giang's own round: a collective and an individual of its
    // department, and a collective of Kiên Giang's department (reopened for the round, as it was then).
    agSecretary = await createUserWithToken({ role: 'secretary', unitId: anGiang.id, fullName: 'Thư ký Hội đồng tỉnh An Giang' });
    const members = [];
    for (let i = 1; i <= 3; i++) members.push(await createUserWithToken({ role: 'member', unitId: anGiang.id, fullName: `Thành viên ${i}` }));
    await seatOnCommittee(anGiang.id, members.map((member) => member.id));
    const agency = await createUserWithToken({ role: 'agency', unitId: agEducation.id });
    await db().updateTable('units').set({ valid_to: null }).where('id', '=', kgEducation.id).execute();
    const round = await api('POST', '/award-rounds', {
      token: agSecretary.token,
      body: { title: `Tổng kết phong trào thi đua "Dân vận khéo" năm ${YEAR}`, year: YEAR, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: anGiang.id, closesOn: inDays(10) },
    });
    expect(round.status, JSON.stringify(round.body)).to.equal(201);
    const ids: number[] = [];
    for (const nomination of [
      collective(round.body.id, agEducation.id, { nomineeName: 'Phòng Giáo dục Trung học' }),
      individual(round.body.id, agEducation.id, { nomineeName: 'Nguyễn Thị Lan' }),
      collective(round.body.id, kgEducation.id, { nomineeName: 'Phòng Giáo dục Tiểu học tỉnh Kiên Giang' }),
    ]) {
      const created = await api('POST', '/nominations', { token: agency.token, body: nomination });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      await attachRequiredFiles(created.body.id);
      expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: agency.token })).status).to.equal(200);
      for (const member of members) expect((await api('POST', `/nominations/${created.body.id}/votes`, { token: member.token, body: { vote: 'approve' } })).status).to.equal(201);
      ids.push(created.body.id);
    }
    await db().updateTable('units').set({ valid_to: '2025-06-30' }).where('id', '=', kgEducation.id).execute();
    expect((await api('POST', `/award-rounds/${round.body.id}/close`, { token: agSecretary.token, body: EARLY_CLOSE })).status).to.equal(200);
    const decision = await api('POST', '/decisions', { token: agSecretary.token, body: { roundId: round.body.id, signedOn: `${YEAR}-12-20`, signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: ids } });
    expect(decision.status, JSON.stringify(decision.body)).to.equal(201);

    tw = await createUserWithToken({ role: 'secretary', unitId: centre.id, fullName: 'Thư ký Ban Dân vận Trung ương' });
    const response = await national(tw.token);
    expect(response.status, JSON.stringify(response.body)).to.equal(200);
    body = response.body;
  });

  it('gives the centre\'s secretary one row per province in force, 34, by official code, with the centre named', () => {
    expect(body.year).to.equal(YEAR);
    expect(body.centre).to.deep.equal({ id: centre.id, name: 'Ban Dân vận Trung ương' });
    const rows = body.provinces as ProvinceRow[];
    expect(rows).to.have.length(34);
    const codes = rows.map((row) => row.officialCode);
    expect(codes).to.deep.equal([...codes].sort());
    expect(rows[0]).to.include({ officialCode: '01', name: 'Thành phố Hà Nội' });
    expect(rows.map((row) => row.name)).not.to.include('Tỉnh Kiên Giang');
  });

  it('counts An Giang with its former province Kiên Giang and every unit under both: 7 models, 5 implementing, 2 recognised, 2 collectives and 1 individual', () => {
    const row = (body.provinces as ProvinceRow[]).find((p) => p.officialCode === '91');
    expect(row).to.deep.equal({ unitId: anGiang.id, officialCode: '91', name: 'Tỉnh An Giang', registered: 7, implementing: 5, recognized: 2, collectives: 2, individuals: 1 });
  });

  it('counts Cần Thơ apart, gives the other 32 provinces zeros, and totals the rows', () => {
    const rows = body.provinces as ProvinceRow[];
    expect(rows.find((p) => p.officialCode === '92')).to.deep.include({ unitId: canTho.id, registered: 2, implementing: 1, recognized: 0, collectives: 0, individuals: 0 });
    const others = rows.filter((p) => p.officialCode !== '91' && p.officialCode !== '92');
    expect(others).to.have.length(32);
    expect(others.every((p) => p.registered + p.implementing + p.recognized + p.collectives + p.individuals === 0)).to.equal(true);
    expect(body.total).to.deep.equal({ registered: 9, implementing: 6, recognized: 2, collectives: 2, individuals: 1 });
  });

  it('agrees with the database: the year\'s models and valid certificates of An Giang\'s tree, Kiên Giang\'s records among them', async () => {
    const tree = await unitAndEverythingUnder(db(), anGiang.id);
    expect(tree).to.include(kienGiang.id);
    const { rows } = await sql<{ models: number; certificates: number; former: number }>`
      SELECT (SELECT count(*)::int FROM models WHERE year = ${YEAR} AND unit_id = ANY(${tree}::integer[])) AS models,
             (SELECT count(*)::int FROM certificates c JOIN nominations n ON n.id = c.nomination_id
               WHERE c.year = ${YEAR} AND c.status = 'valid' AND n.unit_id = ANY(${tree}::integer[])) AS certificates,
             (SELECT count(*)::int FROM models m JOIN units u ON u.id = m.unit_id
               WHERE m.year = ${YEAR} AND (u.id = ${kienGiang.id} OR u.parent_id = ${kienGiang.id})) AS former`.execute(db());
    expect(rows[0]).to.deep.equal({ models: 7, certificates: 3, former: 3 });
    const kg = await db().selectFrom('units').select(['parent_id', 'valid_to', 'successor_id']).where('id', '=', kienGiang.id).executeTakeFirstOrThrow();
    expect(kg).to.deep.equal({ parent_id: null, valid_to: '2025-06-30', successor_id: anGiang.id });
  });

  it('gives an administrator the same report, and 404 to a province\'s secretary, member and agency staff (An Giang\'s and Cần Thơ\'s)', async () => {
    const admin = await createUserWithToken({ role: 'admin', unitId: anGiang.id });
    const asAdmin = await national(admin.token);
    expect(asAdmin.status).to.equal(200);
    expect(asAdmin.body).to.deep.equal(body);
    const ctSecretary = await createUserWithToken({ role: 'secretary', unitId: canTho.id });
    const member = await createUserWithToken({ role: 'member', unitId: anGiang.id });
    const agency = await createUserWithToken({ role: 'agency', unitId: anGiang.id });
    for (const user of [agSecretary, ctSecretary, member, agency]) {
      const refused = await national(user.token);
      expect(refused.status, user.username).to.equal(404);
      expect(refused.body.error.code).to.equal('not_found');
    }
    const centreAgency = await createUserWithToken({ role: 'agency', unitId: centre.id });
    expect((await national(centreAgency.token)).status, 'any user of the centre').to.equal(200);
  });

  it('answers 401 without a token and 422 for year=abc and year=1999', async () => {
    expect((await national(undefined)).status).to.equal(401);
    const abc = await national(tw.token, 'abc');
    expect(abc.status).to.equal(422);
    expect(abc.body.error.details).to.deep.equal([{ field: 'year', reason: 'not_a_number', message: 'Năm phải là một số.' }]);
    const early = await national(tw.token, 1999);
    expect(early.status).to.equal(422);
    expect(early.body.error.details[0]).to.include({ field: 'year', reason: 'too_small' });
  });

  it('lists the centre\'s provinces as the rows of the whole country\'s summary, and as the centre secretary\'s branches', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const country = await api('GET', `/reports/summary?year=${YEAR}`, { token: admin.token });
    expect(country.status).to.equal(200);
    expect(country.body.models.registered).to.equal(9);
    expect((country.body.models.byUnit as { name: string; registered: number }[]).map((r) => [r.name, r.registered])).to.deep.equal([['Tỉnh An Giang', 7], ['Thành phố Cần Thơ', 2]]);
    const own = await api('GET', `/reports/summary?year=${YEAR}`, { token: tw.token });
    expect(own.status).to.equal(200);
    expect(own.body.unitId).to.equal(centre.id);
    expect((own.body.models.byUnit as { name: string; registered: number }[]).map((r) => [r.name, r.registered])).to.deep.equal([['Tỉnh An Giang', 7], ['Thành phố Cần Thơ', 2]]);
    expect(own.body.awards).to.deep.include({ collectives: 2, individuals: 1 });
  });

  it('shows the report as a page and a workbook to the centre\'s secretary, with a link from the reports page that a province\'s secretary does not get', async function () {
    this.timeout(60_000);
    const browser = await loggedIn(tw);
    const reports = await browser.get(`/reports?year=${YEAR}`);
    expect(reports.status).to.equal(200);
    expect(reports.html.replaceAll('&#x3D;', '=')).to.include(`href="/reports/national?year=${YEAR}"`);
    const page = await browser.get(`/reports/national?year=${YEAR}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.include(`Tổng hợp phong trào thi đua &quot;Dân vận khéo&quot; toàn quốc năm ${YEAR}`);
    const row = new RegExp(`<tr data-unit-id="${anGiang.id}">\\s*<td>91</td>\\s*<th scope="row">Tỉnh An Giang</th>\\s*<td class="number">7</td>\\s*<td class="number">5</td>\\s*<td class="number">2</td>\\s*<td class="number">2</td>\\s*<td class="number">1</td>`);
    expect(page.html).to.match(row);

    const file = await download(browser, `/reports/national.xlsx?year=${YEAR}`);
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-disposition')).to.equal(`attachment; filename="bao-cao-toan-quoc-${YEAR}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Toàn quốc');
    if (!sheet) throw new Error('no sheet Toàn quốc');
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(4)).to.deep.equal(['Mã', 'Tỉnh, thành phố', 'Đăng ký', 'Đã và đang triển khai', 'Được công nhận', 'Bằng khen tập thể', 'Bằng khen cá nhân']);
    const rows = Array.from({ length: 34 }, (_, i) => values(5 + i));
    expect(rows.map((r) => r[0])).to.deep.equal((body.provinces as ProvinceRow[]).map((p) => p.officialCode));
    expect(rows.find((r) => r[0] === '91')).to.deep.equal(['91', 'Tỉnh An Giang', 7, 5, 2, 2, 1]);
    expect(values(39).slice(1)).to.deep.equal(['Tổng cộng', 9, 6, 2, 2, 1]);

    const province = await loggedIn(agSecretary);
    const own = await province.get(`/reports?year=${YEAR}`);
    expect(own.status).to.equal(200);
    expect(own.html).not.to.include('/reports/national');
    expect((await province.get(`/reports/national?year=${YEAR}`)).status).to.equal(404);
    expect((await download(province, `/reports/national.xlsx?year=${YEAR}`)).status).to.equal(404);
  });
});
