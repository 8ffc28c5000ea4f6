// One's own account in a real browser (Chromium, axe-core): a member opens "Tài khoản của tôi" from
// their name in the header, gives an address and turns e-mails off, is told a wrong current password
// on its field, then changes the password, lands on the login page with the reason, and signs in with
// the new one. Each page is checked at desktop and phone sizes.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUser, TEST_PASSWORD } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);
const NEW_PASSWORD = 'Sông Hậu mùa nước nổi 2026';

describe('one\'s own account in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let page: Page;
  let user: { id: number; username: string };

  before(async function () {
    this.timeout(90_000);
    user = await createUser({ role: 'member', fullName: 'Đoàn Thị Tài Khoản' });
    session = await launchBrowserSession();
    page = session.page;
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  async function signIn(password: string): Promise<number> {
    if (session.pathname() !== '/login') await session.visit('/login');
    await session.fillField('username', user.username);
    await session.fillField('password', password);
    return (await session.clickAndWait('form[action="/login"] button[type="submit"]')).status();
  }

  it('saves an address with e-mails turned off, from the page the header\'s name leads to', async () => {
    expect(await signIn(TEST_PASSWORD)).to.equal(200);
    await session.clickAndWait('a.who[href="/account"]');
    expect(session.pathname()).to.equal('/account');
    expect(await session.text('main h1')).to.equal(vi('account.title'));
    await session.inspect('account-01-page');
    await session.inspectOnPhone('account-01-page-phone');
    await session.fillField('email', 'tai.khoan@anggiang.gov.vn');
    await page.click('#field-emailNotifications'); // ticked by default: off now
    await session.clickAndWait('form[action="/account"] button[type="submit"]');
    expect(await session.text('.flash')).to.equal(vi('account.saved'));
    const stored = await db().selectFrom('users').select(['email', 'email_notifications']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored).to.deep.equal({ email: 'tai.khoan@anggiang.gov.vn', email_notifications: false });
    expect(await page.$eval('#field-emailNotifications', (box) => (box as HTMLInputElement).checked)).to.equal(false);
  });

  it('marks a wrong current password on its field, then changes it and signs in with the new one', async () => {
    await session.fillField('currentPassword', 'một mật khẩu sai');
    await session.fillField('newPassword', NEW_PASSWORD);
    expect((await session.clickAndWait('form[action="/account/password"] button[type="submit"]')).status()).to.equal(422);
    expect(await session.text('#error-currentPassword')).to.equal(vi('validation.password.wrong'));
    expect(await page.$eval('#field-email', (input) => (input as HTMLInputElement).value), 'the settings stay shown').to.equal('tai.khoan@anggiang.gov.vn');
    await session.inspect('account-02-wrong-password');
    await session.inspectOnPhone('account-02-wrong-password-phone');

    await session.fillField('currentPassword', TEST_PASSWORD);
    await session.fillField('newPassword', NEW_PASSWORD);
    await session.clickAndWait('form[action="/account/password"] button[type="submit"]');
    expect(session.pathname()).to.equal('/login');
    expect(await session.text('.flash')).to.equal(vi('account.passwordChanged'));
    await session.inspect('account-03-signed-out');
    expect(await signIn(TEST_PASSWORD), 'the old password').to.equal(401);
    expect(await signIn(NEW_PASSWORD), 'the new password').to.equal(200);
  });
});
