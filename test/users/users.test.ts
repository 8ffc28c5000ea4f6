import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';

describe('users', () => {
  it('lets an admin create a user who can then log in with the right role, audited without the password', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const unit = await createUnit({ name: 'Sở Giáo dục và Đào tạo thử' });
    const username = `canbo.${uniqueSuffix().toLowerCase()}`;
    const response = await api('POST', '/users', { token: admin.token, body: { username, password: 'Mật-khẩu-mới-2025', fullName: 'Đặng Minh Khôi', role: 'agency', unitId: unit.id } });
    expect(response.status).to.equal(201);
    expect(response.body).to.deep.include({ username, fullName: 'Đặng Minh Khôi', role: 'agency', unitId: unit.id, disabled: false });
    expect(response.body).to.not.have.property('passwordHash');
    const [audit] = await auditRows('user', response.body.id);
    expect(audit).to.include({ action: 'user.create', actor_user_id: admin.id });
    expect(JSON.stringify(audit?.after)).to.not.include('scrypt');

    const token = await api('POST', '/tokens', { body: { username, password: 'Mật-khẩu-mới-2025' } });
    expect(token.status).to.equal(201);
    expect(token.body.user).to.deep.include({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(username, 'Mật-khẩu-mới-2025');
    const home = await browser.get('/');
    expect(home.html).to.include('Đăng ký mô hình, điển hình');
    expect(home.html).to.include('Cán bộ đơn vị');
  });

  it('lists every bad field with 422 and writes nothing', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const before = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const response = await api('POST', '/users', { token: admin.token, body: { username: 'Đặng Khôi', password: 'short', fullName: 'K\u202Eiôhk', role: 'boss', unitId: 0, isAdmin: true } });
    expect(response.status).to.equal(422);
    const messages = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(Object.keys(messages).sort()).to.deep.equal(['fullName', 'isAdmin', 'password', 'role', 'unitId', 'username']);
    expect(messages.password).to.equal('Mật khẩu phải có ít nhất 10 ký tự.');
    expect(messages.fullName).to.equal('Họ và tên chứa ký tự điều khiển hoặc ký tự ẩn không được phép.');
    // The choices by their labels, not their codes.
    expect(messages.role).to.equal('Vai trò: chọn một trong Quản trị hệ thống, Cán bộ đơn vị, Thư ký Hội đồng, Thành viên Hội đồng, Văn thư in bằng khen.');
    const after = await db().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).to.equal(before.n);
  });

  it('answers a username that is taken (in any case) with 409', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const existing = await createUser({ role: 'member' });
    const response = await api('POST', '/users', { token: admin.token, body: { username: existing.username.toUpperCase(), password: 'Mật-khẩu-mới-2025', fullName: 'Trùng tên', role: 'member', unitId: existing.unit_id } });
    expect(response.status).to.equal(409);
  });

  it('answers an unknown unit as a bad unitId field', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const response = await api('POST', '/users', { token: admin.token, body: { username: `x${uniqueSuffix().toLowerCase()}`, password: 'Mật-khẩu-mới-2025', fullName: 'Không đơn vị', role: 'member', unitId: 999999 } });
    expect(response.status).to.equal(422);
    expect(response.body.error.details).to.deep.equal([{ field: 'unitId', reason: 'unknown_reference', message: 'Không tìm thấy Đơn vị.' }]);
  });

  it('disabling a user ends their sessions and tokens at once, and is audited', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const user = await createUserWithToken({ role: 'agency' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const response = await api('PATCH', `/users/${user.id}`, { token: admin.token, body: { disabled: true } });
    expect(response.status).to.equal(200);
    expect(response.body.disabled).to.equal(true);
    expect((await browser.get('/')).status).to.equal(303);
    expect((await api('GET', '/me', { token: user.token })).status).to.equal(401);
    expect((await api('POST', '/tokens', { body: { username: user.username, password: TEST_PASSWORD } })).status).to.equal(401);
    const [audit] = await auditRows('user', user.id).then((rows) => rows.filter((row) => row.action === 'user.update'));
    expect(audit?.before).to.deep.include({ disabled_at: null });
  });

  it('creates a user through the admin form, and re-renders it with every error on bad input', async () => {
    const admin = await createUser({ role: 'admin' });
    const unit = await createUnit();
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    await browser.get('/admin/users/new');
    const bad = await browser.post('/admin/users', { username: 'a', password: 'short', fullName: '', role: '', unitId: '', language: 'vi' });
    expect(bad.status).to.equal(422);
    expect(bad.html).to.include('Biểu mẫu có 5 lỗi');
    const username = `moi.${uniqueSuffix().toLowerCase()}`;
    const good = await browser.post('/admin/users', { username, password: 'Mật-khẩu-mới-2025', fullName: 'Lê Thị Ngọc Ánh', role: 'member', unitId: String(unit.id), language: 'en' });
    expect(good.status).to.equal(303);
    expect((await browser.get('/admin/users')).html).to.include(username);
    const created = await new Browser().login(username, 'Mật-khẩu-mới-2025');
    expect(created.status).to.equal(303);
  });

  it('edits a user through the form: role, unit and a new password', async () => {
    const admin = await createUser({ role: 'admin' });
    const user = await createUser({ role: 'member' });
    const newUnit = await createUnit();
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    await browser.get(`/admin/users/${user.id}/edit`);
    const response = await browser.post(`/admin/users/${user.id}`, { fullName: 'Tên đã sửa', role: 'printer', unitId: String(newUnit.id), language: 'vi', password: 'Mật-khẩu-khác-2025' });
    expect(response.status).to.equal(303);
    const row = await db().selectFrom('users').select(['full_name', 'role', 'unit_id']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row).to.deep.equal({ full_name: 'Tên đã sửa', role: 'printer', unit_id: newUnit.id });
    expect((await new Browser().login(user.username, 'Mật-khẩu-khác-2025')).status).to.equal(303);
  });
});
