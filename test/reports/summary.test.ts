// The year-end summary over HTTP (GET /api/v1/reports/summary) for known data (see dataset.ts):
// every figure, breakdown, change, the trend and the awards, who may see which unit, merged
// units, the headline paragraph in both languages and the validation of the query.
import { expect } from 'chai';
import { createUnit, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { awardCertificates, createLargeProvince, createReportProvince, insertModels, PREVIOUS, YEAR, type ReportProvince } from './dataset.ts';

interface Counts {
  registered: number;
  implementing: number;
  completed: number;
  recognized: number;
  notRecognized: number;
  discontinued: number;
  replicated: number;
}
interface Change {
  count: number;
  percent: number | null;
}
interface Row extends Counts {
  code: string;
  name: string;
  previous: Counts;
  change: { registered: Change; implementing: Change };
  share: number | null;
}

/** [registered, implementing, completed, recognized, previous registered, change, change percent, share?] */
type Figures = [number, number, number, number, number, number, number | null, (number | null)?];

function figuresOf(row: Row, withShare = false): Figures {
  const figures: Figures = [row.registered, row.implementing, row.completed, row.recognized, row.previous.registered, row.change.registered.count, row.change.registered.percent];
  if (withShare) figures.push(row.share);
  return figures;
}

function byCode(rows: Row[], withShare = false): Record<string, Figures> {
  return Object.fromEntries(rows.map((row) => [row.code, figuresOf(row, withShare)]));
}

const summary = (token: string, query: Record<string, string | number>, language?: string) =>
  api('GET', `/reports/summary?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`, { token, language });

describe('reports API: the summary of a province with known models and awards', function () {
  let p: ReportProvince;
  let awards: Awaited<ReturnType<typeof awardCertificates>>;
  let body: any;

  before(async function () {
    this.timeout(120_000);
    p = await createReportProvince();
    awards = await awardCertificates(p);
    const response = await summary(p.secretary.token, { year: YEAR, unitId: p.province.id });
    expect(response.status).to.equal(200);
    body = response.body;
  });

  it('counts the year\'s models of the province, its departments, district, commune and merged units: 10 registered, 7 implementing, 4 completed, 2 recognised, 2 replicated, 1 discontinued', () => {
    expect(body.year).to.equal(YEAR);
    expect(body.unitId).to.equal(p.province.id);
    expect(body.unitName).to.equal(p.province.name);
    const { registered, implementing, completed, recognized, notRecognized, discontinued, replicated } = body.models;
    // The 2016, 2017, 2020, 2023 and 2025 models and the unrelated province's marker are not in it.
    expect({ registered, implementing, completed, recognized, notRecognized, discontinued, replicated }).to.deep.equal({
      registered: 10, implementing: 7, completed: 4, recognized: 2, notRecognized: 1, discontinued: 1, replicated: 2,
    });
  });

  it('gives the previous year\'s figures and the change in numbers and percent (2 decimals)', () => {
    expect(body.models.previousYear).to.deep.equal({ year: PREVIOUS, registered: 8, implementing: 6, completed: 3, recognized: 1, notRecognized: 0, discontinued: 1, replicated: 0 });
    expect(body.models.change).to.deep.equal({
      registered: { count: 2, percent: 25 },
      implementing: { count: 1, percent: 16.67 },
      completed: { count: 1, percent: 33.33 },
      recognized: { count: 1, percent: 100 },
    });
  });

  it('breaks the models down by field, every field of the list included, with a decrease, no change, and no percent when the previous year had none', () => {
    expect(byCode(body.models.byField)).to.deep.include({
      kinh_te: [4, 3, 1, 1, 3, 1, 33.33],
      van_hoa_xa_hoi: [1, 1, 1, 0, 2, -1, -50],
      quoc_phong_an_ninh: [0, 0, 0, 0, 0, 0, null],
      xay_dung_he_thong_chinh_tri: [1, 0, 0, 0, 0, 1, null],
      nong_thon_moi: [3, 2, 2, 1, 2, 1, 50],
      do_thi_van_minh: [1, 1, 0, 0, 1, 0, 0],
      cai_cach_hanh_chinh: [0, 0, 0, 0, 0, 0, null],
    });
    const kinhTe = (body.models.byField as Row[]).find((row) => row.code === 'kinh_te');
    expect(kinhTe).to.deep.include({ name: 'Kinh tế', notRecognized: 0, discontinued: 0, replicated: 1 });
    expect(kinhTe?.previous).to.deep.equal({ registered: 3, implementing: 2, completed: 1, recognized: 1, notRecognized: 0, discontinued: 0, replicated: 0 });
    expect(kinhTe?.change.implementing).to.deep.equal({ count: 1, percent: 50 });
    const rural = (body.models.byField as Row[]).find((row) => row.code === 'nong_thon_moi');
    expect(rural).to.deep.include({ notRecognized: 1, discontinued: 1, replicated: 1 });
    expect((body.models.byField as Row[]).slice(0, 3).map((row) => row.code), 'in the list\'s order').to.deep.equal(['kinh_te', 'van_hoa_xa_hoi', 'quoc_phong_an_ninh']);
    expect((body.models.byField as Row[]).reduce((sum, row) => sum + row.registered, 0)).to.equal(10);
  });

  it('breaks the models down by block with each block\'s share of all models (government 7/10 → 70)', () => {
    expect(byCode(body.models.byBlock, true)).to.deep.equal({
      chinh_quyen: [7, 6, 4, 2, 5, 2, 40, 70],
      dang: [1, 0, 0, 0, 0, 1, null, 10],
      mat_tran_doan_the: [2, 1, 0, 0, 3, -1, -33.33, 20],
      luc_luong_vu_trang: [0, 0, 0, 0, 0, 0, null, 0],
      doanh_nghiep: [0, 0, 0, 0, 0, 0, null, 0],
    });
    expect((body.models.byBlock as Row[]).map((row) => row.name)).to.deep.equal(['Chính quyền', 'Đảng', 'Mặt trận và đoàn thể', 'Lực lượng vũ trang', 'Doanh nghiệp']);
  });

  it('breaks the models down by kind: 8 models and 2 exemplars', () => {
    expect((body.models.byKind as Row[]).map((row) => [row.code, row.name, ...figuresOf(row)])).to.deep.equal([
      ['model', 'Mô hình', 8, 5, 3, 2, 7, 1, 14.29],
      ['exemplar', 'Điển hình', 2, 2, 1, 0, 1, 1, 100],
    ]);
    expect((body.models.byKind as Row[]).map((row) => row.share)).to.deep.equal([null, null]);
  });

  it('breaks the models down by the branches directly under the province: the merged department in its successor\'s row, the commune in its district\'s, the province\'s own models as "(trực tiếp)"', () => {
    expect((body.models.byUnit as Row[]).map((row) => [row.code, row.name, ...figuresOf(row)])).to.deep.equal([
      [String(p.education.id), p.education.name, 5, 4, 3, 1, 3, 2, 66.67],
      [String(p.farmers.id), p.farmers.name, 2, 1, 0, 0, 3, -1, -33.33],
      [String(p.district.id), p.district.name, 2, 2, 1, 1, 2, 0, 0],
      [String(p.province.id), `${p.province.name} (trực tiếp)`, 1, 0, 0, 0, 0, 1, null],
    ]);
    const names = (body.models.byUnit as Row[]).map((row) => row.name);
    for (const gone of [p.oldEducation.name, p.oldProvince.name, p.commune.name]) expect(names).not.to.include(gone);
  });

  it('gives a trend of the eight years up to the report\'s year', () => {
    expect(body.models.trend).to.deep.equal([
      { year: 2017, registered: 1, implementing: 0 },
      { year: 2018, registered: 0, implementing: 0 },
      { year: 2019, registered: 0, implementing: 0 },
      { year: 2020, registered: 2, implementing: 1 },
      { year: 2021, registered: 0, implementing: 0 },
      { year: 2022, registered: 0, implementing: 0 },
      { year: 2023, registered: 8, implementing: 6 },
      { year: 2024, registered: 10, implementing: 7 },
    ]);
  });

  it('counts the valid certificates of the year by round, collectives and individuals, the merged department\'s included and the revoked one left out', async () => {
    const kinds = await api('GET', '/award-kinds', { token: p.secretary.token });
    const awardName = kinds.body.items.find((k: { code: string }) => k.code === 'bang_khen_chu_tich_ubnd_tinh').name;
    expect(body.awards).to.deep.equal({
      collectives: 2,
      individuals: 2,
      byRound: [
        { roundId: awards.round1.roundId, title: awards.round1.title, awardName, collectives: 1, individuals: 2 },
        { roundId: awards.round2.roundId, title: awards.round2.title, awardName, collectives: 1, individuals: 0 },
      ],
    });
    const before = await summary(p.secretary.token, { year: PREVIOUS, unitId: p.province.id });
    expect(before.body.awards).to.deep.equal({ collectives: 0, individuals: 1, byRound: [{ roundId: awards.round3.roundId, title: awards.round3.title, awardName, collectives: 0, individuals: 1 }] });
  });

  it('writes the headline paragraph with the figures, fields, changes, the government block\'s share and the awards', () => {
    expect(body.paragraph).to.equal(
      `Năm 2024, ${p.province.name} có 10 mô hình, điển hình "Dân vận khéo" đăng ký xây dựng trong các lĩnh vực: kinh tế, văn hóa - xã hội, ` +
        'xây dựng hệ thống chính trị, xây dựng nông thôn mới và đô thị văn minh (tăng 2 mô hình, 25% so với năm 2023); đã và đang triển khai thực hiện ' +
        '7 mô hình, điển hình (tăng 1 mô hình, 16,67% so với năm 2023), trong đó 4 mô hình đã hoàn thành và 2 mô hình được công nhận. ' +
        'Trong khối chính quyền có 7/10 mô hình (70%). Đã tặng Bằng khen cho 2 tập thể và 2 cá nhân có thành tích xuất sắc.',
    );
  });

  it('answers in English with Accept-Language: en, numbers written the English way', async () => {
    const english = await summary(p.secretary.token, { year: YEAR, unitId: p.province.id }, 'en');
    expect(english.status).to.equal(200);
    expect(english.body.paragraph).to.equal(
      `In 2024, ${p.province.name} registered 10 "Dân vận khéo" models and exemplars in economy, culture and society, building the political system, ` +
        'new rural areas and civilised urban areas (up 2, 25% on 2023); 7 are being or have been implemented (up 1, 16.67% on 2023), 4 completed and 2 recognised. ' +
        'The government block holds 7/10 models (70%). Certificates of merit went to 2 collectives and 2 individuals.',
    );
    expect((english.body.models.byBlock as Row[])[0]?.name).to.equal('Government');
    expect((english.body.models.byKind as Row[]).map((row) => row.name)).to.deep.equal(['Models', 'Exemplars']);
    expect(english.body.models.registered).to.equal(10);
  });

  it('reports for the successor department alone: its merged predecessor\'s models and certificates counted in its own row', async () => {
    const response = await summary(p.secretary.token, { year: YEAR, unitId: p.education.id });
    expect(response.status).to.equal(200);
    const { models } = response.body;
    expect([models.registered, models.implementing, models.completed, models.recognized, models.replicated]).to.deep.equal([5, 4, 3, 1, 1]);
    expect(models.previousYear.registered).to.equal(3);
    expect((models.byUnit as Row[]).map((row) => [row.code, row.name, ...figuresOf(row)])).to.deep.equal([
      [String(p.education.id), `${p.education.name} (trực tiếp)`, 5, 4, 3, 1, 3, 2, 66.67],
    ]);
    expect(response.body.awards.collectives).to.equal(2);
    expect(response.body.awards.individuals).to.equal(1);
  });

  it('gives agency staff their own unit by default, with a decrease in the paragraph, and 404 for a sibling unit, the province above and an unrelated province', async () => {
    const own = await summary(awards.otherAgency.token, { year: YEAR });
    expect(own.status).to.equal(200);
    expect(own.body.unitId).to.equal(p.farmers.id);
    expect([own.body.models.registered, own.body.models.implementing]).to.deep.equal([2, 1]);
    expect(own.body.models.change.registered).to.deep.equal({ count: -1, percent: -33.33 });
    expect(own.body.awards).to.deep.include({ collectives: 0, individuals: 1 });
    expect(own.body.paragraph).to.include('(giảm 1 mô hình, 33,33% so với năm 2023)');
    expect(own.body.paragraph).to.include('đã và đang triển khai thực hiện 1 mô hình, điển hình (giảm 1 mô hình, 50% so với năm 2023)');

    for (const unitId of [p.education.id, p.province.id, p.elsewhere.id]) {
      const refused = await summary(awards.otherAgency.token, { year: YEAR, unitId });
      expect(refused.status, `unit ${unitId}`).to.equal(404);
      expect(refused.body.error.code).to.equal('not_found');
    }
    const stranger = await createUserWithToken({ role: 'agency', unitId: p.elsewhere.id });
    expect((await summary(stranger.token, { year: YEAR, unitId: p.province.id })).status).to.equal(404);
    const strangerOwn = await summary(stranger.token, { year: YEAR });
    expect(strangerOwn.body.models.registered, 'the marker model of the unrelated province').to.equal(1);
  });

  it('gives the secretary the province by default, the same summary as with its unitId', async () => {
    const response = await summary(p.secretary.token, { year: YEAR });
    expect(response.status).to.equal(200);
    expect({ ...response.body }).to.deep.equal(body);
  });

  it('answers 401 without a token', async () => {
    const response = await api('GET', `/reports/summary?year=${YEAR}`);
    expect(response.status).to.equal(401);
  });
});

describe('reports API: the whole country for an administrator', function () {
  // 2007 and 2006 are years no other test uses: the whole country's figures are these models alone.
  const year = 2007;

  it('sums every unit without a unitId, one row per top-level unit, a merged province counted with its successor, and no percent against an empty previous year', async function () {
    this.timeout(60_000);
    const suffix = uniqueSuffix();
    const today = await createUnit({ kind: 'province', name: `Tỉnh Hậu Giang mới ${suffix}` });
    const agency = await createUnit({ parentId: today.id, name: 'Sở Nội vụ (thử)' });
    const merged = await createUnit({ kind: 'province', name: `Tỉnh Sóc Trăng cũ ${suffix}`, validTo: '2025-06-30', successorId: today.id });
    const mergedAgency = await createUnit({ parentId: merged.id, name: 'Sở Nội vụ tỉnh cũ (thử)', validTo: '2025-06-30', successorId: agency.id });
    const other = await createUnit({ kind: 'province', name: `Tỉnh Bạc Liêu thử ${suffix}` });
    const otherAgency = await createUnit({ parentId: other.id, name: 'Sở Y tế (thử)' });
    await insertModels([
      { unitId: agency.id, year, field: 'kinh_te', block: 'chinh_quyen', status: 'implementing' },
      { unitId: agency.id, year, field: 'kinh_te', block: 'chinh_quyen', status: 'recognized' },
      { unitId: mergedAgency.id, year, field: 'nong_thon_moi', block: 'chinh_quyen', status: 'registered' },
      { unitId: merged.id, year, field: 'nong_thon_moi', block: 'dang', status: 'completed' },
      { unitId: today.id, year, field: 'kinh_te', block: 'dang', status: 'registered' },
      { unitId: otherAgency.id, year, field: 'van_hoa_xa_hoi', block: 'chinh_quyen', status: 'implementing' },
      { unitId: otherAgency.id, year, field: 'van_hoa_xa_hoi', block: 'chinh_quyen', status: 'implementing' },
      { unitId: otherAgency.id, year, field: 'van_hoa_xa_hoi', block: 'mat_tran_doan_the', kind: 'exemplar', status: 'discontinued' },
    ]);
    const admin = await createUserWithToken({ role: 'admin', unitId: today.id });

    const response = await summary(admin.token, { year });
    expect(response.status).to.equal(200);
    const { body } = response;
    expect(body.unitId).to.equal(null);
    expect(body.unitName).to.equal('Toàn bộ đơn vị');
    expect([body.models.registered, body.models.implementing, body.models.completed, body.models.recognized, body.models.discontinued]).to.deep.equal([8, 5, 2, 1, 1]);
    expect(body.models.previousYear.registered).to.equal(0);
    expect(body.models.change.registered).to.deep.equal({ count: 8, percent: null });
    expect((body.models.byUnit as Row[]).map((row) => [row.code, row.name, ...figuresOf(row)])).to.deep.equal([
      [String(today.id), today.name, 5, 3, 2, 1, 0, 5, null],
      [String(other.id), other.name, 3, 2, 0, 0, 0, 3, null],
    ]);
    expect(byCode(body.models.byBlock, true)).to.deep.include({ chinh_quyen: [5, 4, 1, 1, 0, 5, null, 62.5], dang: [2, 1, 1, 0, 0, 2, null, 25], mat_tran_doan_the: [1, 0, 0, 0, 0, 1, null, 12.5] });
    expect(body.paragraph).to.include('Năm 2007, toàn bộ các đơn vị có 8 mô hình, điển hình');
    expect(body.paragraph, 'no percent against nothing').to.include('(tăng 8 mô hình so với năm 2006)');
    expect(body.paragraph).to.include('Trong khối chính quyền có 5/8 mô hình (62,5%).');

    const missing = await summary(admin.token, { year, unitId: 2_000_000_000 });
    expect(missing.status, 'a unit that does not exist').to.equal(404);
    expect(missing.body.error.code).to.equal('not_found');

    const province = await summary(admin.token, { year, unitId: today.id });
    expect(province.status).to.equal(200);
    expect(province.body.models.registered).to.equal(5);
    expect((province.body.models.byUnit as Row[]).map((row) => [row.name, row.registered])).to.deep.equal([
      [agency.name, 3],
      [`${today.name} (trực tiếp)`, 2],
    ]);
  });
});

describe('reports API: large figures and validation', function () {
  it('writes 1.649 models and 12,18% the Vietnamese way in the paragraph, 1,649 and 12.18% in English (1,649 this year, 1,470 the year before)', async function () {
    this.timeout(60_000);
    const { province, secretary } = await createLargeProvince();
    const response = await summary(secretary.token, { year: YEAR });
    expect(response.status).to.equal(200);
    const { models, paragraph } = response.body;
    expect([models.registered, models.implementing, models.previousYear.registered, models.previousYear.implementing]).to.deep.equal([1649, 1546, 1470, 1433]);
    expect(models.change.registered).to.deep.equal({ count: 179, percent: 12.18 });
    expect(models.change.implementing).to.deep.equal({ count: 113, percent: 7.89 });
    expect((models.byBlock as Row[]).find((row) => row.code === 'chinh_quyen')?.share).to.equal(72.77);
    expect(paragraph).to.equal(
      `Năm 2024, ${province.name} có 1.649 mô hình, điển hình "Dân vận khéo" đăng ký xây dựng trong lĩnh vực kinh tế (tăng 179 mô hình, 12,18% so với năm 2023); ` +
        'đã và đang triển khai thực hiện 1.546 mô hình, điển hình (tăng 113 mô hình, 7,89% so với năm 2023). ' +
        'Trong khối chính quyền có 1.200/1.649 mô hình (72,77%).',
    );
    const english = await summary(secretary.token, { year: YEAR }, 'en');
    expect(english.body.paragraph).to.include('registered 1,649 "Dân vận khéo" models and exemplars in economy (up 179, 12.18% on 2023); 1,546 are being or have been implemented (up 113, 7.89% on 2023)');
    expect(english.body.paragraph).to.include('The government block holds 1,200/1,649 models (72.77%).');
  });

  it('refuses year=abc, year=1999 and unitId=x with 422 and messages in Vietnamese', async () => {
    const { token } = await createUserWithToken({ role: 'secretary' });
    const abc = await summary(token, { year: 'abc' });
    expect(abc.status).to.equal(422);
    expect(abc.body.error.code).to.equal('validation_failed');
    expect(abc.body.error.details).to.deep.equal([{ field: 'year', reason: 'not_a_number', message: 'Năm phải là một số.' }]);
    const early = await summary(token, { year: 1999 });
    expect(early.status).to.equal(422);
    expect(early.body.error.details).to.deep.equal([{ field: 'year', reason: 'too_small', message: 'Năm không được nhỏ hơn 2000.' }]);
    const both = await summary(token, { year: 'abc', unitId: 'x' });
    expect(both.status).to.equal(422);
    expect(both.body.error.details).to.deep.equal([
      { field: 'year', reason: 'not_a_number', message: 'Năm phải là một số.' },
      { field: 'unitId', reason: 'not_a_number', message: 'Đơn vị phải là một số.' },
    ]);
    const english = await summary(token, { year: 'abc' }, 'en');
    expect(english.status).to.equal(422);
    expect(english.body.error.details[0].field).to.equal('year');
  });
});
