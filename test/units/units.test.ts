import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';

async function unitCount(): Promise<number> {
  return Number((await db().selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe('units API', () => {
  it('creates a unit with its history, stores it in NFC, and audits it', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const province = await createUnit({ kind: 'province' });
    const successor = await createUnit({ kind: 'agency' });
    const code = `SNV.${uniqueSuffix()}`;
    const response = await api('POST', '/units', {
      token: admin.token,
      body: { code, name: 'Sở Nội vụ tỉnh Kiên Giang'.normalize('NFD'), kind: 'agency', blockCode: 'chinh_quyen', parentId: province.id, validFrom: '2018-01-01', validTo: '2025-06-30', successorId: successor.id },
    });
    expect(response.status).to.equal(201);
    expect(response.body).to.deep.include({ code, name: 'Sở Nội vụ tỉnh Kiên Giang', kind: 'agency', blockCode: 'chinh_quyen', parentId: province.id, validFrom: '2018-01-01', validTo: '2025-06-30', successorId: successor.id });
    const row = await db().selectFrom('units').selectAll().where('id', '=', response.body.id).executeTakeFirstOrThrow();
    expect(row.name).to.equal('Sở Nội vụ tỉnh Kiên Giang'.normalize('NFC'));
    expect(row.valid_to).to.equal('2025-06-30');
    const audit = await auditRows('unit', response.body.id);
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ action: 'unit.create', actor_user_id: admin.id });
    expect(audit[0]?.after).to.deep.include({ code, successor_id: successor.id });
  });

  it('lists every bad field at once with 422 and writes nothing', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const before = await unitCount();
    const response = await api('POST', '/units', {
      token: admin.token,
      body: { code: 'sở nội vụ', name: '', kind: 'ministry', blockCode: 7, parentId: 'abc', validFrom: '31/02/2024', validTo: 'yesterday', successorId: -1, registerNumber: 5 },
    });
    expect(response.status).to.equal(422);
    expect(response.body.error.code).to.equal('validation_failed');
    const fields = response.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).to.deep.equal(['blockCode', 'code', 'kind', 'name', 'parentId', 'registerNumber', 'successorId', 'validFrom', 'validTo'].sort());
    const messages = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(messages.name).to.equal('Tên đơn vị là bắt buộc.');
    expect(messages.validFrom).to.equal('Ngày bắt đầu hiệu lực phải là ngày hợp lệ (ngày/tháng/năm).');
    expect(messages.registerNumber).to.equal('Trường registerNumber không được phép.');
    expect(await unitCount()).to.equal(before);
  });

  it('reports unknown parent, successor and block as bad fields', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const response = await api('POST', '/units', { token: admin.token, body: { code: `X${uniqueSuffix()}`, name: 'Đơn vị mồ côi', kind: 'agency', parentId: 999999, successorId: 999998, blockCode: 'khong_co' } });
    expect(response.status).to.equal(422);
    expect(response.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['parentId', 'successorId', 'blockCode']);
  });

  it('refuses a validTo before validFrom', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const response = await api('POST', '/units', { token: admin.token, body: { code: `X${uniqueSuffix()}`, name: 'Đơn vị', kind: 'agency', validFrom: '2025-07-01', validTo: '2025-06-30' } });
    expect(response.status).to.equal(422);
    expect(response.body.error.details).to.deep.equal([{ field: 'validTo', reason: 'date_order', message: 'Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.' }]);
  });

  it('answers a duplicate code with 409', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const existing = await createUnit();
    const response = await api('POST', '/units', { token: admin.token, body: { code: existing.code, name: 'Trùng mã', kind: 'agency' } });
    expect(response.status).to.equal(409);
    expect(response.body.error.code).to.equal('conflict');
  });

  it('refuses to make a unit its own ancestor or successor (409) and changes nothing', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const parent = await createUnit({ kind: 'province' });
    const child = await createUnit({ parentId: parent.id });
    const cycle = await api('PUT', `/units/${parent.id}`, { token: admin.token, body: { code: parent.code, name: parent.name, kind: 'province', parentId: child.id } });
    expect(cycle.status).to.equal(409);
    const a = await createUnit();
    const b = await createUnit({ successorId: a.id });
    const loop = await api('PUT', `/units/${a.id}`, { token: admin.token, body: { code: a.code, name: a.name, kind: 'agency', successorId: b.id } });
    expect(loop.status).to.equal(409);
    const after = await db().selectFrom('units').select(['parent_id', 'successor_id']).where('id', 'in', [parent.id, a.id]).orderBy('id').execute();
    expect(after).to.deep.equal([{ parent_id: null, successor_id: null }, { parent_id: null, successor_id: null }]);
  });

  it('updates a unit and audits before and after', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const unit = await createUnit({ name: 'Tên cũ' });
    const response = await api('PUT', `/units/${unit.id}`, { token: admin.token, body: { code: unit.code, name: 'Tên mới', kind: 'organisation', validTo: '2025-06-30' } });
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.include({ name: 'Tên mới', kind: 'organisation', validTo: '2025-06-30' });
    const [audit] = await auditRows('unit', unit.id);
    expect(audit?.action).to.equal('unit.update');
    expect(audit?.before).to.deep.include({ name: 'Tên cũ' });
    expect(audit?.after).to.deep.include({ name: 'Tên mới' });
  });

  it('lists the reference blocks and fields', async () => {
    const user = await createUserWithToken({ role: 'agency' });
    const blocks = await api('GET', '/blocks', { token: user.token });
    expect(blocks.body.items).to.deep.include({ code: 'chinh_quyen', name: 'Chính quyền' });
    const fields = await api('GET', '/fields', { token: user.token, language: 'en' });
    expect(fields.body.items).to.deep.include({ code: 'kinh_te', name: 'Economy' });
  });
});

describe('unit pages', () => {
  it('creates a unit through the form and shows it in the list', async () => {
    const admin = await createUser({ role: 'admin' });
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    await browser.get('/admin/units/new');
    const code = `BR.${uniqueSuffix()}`;
    const response = await browser.post('/admin/units', { code: code.toLowerCase(), name: 'Xã Bình An', kind: 'commune', blockCode: 'chinh_quyen', parentId: '', validFrom: '01/07/2025', validTo: '', successorId: '' });
    expect(response.status).to.equal(303);
    expect(response.location, 'to the new unit in the paged list').to.equal(`/admin/units?q=${encodeURIComponent(code)}`);
    const list = await browser.get(response.location!);
    expect(list.html).to.include('Đã tạo đơn vị Xã Bình An.');
    expect(list.html).to.include(code);
    const row = await db().selectFrom('units').select(['valid_from', 'parent_id']).where('code', '=', code).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ valid_from: '2025-07-01', parent_id: null });
  });

  it('re-renders the form with 422, every bad field marked and the input kept, and writes nothing', async () => {
    const admin = await createUser({ role: 'admin' });
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    await browser.get('/admin/units/new');
    const before = await unitCount();
    const response = await browser.post('/admin/units', { code: 'sở nội vụ', name: '', kind: '', validFrom: '31/02/2024', validTo: '' });
    expect(response.status).to.equal(422);
    expect(response.html).to.include('Biểu mẫu có 4 lỗi');
    expect(response.html.match(/aria-invalid="true"/g)).to.have.length(4);
    expect(response.html).to.include('Tên đơn vị là bắt buộc.');
    expect(response.html).to.include('Loại đơn vị là bắt buộc.');
    expect(response.html).to.include('value="sở nội vụ"');
    expect(await unitCount()).to.equal(before);
  });

  it('shows the form errors in English for a user who chose English', async () => {
    const admin = await createUser({ role: 'admin' });
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    expect((await browser.get('/language/en?next=/admin/units/new')).location).to.equal('/admin/units/new');
    const form = await browser.get('/admin/units/new');
    expect(form.html).to.include('<html lang="en">');
    const response = await browser.post('/admin/units', { code: '', name: '', kind: 'agency' });
    expect(response.html).to.include('Unit code is required.');
    expect(response.html).to.include('Unit name is required.');
  });

  it('edits a unit through the form and marks it as merged', async () => {
    const admin = await createUser({ role: 'admin' });
    const successor = await createUnit({ name: 'Phường Rạch Giá thử' });
    const unit = await createUnit({ name: 'Phường Vĩnh Thanh Vân thử', kind: 'commune' });
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    const form = await browser.get(`/admin/units/${unit.id}/edit`);
    expect(form.html).to.include('value="Phường Vĩnh Thanh Vân thử"');
    const response = await browser.post(`/admin/units/${unit.id}`, { code: unit.code, name: unit.name, kind: 'commune', validTo: '30/06/2025', successorId: String(successor.id) });
    expect(response.status).to.equal(303);
    const list = await browser.get(`/admin/units?ended=1&q=${encodeURIComponent('vinh thanh van thu')}`);
    expect(list.html).to.include('Sáp nhập vào Phường Rạch Giá thử');
    expect(list.html).to.include('30/06/2025');
  });
});
