// One's own account (/account, PATCH /api/v1/me, POST /api/v1/me/password): every role keeps its own
// notification e-mail, turns e-mails off, chooses its language and changes its password; each write
// audited, bad input refused with every field named and nothing written.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

const NEW_PASSWORD = 'Ruộng lúa chín vàng 2026';

async function stored(id: number) {
  return db().selectFrom('users').select(['email', 'email_notifications', 'language', 'password_hash']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('one\'s own account', () => {
  describe('the API', () => {
    it('PATCH /me sets the address, turns e-mails off and chooses the language, audited; GET /me shows them', async () => {
      const user = await createUserWithToken({ role: 'member' });
      const changed = await api('PATCH', '/me', { token: user.token, body: { email: '  thu.ha@anggiang.gov.vn ', emailNotifications: false, language: 'en' } });
      expect(changed.status).to.equal(200);
      expect(changed.body).to.include({ id: user.id, email: 'thu.ha@anggiang.gov.vn', emailNotifications: false, language: 'en' });
      expect((await api('GET', '/me', { token: user.token })).body).to.include({ email: 'thu.ha@anggiang.gov.vn', emailNotifications: false, language: 'en' });
      expect(await stored(user.id)).to.include({ email: 'thu.ha@anggiang.gov.vn', email_notifications: false, language: 'en' });
      const [row] = (await auditRows('user', user.id)).filter((r) => r.action === 'account.update');
      expect(row!.actor_user_id).to.equal(user.id);
      expect(row!.after).to.include({ email: 'thu.ha@anggiang.gov.vn', email_notifications: false });
      // null removes the address
      expect((await api('PATCH', '/me', { token: user.token, body: { email: null } })).body.email).to.equal(null);
    });

    it('refuses a bad address, an unknown language and a field one may not set (role), naming each, writing nothing', async () => {
      const user = await createUserWithToken({ role: 'agency' });
      const before = await stored(user.id);
      const refused = await api('PATCH', '/me', { token: user.token, body: { email: 'not-an-address', language: 'fr', role: 'admin' } });
      expect(refused.status).to.equal(422);
      const fields = refused.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`);
      expect(fields).to.include.members(['email:invalid_format', 'language:not_allowed_value', 'role:unknown_field']);
      expect(await stored(user.id)).to.deep.equal(before);
      expect((await auditRows('user', user.id)).filter((r) => r.action === 'account.update')).to.have.length(0);
    });

    it('POST /me/password wants the current password, refuses a weak or unchanged one, and ends every token on success', async () => {
      const user = await createUserWithToken({ role: 'secretary', fullName: 'Lê Thị Hồng Gấm' });
      const before = await stored(user.id);
      const wrong = await api('POST', '/me/password', { token: user.token, body: { currentPassword: 'not the one at all', newPassword: NEW_PASSWORD } });
      expect(wrong.status).to.equal(422);
      expect(wrong.body.error.details).to.deep.include({ field: 'currentPassword', reason: 'password_wrong', message: 'Mật khẩu hiện tại không đúng.' });
      const weak = await api('POST', '/me/password', { token: user.token, body: { currentPassword: TEST_PASSWORD, newPassword: `${user.username}-2026-abc` } });
      expect(weak.status).to.equal(422);
      expect(weak.body.error.details[0]).to.include({ field: 'newPassword', reason: 'password_weak' });
      const same = await api('POST', '/me/password', { token: user.token, body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD } });
      expect(same.status).to.equal(422);
      expect(same.body.error.details[0]).to.include({ field: 'newPassword', reason: 'no_change' });
      expect((await stored(user.id)).password_hash, 'nothing written on a refusal').to.equal(before.password_hash);

      const changed = await api('POST', '/me/password', { token: user.token, body: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD } });
      expect(changed.status).to.equal(204);
      expect((await api('GET', '/me', { token: user.token })).status, 'the token it came with has ended').to.equal(401);
      expect((await api('POST', '/tokens', { body: { username: user.username, password: TEST_PASSWORD } })).status).to.equal(401);
      expect((await api('POST', '/tokens', { body: { username: user.username, password: NEW_PASSWORD } })).status).to.equal(201);
      const audit = (await auditRows('user', user.id)).filter((r) => r.action === 'account.password');
      expect(audit).to.have.length(1);
      expect(JSON.stringify(audit[0])).not.to.include(NEW_PASSWORD);
    });
  });

  describe('the page', () => {
    it('shows the stored settings, saves them (an empty address removes it, an unticked box turns e-mails off) and says so', async () => {
      const user = await createUserWithToken({ role: 'printer', fullName: 'Phan Văn Thư' });
      await db().updateTable('users').set({ email: 'van.thu@anggiang.gov.vn' }).where('id', '=', user.id).execute();
      const browser = await signedIn({ username: user.username, password: TEST_PASSWORD });
      const page = await browser.get('/account');
      expect(page.status).to.equal(200);
      expect(page.html).to.include('Tài khoản của tôi').and.include('value="van.thu@anggiang.gov.vn"').and.include('name="emailNotifications" type="checkbox" value="true" checked');
      expect(page.html, 'the header links the account').to.include('href="/account" aria-current="page"');
      const saved = await browser.post('/account', { email: '', language: 'vi' });
      expect(saved.status).to.equal(303);
      expect(saved.location).to.equal('/account');
      expect(await stored(user.id)).to.include({ email: null, email_notifications: false, language: 'vi' });
      expect((await browser.get('/account')).html).to.include('Đã lưu cài đặt tài khoản.');
    });

    it('re-shows a bad address with its message, keeping what was typed, and writes nothing', async () => {
      const user = await createUserWithToken({ role: 'agency' });
      const browser = await signedIn({ username: user.username, password: TEST_PASSWORD });
      const refused = await browser.post('/account', { email: 'thu@', emailNotifications: 'true', language: 'vi' });
      expect(refused.status).to.equal(422);
      expect(refused.html).to.include('id="error-email"').and.include('value="thu@"').and.include('class="error-summary"');
      expect(await stored(user.id)).to.include({ email: null, email_notifications: true });
    });

    it('changes the password: a wrong current one is marked, the settings stay shown; on success every session ends and the login page says why', async () => {
      const user = await createUserWithToken({ role: 'member' });
      await db().updateTable('users').set({ email: 'thanh.vien@anggiang.gov.vn' }).where('id', '=', user.id).execute();
      const browser = await signedIn({ username: user.username, password: TEST_PASSWORD });
      const other = await signedIn({ username: user.username, password: TEST_PASSWORD }); // another device
      const wrong = await browser.post('/account/password', { currentPassword: 'sai mật khẩu rồi', newPassword: NEW_PASSWORD });
      expect(wrong.status).to.equal(422);
      expect(wrong.html).to.include('id="error-currentPassword"').and.include('Mật khẩu hiện tại không đúng.').and.include('value="thanh.vien@anggiang.gov.vn"');
      expect(wrong.html).not.to.include('sai mật khẩu rồi');

      const changed = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
      expect(changed.status).to.equal(303);
      expect(changed.location).to.equal('/login');
      expect((await browser.get('/login')).html).to.include('Đã đổi mật khẩu. Hãy đăng nhập bằng mật khẩu mới.');
      expect((await other.get('/account')).status, 'the other device is signed out').to.equal(303);
      expect((await new Browser().login(user.username, NEW_PASSWORD)).status).to.equal(303);
    });
  });
});
