import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { auditRows, createUser, TEST_PASSWORD } from '../support/factories.ts';
import { Browser } from '../support/http.ts';

describe('login and sessions', () => {
  it('logs a user in with a new session id, audits it, and shows the home page of the role', async () => {
    const user = await createUser({ role: 'secretary', fullName: 'Nguyễn Thị Thu Hà' });
    const browser = new Browser();
    await browser.get('/login');
    const before = browser.sessionId;
    expect(before, 'the login page starts a session for its CSRF token').to.be.a('string');
    const response = await browser.post('/login', { username: user.username, password: TEST_PASSWORD });
    expect(response.status).to.equal(303);
    expect(response.location).to.equal('/');
    expect(browser.sessionId).to.be.a('string').and.not.equal(before);
    const home = await browser.get('/');
    expect(home.status).to.equal(200);
    expect(home.html).to.include('Xin chào, Nguyễn Thị Thu Hà');
    expect(home.html).to.include('Thư ký Hội đồng');
    const audit = await auditRows('user', user.id);
    expect(audit.map((row) => row.action)).to.include('auth.login');
    const stored = await db().selectFrom('sessions').select('user_id').where('user_id', '=', user.id).execute();
    expect(stored).to.have.length(1);
  });

  it('accepts the username in any case and surrounded by spaces', async () => {
    const user = await createUser({ role: 'member' });
    const response = await new Browser().login(`  ${user.username.toUpperCase()} `, TEST_PASSWORD);
    expect(response.status).to.equal(303);
  });

  it('answers a wrong password and an unknown user the same way, with 401 and no login', async () => {
    const user = await createUser({ role: 'member' });
    const wrongPassword = await new Browser().login(user.username, 'not-the-password');
    const unknownUser = await new Browser().login('khong-ton-tai', 'not-the-password');
    for (const response of [wrongPassword, unknownUser]) {
      expect(response.status).to.equal(401);
      expect(response.html).to.include('Tên đăng nhập hoặc mật khẩu không đúng.');
    }
    const failures = await db().selectFrom('login_failures').select('username').where('username', 'in', [user.username, 'khong-ton-tai']).execute();
    expect(failures).to.have.length(2);
  });

  it('re-renders the login form with 422 and both fields marked when both are empty', async () => {
    const browser = new Browser();
    await browser.get('/login');
    const response = await browser.post('/login', { username: '', password: '' });
    expect(response.status).to.equal(422);
    expect(response.html).to.include('Tên đăng nhập là bắt buộc.');
    expect(response.html).to.include('Mật khẩu là bắt buộc.');
    expect(response.html.match(/aria-invalid="true"/g)).to.have.length(2);
  });

  it('throttles an account after 5 failures, even from other addresses and with the right password', async () => {
    const user = await createUser({ role: 'member' });
    for (let attempt = 0; attempt < ctx().config.loginThrottle.maxPerAccount; attempt++) {
      expect((await new Browser().login(user.username, 'wrong')).status).to.equal(401);
    }
    const blocked = await new Browser().login(user.username, TEST_PASSWORD);
    expect(blocked.status).to.equal(429);
    // Until the oldest of the 5 failures leaves the window.
    expect(Number(blocked.headers.get('retry-after'))).to.be.within(ctx().config.loginThrottle.windowMinutes * 60 - 60, ctx().config.loginThrottle.windowMinutes * 60);
    expect(blocked.html).to.include('Đăng nhập sai quá nhiều lần');
  });

  it('throttles an address after too many failures across accounts', async () => {
    const browser = new Browser();
    await browser.get('/login');
    for (let attempt = 0; attempt < ctx().config.loginThrottle.maxPerAddress; attempt++) {
      await db().insertInto('login_failures').values({ username: `guess${attempt}`, ip: browser.address }).execute();
    }
    const user = await createUser({ role: 'member' });
    const blocked = await browser.post('/login', { username: user.username, password: TEST_PASSWORD });
    expect(blocked.status).to.equal(429);
    expect((await new Browser().login(user.username, TEST_PASSWORD)).status, 'another address still gets in').to.equal(303);
  });

  it('clears the failures of the address that logs in successfully, not those from other addresses', async () => {
    const user = await createUser({ role: 'member' });
    const owner = new Browser();
    const other = new Browser();
    await owner.login(user.username, 'wrong');
    await other.login(user.username, 'wrong');
    expect((await owner.login(user.username, TEST_PASSWORD)).status).to.equal(303);
    const left = await db().selectFrom('login_failures').select('ip').where('username', '=', user.username).execute();
    expect(left).to.deep.equal([{ ip: other.address }]);
  });

  it('logs out with a new session id, and the old session no longer opens pages', async () => {
    const user = await createUser({ role: 'printer' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const loggedInSession = browser.sessionId;
    await browser.get('/');
    const response = await browser.post('/logout');
    expect(response.status).to.equal(303);
    expect(response.location).to.equal('/login');
    expect(browser.sessionId).to.not.equal(loggedInSession);
    expect((await browser.get('/')).status).to.equal(303);
    const replay = new Browser();
    replay.cookies.set('dvk.sid', loggedInSession as string);
    const replayed = await replay.get('/');
    expect(replayed.status).to.equal(303);
    expect(replayed.location).to.match(/^\/login/);
    expect((await browser.get('/login')).html).to.include('Bạn đã đăng xuất.');
  });

  it('sends the session cookie only when the session is new or changed, never on an unchanged answer', async () => {
    // A cookie re-sent on every answer (a rolling cookie) let a request in flight at logout (the tab's
    // favicon, an image) hand the browser the destroyed session's id after the new one: the next login
    // form then failed its CSRF check (403).
    const user = await createUser({ role: 'printer' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const home = await browser.get('/');
    expect(home.status).to.equal(200);
    expect(home.headers.getSetCookie().filter((header) => header.startsWith('dvk.sid=')), 'an unchanged session').to.deep.equal([]);
    const login = (await browser.post('/logout')).headers.getSetCookie().find((header) => header.startsWith('dvk.sid='));
    expect(login, 'the new session after logout').to.be.a('string');
    expect(login, 'a browser-session cookie: the idle timeout is kept by the server').not.to.match(/Expires=|Max-Age=/i);
    const favicon = await fetch(`${ctx().baseUrl}/favicon.ico`, { redirect: 'manual', headers: { cookie: `dvk.sid=${browser.sessionId}` } });
    expect(favicon.status).to.equal(301);
    expect(favicon.headers.get('location')).to.equal('/assets/favicon.svg');
    expect(favicon.headers.getSetCookie(), 'the favicon is answered before the session').to.deep.equal([]);
  });

  it('ends a session idle past SESSION_IDLE_MINUTES (the store\'s expires_at; test/web/session-store.test.ts moves it on)', async () => {
    const user = await createUser({ role: 'member' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const sid = decodeURIComponent(browser.sessionId!).replace(/^s:/, '').split('.')[0]!;
    expect((await browser.get('/')).status).to.equal(200);
    await db().updateTable('sessions').set({ expires_at: new Date(Date.now() - 1_000) }).where('sid', '=', sid).execute();
    const idle = await browser.get('/');
    expect(idle.status).to.equal(303);
    expect(idle.location).to.match(/^\/login/);
  });

  it('refuses a form posted without or with a wrong CSRF token, and logs nobody in', async () => {
    const user = await createUser({ role: 'member' });
    const browser = new Browser();
    await browser.get('/login');
    const missing = await browser.post('/login', { _csrf: null, username: user.username, password: TEST_PASSWORD });
    expect(missing.status).to.equal(403);
    expect(missing.html).to.include('Biểu mẫu đã hết hạn');
    const wrong = await browser.post('/login', { _csrf: 'forged', username: user.username, password: TEST_PASSWORD });
    expect(wrong.status).to.equal(403);
    expect((await browser.get('/')).status).to.equal(303);
  });

  it('refuses a logout form without a CSRF token', async () => {
    const user = await createUser({ role: 'member' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    expect((await browser.post('/logout', { _csrf: null })).status).to.equal(403);
    expect((await browser.get('/')).status).to.equal(200);
  });

  it('puts a disabled user out on the next request', async () => {
    const user = await createUser({ role: 'agency' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    expect((await browser.get('/')).status).to.equal(200);
    await db().updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
    const response = await browser.get('/');
    expect(response.status).to.equal(303);
    expect(response.location).to.match(/^\/login/);
  });

  it('does not let a disabled user log in', async () => {
    const user = await createUser({ role: 'agency', disabled: true });
    expect((await new Browser().login(user.username, TEST_PASSWORD)).status).to.equal(401);
  });

  it('sets the session cookie httpOnly and SameSite=Lax, and sends the security headers', async () => {
    const browser = new Browser();
    const response = await fetch(`${ctx().baseUrl}/login`);
    const cookie = response.headers.getSetCookie().find((header) => header.startsWith('dvk.sid='));
    expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    expect(response.headers.get('content-security-policy')).to.include("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(response.headers.get('x-powered-by')).to.equal(null);
    void browser;
  });

  it('sends only same-site paths after login (no open redirect)', async () => {
    const user = await createUser({ role: 'member' });
    const browser = new Browser();
    await browser.get('/login');
    const response = await browser.post('/login', { username: user.username, password: TEST_PASSWORD, next: '//evil.example/' });
    expect(response.location).to.equal('/');
  });
});
