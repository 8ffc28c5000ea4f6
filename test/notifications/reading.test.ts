// Reading one's notifications: the API list (unread only on request, paged), marking one read (one's
// own only: another user's is 404, anonymous 401), the page with its open-and-go forms and "mark all
// read", the bell's count on every page; the e-mail address on accounts and the mail settings.
import { expect } from 'chai';
import { loadConfig } from '../../server/config.ts';
import { createCommittee, individual, openRound, submitted } from '../support/awards.ts';
import { db, testConfig } from '../support/context.ts';
import { auditRows, createUserWithToken } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

/** A committee whose agency has `count` returned nominations (newest last), so `count` unread notifications. */
async function withReturned(count: number) {
  const committee = await createCommittee();
  const round = await openRound(committee);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: `Người được đề nghị số ${i + 1}` }));
    expect((await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: `Lý do ${i + 1}` } })).status).to.equal(200);
    ids.push(id);
  }
  return { committee, round, ids };
}

describe('notifications: reading them', function () {
  this.timeout(90_000);

  it('lists newest first, unread only on request, a page at a time; marks one read (own: 200, again: unchanged, another user\'s: 404, anonymous: 401)', async () => {
    const { committee, ids } = await withReturned(3);
    const list = await api('GET', '/notifications', { token: committee.agency.token });
    expect(list.status).to.equal(200);
    expect(list.body).to.include({ total: 3, unread: 3, nextCursor: null });
    expect(list.body.items.map((item: { params: { nominationId: number } }) => item.params.nominationId)).to.deep.equal([...ids].reverse());

    const first = await api('GET', '/notifications?limit=2', { token: committee.agency.token });
    expect(first.body.items).to.have.length(2);
    expect(first.body.nextCursor).to.be.a('string');
    const rest = await api('GET', `/notifications?limit=2&cursor=${first.body.nextCursor}`, { token: committee.agency.token });
    expect(rest.body.items.map((item: { params: { nominationId: number } }) => item.params.nominationId)).to.deep.equal([ids[0]]);
    expect(rest.body.nextCursor).to.equal(null);

    const target = list.body.items[1].id as number;
    const read = await api('POST', `/notifications/${target}/read`, { token: committee.agency.token });
    expect(read.status).to.equal(200);
    expect(read.body).to.include({ id: target, read: true });
    expect(read.body.readAt).to.be.a('string');
    const stored = await db().selectFrom('notifications').select('read_at').where('id', '=', target).executeTakeFirstOrThrow();
    expect(stored.read_at).to.be.instanceOf(Date);
    expect((await auditRows('notification', target)).map((row) => [row.action, row.actor_user_id])).to.deep.equal([['notification.read', committee.agency.id]]);
    // Read again: the same answer, the first reading time kept, no second audit row.
    const again = await api('POST', `/notifications/${target}/read`, { token: committee.agency.token });
    expect(again.status).to.equal(200);
    expect(again.body.readAt).to.equal(read.body.readAt);
    expect(await auditRows('notification', target)).to.have.length(1);

    const unread = await api('GET', '/notifications?unread=true', { token: committee.agency.token });
    expect(unread.body).to.include({ total: 2, unread: 2 });
    expect(unread.body.items.map((item: { id: number }) => item.id)).to.not.include(target);

    // Another user's notification does not exist for the caller, whoever the caller is.
    const admin = await createUserWithToken({ role: 'admin' });
    for (const other of [committee.otherAgency, committee.secretary, admin]) {
      const answer = await api('POST', `/notifications/${list.body.items[0].id}/read`, { token: other.token });
      expect(answer.status, `user ${other.id}`).to.equal(404);
      expect(answer.body.error.code).to.equal('not_found');
      expect((await api('GET', '/notifications', { token: other.token })).body.items.map((item: { id: number }) => item.id)).to.not.include(list.body.items[0].id);
    }
    expect((await db().selectFrom('notifications').select('read_at').where('id', '=', list.body.items[0].id).executeTakeFirstOrThrow()).read_at).to.equal(null);
    expect((await api('POST', '/notifications/2147483000/read', { token: committee.agency.token })).status).to.equal(404);
    expect((await api('GET', '/notifications')).status).to.equal(401);
    expect((await api('POST', `/notifications/${target}/read`)).status).to.equal(401);
    expect((await api('GET', '/notifications?unread=perhaps', { token: committee.agency.token })).status).to.equal(422);

    const all = await api('POST', '/notifications/read-all', { token: committee.agency.token });
    expect(all.body).to.deep.equal({ marked: 2 });
    expect((await api('GET', '/notifications?unread=true', { token: committee.agency.token })).body.total).to.equal(0);
  });

  it('shows the bell with the unread count on every page, lists them on /notifications, and opening one marks it read and lands on its page', async () => {
    const { committee, ids } = await withReturned(3);
    const agency = await db().selectFrom('users').select('username').where('id', '=', committee.agency.id).executeTakeFirstOrThrow();
    const browser = await signedIn({ username: agency.username, password: committee.agency.password });
    const home = await browser.get('/');
    expect(home.html).to.match(/<a class="bell" href="\/notifications">[^]*<span class="visually-hidden bell__label">Thông báo \(3 chưa đọc\)<\/span>/);
    expect(home.html).to.match(/<span class="bell__badge" aria-hidden="true">3<\/span>/);

    const page = await browser.get('/notifications');
    expect(page.status).to.equal(200);
    expect(page.html).to.include('<h1>Thông báo</h1>');
    expect(page.html).to.include('3 thông báo, 3 chưa đọc');
    expect(page.html).to.include('Hồ sơ &quot;Người được đề nghị số 3&quot;');
    expect(page.html.indexOf('số 3')).to.be.lessThan(page.html.indexOf('số 1&quot;')); // newest first
    expect(page.html).to.include('Đánh dấu tất cả đã đọc');
    const [newest] = await db().selectFrom('notifications').select('id').where('user_id', '=', committee.agency.id).orderBy('id', 'desc').limit(1).execute();
    expect(page.html).to.include(`action="/notifications/${newest!.id}/open"`);

    const opened = await browser.post(`/notifications/${newest!.id}/open`);
    expect(opened.status).to.equal(303);
    expect(opened.location).to.equal(`/nominations/${ids[2]}`);
    const landed = await browser.get(opened.location!);
    expect(landed.status).to.equal(200);
    expect(landed.html).to.include('bell__label">Thông báo (2 chưa đọc)</span>');

    // Without the form's token nothing is marked; another user's notification is not found.
    expect((await browser.post(`/notifications/${newest!.id}/open`, { _csrf: null })).status).to.equal(403);
    const [others] = await db().selectFrom('notifications').select('id').where('user_id', '<>', committee.agency.id).limit(1).execute();
    if (others) expect((await browser.post(`/notifications/${others.id}/open`)).status).to.equal(404);

    const all = await browser.post('/notifications/read-all');
    expect(all.status).to.equal(303);
    const after = await browser.get('/notifications');
    expect(after.html).to.include('Đã đánh dấu 2 thông báo là đã đọc.');
    expect(after.html).to.include('bell__label">Thông báo (không có thông báo chưa đọc)</span>');
    expect(after.html).to.not.include('bell__badge');
    expect(after.html).to.not.include('Đánh dấu tất cả đã đọc');
    expect((await auditRows('user', committee.agency.id)).map((row) => row.action)).to.include('notification.read_all');

    // Anonymous: to the login page.
    const anonymous = await new Browser().get('/notifications');
    expect(anonymous.status).to.equal(303);
    expect(anonymous.location).to.match(/^\/login/);
  });

  it('takes an e-mail address on accounts (API, form, /me), refuses a malformed one with 422 invalid_format, and removes it when emptied', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const committee = await createCommittee();
    const created = await api('POST', '/users', { token: admin.token, body: { username: `tb${committee.agency.id}`, password: 'Mật-khẩu-rất-dài-2025', fullName: 'Cán bộ nhận thư', role: 'agency', unitId: committee.department.id, email: 'can.bo@so-gd.gov.vn' } });
    expect(created.status).to.equal(201);
    expect(created.body.email).to.equal('can.bo@so-gd.gov.vn');
    const bad = await api('PATCH', `/users/${created.body.id}`, { token: admin.token, body: { email: 'không phải thư', fullName: 'A' } });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.have.deep.members([['email', 'invalid_format'], ['fullName', 'too_short']]);
    expect(bad.body.error.details.find((d: { field: string }) => d.field === 'email').message).to.equal('Thư điện tử không phải là địa chỉ thư điện tử hợp lệ (ví dụ: ten@coquan.gov.vn).');
    expect((await db().selectFrom('users').select('email').where('id', '=', created.body.id).executeTakeFirstOrThrow()).email).to.equal('can.bo@so-gd.gov.vn');
    const me = await api('GET', '/me', { token: committee.agency.token });
    expect(me.body.email).to.equal(null);

    const browser = await signedIn({ username: (await db().selectFrom('users').select('username').where('id', '=', admin.id).executeTakeFirstOrThrow()).username, password: admin.password });
    const form = await browser.get(`/admin/users/${created.body.id}/edit`);
    expect(form.html).to.include('value="can.bo@so-gd.gov.vn"');
    expect(form.html).to.include('type="email"');
    const user = { fullName: 'Cán bộ nhận thư', role: 'agency', unitId: String(committee.department.id), language: 'vi' };
    const wrong = await browser.post(`/admin/users/${created.body.id}`, { ...user, email: 'sai@' });
    expect(wrong.status).to.equal(422);
    expect(wrong.html).to.include('không phải là địa chỉ thư điện tử hợp lệ');
    const emptied = await browser.post(`/admin/users/${created.body.id}`, { ...user, email: '' });
    expect(emptied.status).to.equal(303);
    expect((await db().selectFrom('users').select('email').where('id', '=', created.body.id).executeTakeFirstOrThrow()).email).to.equal(null);
    expect((await auditRows('user', created.body.id)).at(-1)!.after).to.include({ email: null });
  });

  it('reads SMTP_URL and MAIL_FROM at start and refuses malformed ones', () => {
    expect(testConfig().mail).to.deep.equal({ smtpUrl: undefined, from: '"Sổ Dân vận khéo" <no-reply@localhost>' });
    expect(testConfig({ SMTP_URL: 'smtps://user:pa%40ss@mail.example.vn:465', MAIL_FROM: 'thong-bao@dvk.example.vn' }).mail).to.deep.equal({ smtpUrl: 'smtps://user:pa%40ss@mail.example.vn:465', from: 'thong-bao@dvk.example.vn' });
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.vn' })).to.throw(/SMTP_URL/);
    expect(() => loadConfig({ MAIL_FROM: 'Sổ Dân vận khéo' })).to.throw(/MAIL_FROM/);
    expect(() => loadConfig({ MAIL_FROM: '"Sổ" <a@b>\r\nBcc: x@y' })).to.throw(/MAIL_FROM/);
  });
});
