// Rules of the registry that protect what a model stands for: an ended unit takes no new model,
// a recognised model is frozen and its certificate verifies as certified, and a model's block comes
// from its unit or the nearest unit above it (or there is none).
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { extractText } from '../support/pdf.ts';
import { IMPORT_COLUMNS } from '../../server/models/import.ts';

function validModel(unitId: number, overrides: Record<string, unknown> = {}) {
  return {
    title: 'Dân vận khéo trong xây dựng đường giao thông nông thôn',
    unitId,
    year: 2024,
    fieldCode: 'nong_thon_moi',
    kind: 'model',
    summary: 'Vận động nhân dân hiến đất, góp công làm 12 km đường bê tông ấp Phước Hòa.',
    ...overrides,
  };
}

async function modelCount(): Promise<number> {
  return Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** A province merged on 2025-07-01 into its successor, with a department of each. */
async function mergedProvince() {
  const successor = await createUnit({ kind: 'province', name: 'Tỉnh An Giang (thử)', validFrom: '2025-07-01' });
  const ended = await createUnit({ kind: 'province', name: 'Tỉnh Kiên Giang (thử)', validTo: '2025-06-30', successorId: successor.id });
  return { successor, ended };
}

/** Registers a model and takes it to `recognized` through progress reports, as the committee does. */
async function recognisedModel(unitId: number, overrides: Record<string, unknown> = {}) {
  const agency = await createUserWithToken({ role: 'agency', unitId });
  const secretary = await createUserWithToken({ role: 'secretary', unitId });
  const { body: model } = await api('POST', '/models', { token: agency.token, body: validModel(unitId, overrides) });
  for (const [token, status] of [[agency.token, 'implementing'], [agency.token, 'completed'], [secretary.token, 'recognized']] as const) {
    const moved = await api('POST', `/models/${model.id}/reports`, { token, body: { status, reportedOn: '2024-11-20', note: 'Báo cáo tiến độ' } });
    expect(moved.status, status).to.equal(201);
  }
  return { model, agency, secretary };
}

describe('models: an ended unit takes no new model', () => {
  it('refuses a model for a unit merged in 2025 with 422 unit_ended naming the successor, and writes nothing', async () => {
    const { successor, ended } = await mergedProvince();
    const admin = await createUserWithToken({ role: 'admin' });
    const before = await modelCount();
    const response = await api('POST', '/models', { token: admin.token, body: validModel(ended.id, { year: 2025 }) });
    expect(response.status).to.equal(422);
    const detail = response.body.error.details.find((d: { field: string }) => d.field === 'unitId');
    expect(detail.reason).to.equal('unit_ended');
    expect(detail.message).to.include('Tỉnh Kiên Giang (thử)').and.include('30/06/2025').and.include(`Tỉnh An Giang (thử) (${successor.code})`);
    const english = await api('POST', '/models', { token: admin.token, body: validModel(ended.id), language: 'en' });
    expect(english.body.error.details[0].message).to.match(/^The unit Tỉnh Kiên Giang \(thử\) ended on 30\/06\/2025/);
    expect(await modelCount()).to.equal(before);
    expect((await api('POST', '/models', { token: admin.token, body: validModel(successor.id) })).status, 'the successor takes it').to.equal(201);
  });

  it('names the unit in force at the end of a chain of mergers as the successor', async () => {
    const today = await createUnit({ kind: 'province', name: 'Tỉnh hiện nay (thử)' });
    const middle = await createUnit({ kind: 'province', name: 'Tỉnh giữa (thử)', validTo: '2020-12-31', successorId: today.id });
    const first = await createUnit({ kind: 'province', name: 'Tỉnh đầu (thử)', validTo: '2010-12-31', successorId: middle.id });
    const admin = await createUserWithToken({ role: 'admin' });
    const response = await api('POST', '/models', { token: admin.token, body: validModel(first.id) });
    expect(response.status).to.equal(422);
    expect(response.body.error.details[0]).to.include({ field: 'unitId', reason: 'unit_ended' });
    expect(response.body.error.details[0].message).to.include('Tỉnh hiện nay (thử)');
  });

  it('refuses the form for an ended unit with 422 and the reason on the page, and writes nothing', async () => {
    const { ended } = await mergedProvince();
    const admin = await createUserWithToken({ role: 'admin', unitId: ended.id });
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    await browser.get('/models/new');
    const before = await modelCount();
    const response = await browser.post('/models', Object.fromEntries(Object.entries(validModel(ended.id)).map(([k, v]) => [k, String(v)])));
    expect(response.status).to.equal(422);
    expect(response.html).to.include('đã kết thúc hoạt động từ ngày 30/06/2025');
    expect(await modelCount()).to.equal(before);
  });

  it('still edits a model the ended unit registered before it ended, and refuses moving another model to it', async () => {
    const { successor, ended } = await mergedProvince();
    const admin = await createUserWithToken({ role: 'admin' });
    await db().updateTable('units').set({ valid_to: null }).where('id', '=', ended.id).execute();
    const { body: old } = await api('POST', '/models', { token: admin.token, body: validModel(ended.id, { year: 2019 }) });
    await db().updateTable('units').set({ valid_to: '2025-06-30' }).where('id', '=', ended.id).execute();
    const edited = await api('PATCH', `/models/${old.id}`, { token: admin.token, body: { summary: 'Tóm tắt đã sửa sau khi sáp nhập tỉnh.' } });
    expect(edited.status).to.equal(200);
    const { body: other } = await api('POST', '/models', { token: admin.token, body: validModel(successor.id) });
    const moved = await api('PATCH', `/models/${other.id}`, { token: admin.token, body: { unitId: ended.id } });
    expect(moved.status).to.equal(422);
    expect(moved.body.error.details[0].reason).to.equal('unit_ended');
    expect((await db().selectFrom('models').select('unit_id').where('id', '=', other.id).executeTakeFirstOrThrow()).unit_id).to.equal(successor.id);
  });
});

describe('models: a recognised model is frozen', () => {
  it('refuses an edit of a recognised model with 409 model_recognized and changes nothing', async () => {
    const unit = await createUnit();
    const { model, agency } = await recognisedModel(unit.id);
    const response = await api('PATCH', `/models/${model.id}`, { token: agency.token, body: { title: 'Tên khác sau khi được công nhận', year: 2023, fieldCode: 'kinh_te' } });
    expect(response.status).to.equal(409);
    expect(response.body.error).to.include({ code: 'conflict', reason: 'model_recognized' });
    expect(response.body.error.message).to.include('đã được công nhận');
    const row = await db().selectFrom('models').select(['title', 'year', 'field_code']).where('id', '=', model.id).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ title: model.title, year: 2024, field_code: 'nong_thon_moi' });
  });

  it('hides the edit button of a recognised model, explains why, and refuses its edit form with 409', async () => {
    const unit = await createUnit();
    const { model, agency } = await recognisedModel(unit.id);
    const browser = new Browser();
    await browser.login(agency.username, TEST_PASSWORD);
    const page = await browser.get(`/models/${model.id}`);
    expect(page.status).to.equal(200);
    expect(page.html).not.to.include(`/models/${model.id}/edit`);
    expect(page.html).to.include('đã được công nhận nên không sửa được nữa');
    expect((await browser.get(`/models/${model.id}/edit`)).status).to.equal(409);
    const posted = await browser.post(`/models/${model.id}`, { title: 'Tên khác', unitId: String(unit.id), year: '2024', fieldCode: 'kinh_te', kind: 'model', summary: 'Một nội dung tóm tắt khác hẳn.' });
    expect(posted.status).to.equal(409);
    expect((await db().selectFrom('models').select('title').where('id', '=', model.id).executeTakeFirstOrThrow()).title).to.equal(model.title);
  });

  it('explains the mark "†" of a merged unit under the list, not only in a tooltip', async () => {
    const unit = await createUnit({ kind: 'province', name: 'Tỉnh Hà Tiên (thử)' });
    const successor = await createUnit({ kind: 'province', name: 'Tỉnh Rạch Sỏi (thử)', validFrom: '2025-07-01' });
    const agency = await createUserWithToken({ role: 'agency', unitId: successor.id });
    const created = await api('POST', '/models', { token: (await createUserWithToken({ role: 'agency', unitId: unit.id })).token, body: validModel(unit.id, { title: 'Mô hình của đơn vị đã sáp nhập' }) });
    expect(created.status).to.equal(201);
    await db().updateTable('units').set({ valid_to: '2025-06-30', successor_id: successor.id }).where('id', '=', unit.id).execute();
    const browser = new Browser();
    await browser.login(agency.username, TEST_PASSWORD);
    const list = await browser.get('/models');
    expect(list.html).to.include('Mô hình của đơn vị đã sáp nhập').and.include('id="unit-merged-note"');
    expect(list.html).to.include('Đơn vị đã sáp nhập (tên tại thời điểm đăng ký)');
  });

  it('signs a province\'s model certificate on behalf of its People\'s Committee, the chairman\'s title on its own line', async function () {
    this.timeout(60_000);
    const province = await createUnit({ kind: 'province', name: 'Tỉnh Phước Hòa Thử' });
    const commune = await createUnit({ parentId: province.id, kind: 'commune', name: 'Xã Mỹ Hòa Thử' });
    const { model, secretary } = await recognisedModel(commune.id, { title: 'Chợ phiên không tiền mặt' });
    const printer = new Browser();
    await printer.login(secretary.username, TEST_PASSWORD);
    const pdf = await fetch(`${ctx().baseUrl}/models/${model.id}/certificate.pdf`, { headers: { cookie: [...printer.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': printer.address } });
    expect(pdf.status).to.equal(200);
    const lines = (await extractText(Buffer.from(await pdf.arrayBuffer()), { layout: true })).split('\n').map((line) => line.trim());
    expect(lines).to.include('ỦY BAN NHÂN DÂN TỈNH PHƯỚC HÒA THỬ');
    const at = lines.indexOf('TM. ỦY BAN NHÂN DÂN');
    expect(at, 'TM. line').to.be.greaterThan(-1);
    expect(lines.slice(at + 1).find((line) => line !== ''), 'the chairman\'s title on the next line').to.equal('CHỦ TỊCH');

    // The body's document settings name the chairman: the name prints under the signature space.
    const admin = await createUserWithToken({ role: 'admin' });
    const current = await api('GET', `/issuing-bodies/${province.id}/document-settings`, { token: admin.token });
    expect(current.body.settings).to.include({ modelSignerTitle: 'TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH', modelSignerName: '' });
    const saved = await api('PUT', `/issuing-bodies/${province.id}/document-settings`, { token: admin.token, body: { ...current.body.settings, modelSignerName: 'Hồ Văn Mười' } });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    const signed = await fetch(`${ctx().baseUrl}/models/${model.id}/certificate.pdf`, { headers: { cookie: [...printer.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': printer.address } });
    const signedLines = (await extractText(Buffer.from(await signed.arrayBuffer()), { layout: true })).split('\n').map((line) => line.trim()).filter(Boolean);
    const title = signedLines.indexOf('CHỦ TỊCH');
    expect(signedLines.slice(title + 1).join(' '), 'the name below the title').to.include('Hồ Văn Mười');
  });

  it('verifies a model certificate with what was certified, not the model\'s text of today', async function () {
    this.timeout(60_000);
    const unit = await createUnit({ name: 'Hội Phụ nữ xã Mỹ Hòa (thử)' });
    const { model, secretary } = await recognisedModel(unit.id, { title: 'Tuyến đường hoa Phước Hòa' });
    const printer = new Browser();
    await printer.login(secretary.username, TEST_PASSWORD);
    const pdf = await fetch(`${ctx().baseUrl}/models/${model.id}/certificate.pdf`, { headers: { cookie: [...printer.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': printer.address } });
    expect(pdf.status).to.equal(200);
    // Signed for a body that is no People's Committee: its head, not "TM. ỦY BAN NHÂN DÂN" (issue 22).
    const lines = (await extractText(Buffer.from(await pdf.arrayBuffer()), { layout: true })).split('\n').map((line) => line.trim());
    expect(lines).to.include('THỦ TRƯỞNG ĐƠN VỊ').and.not.include('TM. ỦY BAN NHÂN DÂN');
    const certificate = await db().selectFrom('model_certificates').selectAll().where('model_id', '=', model.id).executeTakeFirstOrThrow();
    expect(certificate).to.include({ certified_title: 'Tuyến đường hoa Phước Hòa', certified_unit_name: 'Hội Phụ nữ xã Mỹ Hòa (thử)', certified_year: 2024, certified_code: model.code });
    // A change made past the registry (or before models were frozen) must not reach the verification.
    await db().updateTable('models').set({ title: 'Tên đã bị sửa', year: 2025, field_code: 'kinh_te' }).where('id', '=', model.id).execute();
    await db().updateTable('units').set({ name: 'Tên đơn vị mới' }).where('id', '=', unit.id).execute();
    const answer = await api('GET', `/verify/${certificate.verification_code}`);
    expect(answer.status).to.equal(200);
    expect(answer.body.recipientName).to.equal('Tuyến đường hoa Phước Hòa (Hội Phụ nữ xã Mỹ Hòa (thử))');
    expect(answer.body.model).to.deep.include({ title: 'Tuyến đường hoa Phước Hòa', year: 2024, code: model.code });
    expect(answer.body.model.fieldName).to.match(/nông thôn mới/i);
    const page = await fetch(`${ctx().baseUrl}/verify/${certificate.verification_code}`);
    const html = await page.text();
    expect(html).to.include('Tuyến đường hoa Phước Hòa').and.not.include('Tên đã bị sửa');
  });
});

describe('models: the block comes from the unit or the nearest unit above it', () => {
  it('takes the block of the nearest unit above that has one', async () => {
    const province = await createUnit({ kind: 'province', blockCode: 'dang' });
    const district = await createUnit({ kind: 'district', parentId: province.id, blockCode: null });
    const commune = await createUnit({ kind: 'commune', parentId: district.id, blockCode: null });
    const agency = await createUserWithToken({ role: 'agency', unitId: commune.id });
    const response = await api('POST', '/models', { token: agency.token, body: validModel(commune.id) });
    expect(response.status).to.equal(201);
    expect(response.body.blockCode).to.equal('dang');
    expect((await db().selectFrom('models').select('block_code').where('id', '=', response.body.id).executeTakeFirstOrThrow()).block_code).to.equal('dang');
  });

  it('registers a model with no block when no unit above has one, lists it, and the year report still adds up', async () => {
    const province = await createUnit({ kind: 'province', blockCode: null });
    const commune = await createUnit({ kind: 'commune', parentId: province.id, blockCode: null });
    const blocked = await createUnit({ parentId: province.id, blockCode: 'chinh_quyen' });
    const secretary = await createUserWithToken({ role: 'secretary', unitId: province.id });
    const response = await api('POST', '/models', { token: secretary.token, body: validModel(commune.id, { year: 2024 }) });
    expect(response.status).to.equal(201);
    expect(response.body).to.include({ blockCode: null, blockName: null });
    expect((await api('POST', '/models', { token: secretary.token, body: validModel(blocked.id, { year: 2024 }) })).status).to.equal(201);
    const list = await api('GET', `/models?unitId=${province.id}`, { token: secretary.token });
    expect(list.body.total).to.equal(2);
    const report = await api('GET', `/reports/summary?year=2024&unitId=${province.id}`, { token: secretary.token });
    expect(report.status).to.equal(200);
    expect(report.body.models.registered).to.equal(2);
    const blocks = report.body.models.byBlock.filter((row: { registered: number }) => row.registered > 0);
    expect(blocks.map((row: { code: string; registered: number }) => [row.code, row.registered])).to.deep.equal([['chinh_quyen', 1]]);
    const units = report.body.models.byUnit.map((row: { registered: number }) => row.registered).reduce((a: number, b: number) => a + b, 0);
    expect(units, 'every model counted once under its branch').to.equal(2);
    const page = new Browser();
    await page.login(secretary.username, TEST_PASSWORD);
    expect((await page.get(`/models/${response.body.id}`)).status).to.equal(200);
    expect((await page.get(`/reports?year=2024&unitId=${province.id}`)).status).to.equal(200);
  });
});

describe('model import: ended units and inherited blocks', () => {
  const quoted = (cells: string[]) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',');
  const HEADER = quoted(IMPORT_COLUMNS.map((column) => column.header));
  const csvRow = (unitCode: string, title: string) =>
    quoted(IMPORT_COLUMNS.map((column) => ({ title, unitCode, year: '2024', field: 'nong_thon_moi', kind: 'Mô hình', summary: 'Vận động nhân dân hiến đất làm đường.' } as Record<string, string>)[column.key] ?? ''));
  async function importCsv(token: string, lines: string[]) {
    const form = new FormData();
    form.append('file', new Blob([[HEADER, ...lines].join('\n')], { type: 'text/csv' }), 'mo-hinh.csv');
    const response = await fetch(`${ctx().baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('refuses a row of a unit that ended with reason unit_ended naming the successor, importing nothing', async () => {
    const { successor, ended } = await mergedProvince();
    const admin = await createUserWithToken({ role: 'admin', unitId: successor.id });
    const before = await modelCount();
    const refused = await importCsv(admin.token, [csvRow(successor.code, 'Mô hình của tỉnh mới'), csvRow(ended.code, 'Mô hình của tỉnh đã sáp nhập')]);
    expect(refused.status).to.equal(422);
    const detail = refused.body.error.details.find((d: { field: string }) => d.field === 'rows[3].unitCode');
    expect(detail).to.include({ reason: 'unit_ended' });
    expect(detail.message).to.include('Tỉnh An Giang (thử)');
    expect(await modelCount()).to.equal(before);
  });

  it('imports a row of a unit without a block with the nearest block above it, or none', async () => {
    const province = await createUnit({ kind: 'province', name: 'Tỉnh có khối', blockCode: 'chinh_quyen' });
    const office = await createUnit({ parentId: province.id, name: 'Văn phòng không ghi khối', blockCode: null });
    const loose = await createUnit({ kind: 'organisation', name: 'Tổ chức không khối', blockCode: null });
    const admin = await createUserWithToken({ role: 'admin', unitId: province.id });
    const imported = await importCsv(admin.token, [csvRow(office.code, 'Mô hình của văn phòng'), csvRow(loose.code, 'Mô hình của tổ chức')]);
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    const rows = await db().selectFrom('models').select(['unit_id', 'block_code']).where('unit_id', 'in', [office.id, loose.id]).orderBy('id').execute();
    expect(rows).to.deep.equal([{ unit_id: office.id, block_code: 'chinh_quyen' }, { unit_id: loose.id, block_code: null }]);
  });
});
