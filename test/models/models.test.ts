import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUser, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';

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

describe('model registry API', () => {
  it('registers a model with a readable code, the unit\'s block, status registered, and an audit row', async () => {
    const unit = await createUnit({ blockCode: 'mat_tran_doan_the' });
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const response = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Dân vận khéo'.normalize('NFD') + ' ở ấp', startedOn: '2024-03-01' }) });
    expect(response.status).to.equal(201);
    expect(response.body.code).to.match(/^MH-2024-\d{6}$/);
    expect(response.body).to.deep.include({ status: 'registered', blockCode: 'mat_tran_doan_the', unitId: unit.id, startedOn: '2024-03-01', title: 'Dân vận khéo ở ấp' });
    const row = await db().selectFrom('models').select(['title', 'status', 'created_by']).where('id', '=', response.body.id).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ title: 'Dân vận khéo ở ấp'.normalize('NFC'), status: 'registered', created_by: agency.id });
    const [audit] = await auditRows('model', response.body.id);
    expect(audit).to.include({ action: 'model.register', actor_user_id: agency.id });
  });

  it('numbers exemplars separately and never repeats a code', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const codes = await Promise.all(Array.from({ length: 6 }, (_, i) => api('POST', '/models', { token: agency.token, body: validModel(unit.id, { kind: i % 2 ? 'exemplar' : 'model', year: 2019 }) }).then((r) => r.body.code as string)));
    expect(new Set(codes).size).to.equal(6);
    expect(codes.filter((code) => code.startsWith('DH-2019-'))).to.have.length(3);
  });

  it('takes the replicated model by its code (any case) as well as its id, within the caller\'s units, else 422 unknown_reference', async () => {
    const unit = await createUnit();
    const other = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const outsider = await createUserWithToken({ role: 'agency', unitId: other.id });
    const original = (await api('POST', '/models', { token: agency.token, body: validModel(unit.id) })).body as { id: number; code: string };
    const foreign = (await api('POST', '/models', { token: outsider.token, body: validModel(other.id) })).body as { id: number; code: string };
    const byCode = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { replicatesModelId: ` ${original.code.toLowerCase()} ` }) });
    expect(byCode.status).to.equal(201);
    expect(byCode.body.replicatesModelId).to.equal(original.id);
    const [audit] = await auditRows('model', byCode.body.id);
    expect(audit).to.include({ action: 'model.register' });
    expect((await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { replicatesModelId: String(original.id) }) })).body.replicatesModelId).to.equal(original.id);
    const before = await modelCount();
    const outside = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { replicatesModelId: foreign.code }) });
    expect(outside.status).to.equal(422);
    expect(outside.body.error.details).to.deep.equal([{ field: 'replicatesModelId', reason: 'unknown_reference', message: outside.body.error.details[0].message }]);
    const unknown = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { replicatesModelId: 'MH-1999-999999' }) });
    expect(unknown.status).to.equal(422);
    expect(unknown.body.error.details[0]).to.include({ field: 'replicatesModelId', reason: 'unknown_reference' });
    const malformed = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { replicatesModelId: 'mô hình 8' }) });
    expect(malformed.body.error.details[0]).to.deep.equal({ field: 'replicatesModelId', reason: 'invalid_format', message: 'Mô hình được nhân rộng phải là mã mô hình, điển hình như MH-2024-000008 hoặc DH-2024-000003.' });
    expect(await modelCount()).to.equal(before);
    // Editing: the code in, the id stored; itself by code is refused as by id.
    const edited = await api('PATCH', `/models/${byCode.body.id}`, { token: agency.token, body: { replicatesModelId: byCode.body.code } });
    expect(edited.status).to.equal(422);
    expect((await api('PATCH', `/models/${byCode.body.id}`, { token: agency.token, body: { replicatesModelId: null } })).body.replicatesModelId).to.equal(null);
    expect((await api('PATCH', `/models/${byCode.body.id}`, { token: agency.token, body: { replicatesModelId: original.code } })).body.replicatesModelId).to.equal(original.id);
  });

  it('lists every bad field with 422 in Vietnamese and writes nothing', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const before = await modelCount();
    const response = await api('POST', '/models', {
      token: agency.token,
      body: { title: 'ab', unitId: 'x', year: 1990, fieldCode: 'Kinh Tế', kind: 'program', summary: '', startedOn: '2024-02-30', replicatesModelId: 0, status: 'recognized' },
    });
    expect(response.status).to.equal(422);
    const messages = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(Object.keys(messages).sort()).to.deep.equal(['fieldCode', 'kind', 'replicatesModelId', 'startedOn', 'status', 'summary', 'title', 'unitId', 'year']);
    expect(messages.title).to.equal('Tên mô hình, điển hình phải có ít nhất 3 ký tự.');
    expect(messages.year).to.equal('Năm đăng ký không được nhỏ hơn 2000.');
    expect(messages.kind).to.equal('Loại (mô hình hay điển hình): chọn một trong Mô hình, Điển hình.');
    expect(messages.summary).to.equal('Nội dung tóm tắt là bắt buộc.');
    expect(await modelCount()).to.equal(before);
  });

  it('treats a unit outside the caller\'s scope as unknown (422) and writes nothing', async () => {
    const own = await createUnit();
    const other = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: own.id });
    const before = await modelCount();
    const response = await api('POST', '/models', { token: agency.token, body: validModel(other.id, { fieldCode: 'khong_co' }) });
    expect(response.status).to.equal(422);
    expect(response.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['unitId', 'fieldCode']);
    expect(await modelCount()).to.equal(before);
  });

  it('moves a model through its life with progress reports, and answers illegal moves with 409', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const secretary = await createUserWithToken({ role: 'secretary', unitId: unit.id });
    const { body: model } = await api('POST', '/models', { token: agency.token, body: validModel(unit.id) });
    const report = (token: string, status: string, extra: Record<string, unknown> = {}) =>
      api('POST', `/models/${model.id}/reports`, { token, body: { status, reportedOn: '2024-06-01', note: 'Đã triển khai tại 3 ấp', ...extra } });

    const skip = await report(agency.token, 'completed');
    expect(skip.status).to.equal(409);
    expect(skip.body.error.code).to.equal('conflict');
    const started = await report(agency.token, 'implementing', { peopleReached: 1250, fundsVnd: 350000000, workdays: 900 });
    expect(started.status).to.equal(201);
    expect(started.body).to.deep.include({ fromStatus: 'registered', status: 'implementing', peopleReached: 1250, fundsVnd: 350000000 });
    expect((await report(agency.token, 'implementing')).status, 'a progress update keeps the status').to.equal(201);
    expect((await report(agency.token, 'completed')).status).to.equal(201);
    expect((await report(agency.token, 'recognized')).status, 'recognition is the committee\'s').to.equal(403);
    expect((await report(secretary.token, 'recognized')).status).to.equal(201);
    expect((await report(secretary.token, 'discontinued')).status, 'a recognised model is closed').to.equal(409);

    const detail = await api('GET', `/models/${model.id}`, { token: agency.token });
    expect(detail.body.status).to.equal('recognized');
    expect(detail.body.reports.map((r: { status: string }) => r.status)).to.deep.equal(['implementing', 'implementing', 'completed', 'recognized']);
    const audit = await auditRows('model', model.id);
    expect(audit.filter((row) => row.action === 'model.report')).to.have.length(4);
  });

  it('applies one of two simultaneous identical moves and refuses the other', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const { body: model } = await api('POST', '/models', { token: agency.token, body: validModel(unit.id) });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api('POST', `/models/${model.id}/reports`, { token: agency.token, body: { status: 'discontinued', reportedOn: '2024-06-01', note: 'Dừng do thiếu kinh phí' } })),
    );
    expect(results.filter((r) => r.status === 201)).to.have.length(1);
    expect(results.filter((r) => r.status === 409)).to.have.length(9);
    const reports = await db().selectFrom('model_reports').select('id').where('model_id', '=', model.id).execute();
    expect(reports).to.have.length(1);
  });

  it('finds models ignoring case and diacritics', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Mô hình "Dân vận khéo" của Đặng Văn Lành' }) });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Tuyến đường tự quản', summary: 'Chi hội phụ nữ ấp 3 vận động trồng hoa.' }) });
    for (const q of ['dan van kheo', 'DÂN VẬN KHÉO', 'dang van lanh', 'Đặng']) {
      const found = await api('GET', `/models?unitId=${unit.id}&q=${encodeURIComponent(q)}`, { token: agency.token });
      expect(found.body.total, q).to.equal(1);
      expect(found.body.items[0].title).to.include('Đặng Văn Lành');
    }
    const bySummary = await api('GET', `/models?unitId=${unit.id}&q=${encodeURIComponent('phu nu')}`, { token: agency.token });
    expect(bySummary.body.total).to.equal(1);
    const wildcard = await api('GET', `/models?unitId=${unit.id}&q=${encodeURIComponent('%')}`, { token: agency.token });
    expect(wildcard.body.total, '% is a literal character, not a wildcard').to.equal(0);
  });

  it('filters by year, field, block, status and kind, with counts by status', async () => {
    const unit = await createUnit({ blockCode: 'dang' });
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { year: 2018, fieldCode: 'kinh_te' }) });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { year: 2018, fieldCode: 'van_hoa_xa_hoi', kind: 'exemplar' }) });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { year: 2019, fieldCode: 'kinh_te', blockCode: 'chinh_quyen' }) });
    const get = async (query: string) => (await api('GET', `/models?unitId=${unit.id}&${query}`, { token: agency.token })).body;
    expect((await get('year=2018')).total).to.equal(2);
    expect((await get('fieldCode=kinh_te')).total).to.equal(2);
    expect((await get('blockCode=dang')).total).to.equal(2);
    expect((await get('kind=exemplar')).total).to.equal(1);
    expect((await get('status=registered')).byStatus).to.deep.equal({ registered: 3 });
    const paged = await get('limit=2&sort=year');
    expect(paged.items).to.have.length(2);
    expect(paged.items[0].year).to.equal(2019);
    const next = (await api('GET', `/models?unitId=${unit.id}&limit=2&sort=year&cursor=${paged.nextCursor}`, { token: agency.token })).body;
    expect(next.items).to.have.length(1);
    expect(next.nextCursor).to.equal(null);
    expect((await api('GET', '/models?sort=drop_table', { token: agency.token })).status).to.equal(422);
  });

  it('hides other units\' models (404, absent from lists) and shows child units\' models', async () => {
    const parent = await createUnit({ kind: 'province' });
    const child = await createUnit({ parentId: parent.id });
    const other = await createUnit();
    const admin = await createUserWithToken({ role: 'admin' });
    const inChild = await api('POST', '/models', { token: admin.token, body: validModel(child.id, { title: 'Mô hình của đơn vị con' }) });
    const inOther = await api('POST', '/models', { token: admin.token, body: validModel(other.id, { title: 'Mô hình đánh dấu đơn vị khác' }) });
    const parentUser = await createUserWithToken({ role: 'agency', unitId: parent.id });
    const childUser = await createUserWithToken({ role: 'agency', unitId: child.id });
    expect((await api('GET', `/models/${inChild.body.id}`, { token: parentUser.token })).status, 'child from parent').to.equal(200);
    expect((await api('GET', `/models/${inChild.body.id}`, { token: childUser.token })).status, 'own').to.equal(200);
    expect((await api('GET', `/models/${inOther.body.id}`, { token: parentUser.token })).status, 'other').to.equal(404);
    expect((await api('PATCH', `/models/${inOther.body.id}`, { token: parentUser.token, body: { title: 'Sửa trộm' } })).status).to.equal(404);
    expect((await api('POST', `/models/${inOther.body.id}/reports`, { token: parentUser.token, body: { status: 'implementing', reportedOn: '2024-01-01', note: 'trộm' } })).status).to.equal(404);
    const list = await api('GET', `/models?q=${encodeURIComponent('đánh dấu đơn vị khác')}`, { token: parentUser.token });
    expect(list.body.total).to.equal(0);
    const filteredToOther = await api('GET', `/models?unitId=${other.id}`, { token: parentUser.token });
    expect(filteredToOther.body.total, 'a filter cannot widen the scope').to.equal(0);
    const row = await db().selectFrom('models').select('title').where('id', '=', inOther.body.id).executeTakeFirstOrThrow();
    expect(row.title).to.equal('Mô hình đánh dấu đơn vị khác');
  });

  it('finds the records of a unit merged in 2025 through its successor, each under the name it had', async () => {
    const newProvince = await createUnit({ kind: 'province', name: 'Tỉnh An Giang (thử)', validFrom: '2025-07-01' });
    const oldProvince = await createUnit({ kind: 'province', name: 'Tỉnh Kiên Giang (thử)', validTo: '2025-06-30', successorId: newProvince.id });
    const oldCommune = await createUnit({ kind: 'commune', name: 'Xã Mong Thọ A (thử)', parentId: oldProvince.id });
    const newCommune = await createUnit({ kind: 'commune', name: 'Xã Châu Thành (thử)', parentId: newProvince.id, validFrom: '2025-07-01' });
    const admin = await createUserWithToken({ role: 'admin' });
    // Registered in 2019, while the commune was in force; an ended unit takes no new model.
    await api('POST', '/models', { token: admin.token, body: validModel(oldCommune.id, { year: 2019 }) });
    await db().updateTable('units').set({ successor_id: newCommune.id, valid_to: '2025-06-30' }).where('id', '=', oldCommune.id).execute();
    await api('POST', '/models', { token: admin.token, body: validModel(newCommune.id, { year: 2025 }) });
    for (const unitId of [newProvince.id, newCommune.id]) {
      const list = await api('GET', `/models?unitId=${unitId}&sort=year`, { token: admin.token });
      expect(list.body.total, `filter on ${unitId}`).to.equal(2);
      expect(list.body.items.map((m: { unitName: string }) => m.unitName)).to.deep.equal(['Xã Châu Thành (thử)', 'Xã Mong Thọ A (thử)']);
    }
    const oldOnly = await api('GET', `/models?unitId=${oldProvince.id}`, { token: admin.token });
    expect(oldOnly.body.total, 'the merged unit itself covers its own records').to.equal(1);
    const successorUser = await createUserWithToken({ role: 'agency', unitId: newProvince.id });
    expect((await api('GET', '/models', { token: successorUser.token })).body.total, 'scope of the successor').to.equal(2);
  });

  it('edits a model, audits before and after, and refuses a member', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const member = await createUserWithToken({ role: 'member', unitId: unit.id });
    const { body: model } = await api('POST', '/models', { token: agency.token, body: validModel(unit.id) });
    expect((await api('PATCH', `/models/${model.id}`, { token: member.token, body: { title: 'Không được sửa' } })).status).to.equal(403);
    const response = await api('PATCH', `/models/${model.id}`, { token: agency.token, body: { title: 'Tên mới của mô hình', goals: 'Hoàn thành 20 km' } });
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.include({ title: 'Tên mới của mô hình', goals: 'Hoàn thành 20 km', status: 'registered' });
    expect((await api('PATCH', `/models/${model.id}`, { token: agency.token, body: { status: 'recognized' } })).status).to.equal(422);
    const update = (await auditRows('model', model.id)).find((row) => row.action === 'model.update');
    expect(update?.before).to.deep.include({ title: validModel(unit.id).title });
    expect(update?.after).to.deep.include({ title: 'Tên mới của mô hình' });
  });
});

describe('model registry pages', () => {
  it('registers through the form, shows every bad field first, then lists and reports progress', async () => {
    const unit = await createUnit({ name: 'Hội Nông dân xã thử' });
    const user = await createUser({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    await browser.get('/models/new');
    const before = await modelCount();
    const bad = await browser.post('/models', { title: '', unitId: String(unit.id), year: '2024', kind: 'model', fieldCode: '', summary: 'ngắn', startedOn: '30/02/2024' });
    expect(bad.status).to.equal(422);
    expect(bad.html).to.include('Biểu mẫu có 4 lỗi');
    expect(bad.html).to.include('Tên mô hình, điển hình là bắt buộc.');
    expect(await modelCount()).to.equal(before);
    const good = await browser.post('/models', { title: 'Nông dân giúp nhau thoát nghèo', unitId: String(unit.id), year: '2024', kind: 'model', fieldCode: 'kinh_te', summary: 'Hội viên góp vốn xoay vòng, giúp 35 hộ thoát nghèo.', startedOn: '15/03/2024' });
    expect(good.status).to.equal(303);
    const page = await browser.get(good.location as string);
    expect(page.html).to.include('Đã đăng ký MH-2024-');
    expect(page.html).to.include('15/03/2024');
    const id = (good.location as string).split('/').pop();
    const moved = await browser.post(`/models/${id}/reports`, { status: 'implementing', reportedOn: '01/04/2024', note: 'Đã giải ngân vòng 1', peopleReached: '1250', fundsVnd: '350000000', workdays: '' });
    expect(moved.status).to.equal(303);
    const detail = await browser.get(`/models/${id}`);
    expect(detail.html).to.include('1.250 người · 350.000.000 đồng');
    const list = await browser.get(`/models?q=${encodeURIComponent('nong dan giup nhau')}`);
    expect(list.html).to.include('Nông dân giúp nhau thoát nghèo');
    expect(list.html).to.include('Tìm thấy 1 mô hình');
  });

  it('reads figures typed the Vietnamese way ("1.200" people, "15.000.000" đồng), refuses "1,2,3" with the field named, and takes "1.200" from the API', async () => {
    const unit = await createUnit();
    const user = await createUser({ role: 'agency', unitId: unit.id });
    const admin = await createUserWithToken({ role: 'admin' });
    const { body: model } = await api('POST', '/models', { token: admin.token, body: validModel(unit.id) });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    await browser.get(`/models/${model.id}`);
    const reports = () => db().selectFrom('model_reports').selectAll().where('model_id', '=', model.id).orderBy('id').execute();

    const typed = { status: 'implementing', reportedOn: '01/04/2024', note: 'Vận động đợt 1', peopleReached: '1,2,3', fundsVnd: '15.000.000', workdays: '2,5' };
    const refused = await browser.post(`/models/${model.id}/reports`, typed);
    expect(refused.status).to.equal(422);
    expect(refused.html).to.include('Biểu mẫu có 2 lỗi');
    expect(refused.html).to.include('Số người được vận động, hưởng lợi phải là một số.');
    expect(refused.html).to.include('Ngày công huy động phải là số nguyên.');
    // The form comes back with what was typed.
    for (const value of ['1,2,3', '15.000.000', '2,5']) expect(refused.html).to.include(`value="${value}"`);
    expect(await reports()).to.have.length(0);

    const saved = await browser.post(`/models/${model.id}/reports`, { ...typed, peopleReached: '1.200', workdays: '2 500' });
    expect(saved.status).to.equal(303);
    const [row] = await reports();
    expect({ people: row!.people_reached, funds: Number(row!.funds_vnd), workdays: row!.workdays }).to.deep.equal({ people: 1200, funds: 15_000_000, workdays: 2500 });
    expect((await auditRows('model', String(model.id))).at(-1)).to.include({ action: 'model.report', actor_user_id: user.id });
    expect((await browser.get(`/models/${model.id}`)).html).to.include('1.200 người · 15.000.000 đồng');

    // The API: JSON numbers as always, and a string is read by the same rule.
    const byApi = await api('POST', `/models/${model.id}/reports`, { token: admin.token, body: { status: 'implementing', reportedOn: '2024-05-01', note: 'Đợt 2', peopleReached: '1.200', fundsVnd: 2_500_000 } });
    expect(byApi.status).to.equal(201);
    expect(byApi.body).to.deep.include({ peopleReached: 1200, fundsVnd: 2_500_000 });
    const bad = await api('POST', `/models/${model.id}/reports`, { token: admin.token, body: { status: 'implementing', reportedOn: '2024-05-01', note: 'Đợt 3', peopleReached: '1,2,3' } });
    expect(bad.status).to.equal(422);
    const problems: { field: string; reason: string; message: string }[] = bad.body.error.details;
    expect(problems.map((p) => [p.field, p.reason])).to.deep.equal([['peopleReached', 'not_a_number']]);
    expect(problems[0]!.message).to.include('Số người được vận động, hưởng lợi');
    expect(await reports()).to.have.length(2);
  });

  it('edits a model through its form, clearing an emptied field, audited; another unit\'s model is 404', async () => {
    const unit = await createUnit();
    const other = await createUnit();
    const user = await createUser({ role: 'agency', unitId: unit.id });
    const admin = await createUserWithToken({ role: 'admin' });
    const { body: model } = await api('POST', '/models', { token: admin.token, body: validModel(unit.id, { goals: 'Mục tiêu cũ', contact: 'Chị Lan' }) });
    const { body: foreign } = await api('POST', '/models', { token: admin.token, body: validModel(other.id) });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const form = await browser.get(`/models/${model.id}/edit`);
    expect(form.html).to.include('value="Chị Lan"');
    const response = await browser.post(`/models/${model.id}`, { title: 'Tên đã sửa qua biểu mẫu', unitId: String(unit.id), year: '2024', kind: 'model', fieldCode: 'nong_thon_moi', summary: validModel(unit.id).summary, goals: '', contact: 'Anh Minh' });
    expect(response.status).to.equal(303);
    const row = await db().selectFrom('models').select(['title', 'goals', 'contact']).where('id', '=', model.id).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ title: 'Tên đã sửa qua biểu mẫu', goals: null, contact: 'Anh Minh' });
    expect((await auditRows('model', model.id)).map((a) => a.action)).to.include('model.update');
    // "Nhân rộng từ mô hình" takes the original's code, and the form shows it back as a code.
    const { body: original } = await api('POST', '/models', { token: admin.token, body: validModel(unit.id) });
    const replicated = await browser.post(`/models/${model.id}`, { title: 'Tên đã sửa qua biểu mẫu', unitId: String(unit.id), year: '2024', kind: 'model', fieldCode: 'nong_thon_moi', summary: validModel(unit.id).summary, replicatesModelId: original.code });
    expect(replicated.status).to.equal(303);
    expect((await db().selectFrom('models').select('replicates_model_id').where('id', '=', model.id).executeTakeFirstOrThrow()).replicates_model_id).to.equal(original.id);
    expect((await browser.get(`/models/${model.id}/edit`)).html).to.include(`value="${original.code}"`).and.include('ví dụ MH-2024-000008');
    expect((await browser.get(`/models/${foreign.id}/edit`)).status).to.equal(404);
    expect((await browser.post(`/models/${foreign.id}`, { title: 'Sửa trộm', unitId: String(unit.id), year: '2024', kind: 'model', fieldCode: 'kinh_te', summary: 'Không được phép sửa.' })).status).to.equal(404);
  });
});
