import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../server/db/database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { translate } from '../../server/web/i18n/index.ts';
import { db } from '../support/context.ts';
import { createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';

const FULL_NAME = 'Trần Thị Bích Ngọc';

function weak(message: string) {
  return [{ field: 'password', reason: 'password_weak', message }];
}

describe('weak passwords', function () {
  this.timeout(120_000);

  const cases: [string, (username: string) => string, string][] = [
    ['one repeated letter', () => 'aaaaaaaaaa', 'Mật khẩu quá dễ đoán: chỉ lặp lại vài ký tự (như "aaaa" hay "abcabc"). Hãy dùng một cụm vài từ không liên quan, thêm số hoặc ký hiệu.'],
    ['a run of digits', () => '1234567890', 'Mật khẩu quá dễ đoán: nằm trong danh sách mật khẩu hay dùng nhất. Hãy dùng một cụm vài từ không liên quan, thêm số hoặc ký hiệu.'],
    ['the username', (username) => username, 'Mật khẩu không được chứa tên đăng nhập.'],
    ['a password holding the username', (username) => `${username.toUpperCase()}@2025`, 'Mật khẩu không được chứa tên đăng nhập.'],
    ['the full name', () => FULL_NAME, 'Mật khẩu không được chứa họ và tên của người dùng (kể cả khi viết không dấu).'],
    ['the full name without diacritics', () => 'tranthibichngoc', 'Mật khẩu không được chứa họ và tên của người dùng (kể cả khi viết không dấu).'],
    ['a password holding the full name without diacritics', () => 'Tran-Thi-Bich-Ngoc#2025', 'Mật khẩu không được chứa họ và tên của người dùng (kể cả khi viết không dấu).'],
  ];

  for (const [label, password, message] of cases) {
    it(`refuses ${label} for a new account with 422 password_weak and says why, writing nothing`, async () => {
      const admin = await createUserWithToken({ role: 'admin' });
      const unit = await createUnit();
      const username = `ngoc.${uniqueSuffix().toLowerCase()}`;
      const response = await api('POST', '/users', { token: admin.token, body: { username, password: password(username), fullName: FULL_NAME, role: 'member', unitId: unit.id } });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('validation_failed');
      expect(response.body.error.details).to.deep.equal(weak(message));
      expect(await db().selectFrom('users').select('id').where('username', '=', username).execute()).to.have.length(0);
    });
  }

  it('says why in English when the caller chose English', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const unit = await createUnit();
    const response = await api('POST', '/users', { token: admin.token, language: 'en', body: { username: `en.${uniqueSuffix().toLowerCase()}`, password: '1234567890', fullName: FULL_NAME, role: 'member', unitId: unit.id } });
    expect(response.status).to.equal(422);
    expect(response.body.error.details).to.deep.equal(weak('The password is too easy to guess: it is among the most used passwords. Use a few unrelated words, with digits or symbols.'));
  });

  it('accepts the demo password and the test passwords', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const unit = await createUnit();
    for (const password of ['DanVanKheo@2025', TEST_PASSWORD, 'Mật-khẩu-mới-2025', 'Mật-khẩu-khác-2025', 'Mật-khẩu-văn-thư']) {
      const response = await api('POST', '/users', { token: admin.token, body: { username: `ok.${uniqueSuffix().toLowerCase()}`, password, fullName: FULL_NAME, role: 'member', unitId: unit.id } });
      expect(response.status, password).to.equal(201);
    }
  });

  it('refuses a weak new password when an account is changed, checked against its username and its new full name', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    const user = await createUser({ role: 'member', fullName: FULL_NAME });
    const own = await api('PATCH', `/users/${user.id}`, { token: admin.token, body: { password: `${user.username}-2025!` } });
    expect(own.status).to.equal(422);
    expect(own.body.error.details).to.deep.equal(weak('Mật khẩu không được chứa tên đăng nhập.'));
    const renamed = await api('PATCH', `/users/${user.id}`, { token: admin.token, body: { fullName: 'Phạm Đức Thắng', password: 'PhamDucThang!2025' } });
    expect(renamed.status).to.equal(422);
    expect(renamed.body.error.details).to.deep.equal(weak('Mật khẩu không được chứa họ và tên của người dùng (kể cả khi viết không dấu).'));
    const row = await db().selectFrom('users').select('full_name').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.full_name, 'nothing was changed').to.equal(FULL_NAME);
    expect((await new Browser().login(user.username, TEST_PASSWORD)).status, 'the old password still works').to.equal(303);
  });

  it('re-renders the admin forms with the reason on the password field', async () => {
    const admin = await createUser({ role: 'admin' });
    const unit = await createUnit();
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    await browser.get('/admin/users/new');
    const username = `moi.${uniqueSuffix().toLowerCase()}`;
    const created = await browser.post('/admin/users', { username, password: `${username}123`, fullName: FULL_NAME, role: 'member', unitId: String(unit.id), language: 'vi' });
    expect(created.status).to.equal(422);
    expect(created.html).to.include('Mật khẩu không được chứa tên đăng nhập.');
    const user = await createUser({ role: 'member' });
    await browser.get(`/admin/users/${user.id}/edit`);
    const edited = await browser.post(`/admin/users/${user.id}`, { fullName: FULL_NAME, role: 'member', unitId: String(user.unit_id), language: 'vi', password: 'Tran Thi Bich Ngoc' });
    expect(edited.status).to.equal(422);
    expect(edited.html).to.include('Mật khẩu không được chứa họ và tên của người dùng (kể cả khi viết không dấu).');
  });

  it('refuses a weak password on the command line (npm run user -- add) with the reason and exit 1', async function () {
    this.timeout(300_000); // a fresh embedded database, then a process that opens it
    const dataDir = mkdtempSync(join(tmpdir(), 'dvk-user-cli-'));
    try {
      const database = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
      await migrateToLatest(database.db);
      await database.db.insertInto('units').values({ code: 'CLI', name: 'Đơn vị dòng lệnh', kind: 'agency' }).execute();
      await database.close();
      const { DATABASE_URL: _unused, ...env } = process.env;
      void _unused;
      const root = fileURLToPath(new URL('../..', import.meta.url));
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', 'add', '--username', 'vanthu', '--password', 'aaaaaaaaaa', '--role', 'printer', '--unit', 'CLI'], {
        cwd: root,
        env: { ...env, DATA_DIR: dataDir, NODE_ENV: 'development' },
        encoding: 'utf8',
        timeout: 240_000,
      });
      expect(result.status, result.stderr).to.equal(1);
      expect(result.stderr).to.include(`password: ${translate('vi', 'validation.password.repeated')}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
