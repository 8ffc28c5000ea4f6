// The administrator's first session, driven through the real system Chromium: log in, create a
// unit and an agency account through the forms, log in as that account, switch language. Every
// page visited is checked with axe-core (no serious or critical violations) and screenshotted to
// test/screenshots/ (git-ignored) for a person to look at.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, PHONE, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUser, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { loadReferenceUnits } from '../../server/units/reference/load.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('en', key, params);

describe('admin flow in a real browser (Chromium, axe-core)', function () {
  let session: BrowserSession;
  let page: Page;
  let admin: Awaited<ReturnType<typeof createUser>>;

  const unitCode = `B${uniqueSuffix()}`;
  const unitName = 'Sở Văn hóa, Thể thao và Du lịch thử nghiệm';
  const agencyUsername = `canbo.${uniqueSuffix().toLowerCase()}`;
  const agencyFullName = 'Nguyễn Thị Thử Nghiệm';
  const agencyPassword = 'Mật-khẩu-cán-bộ-2025';

  before(async function () {
    this.timeout(90_000);
    await loadReferenceUnits(db()); // the unit list over the country's 3.400 units, as after npm start
    session = await launchBrowserSession();
    page = session.page;
    admin = await createUser({ role: 'admin', fullName: 'Trần Văn Quản Trị' });
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('shows the Vietnamese login page, marks an empty password as an error, then signs the admin in to the home page', async function () {
    const login = await session.visit('/login');
    expect(login.status()).to.equal(200);
    expect(await page.$eval('html', (html) => html.lang)).to.equal('vi');
    expect(await session.text('h1')).to.equal('Đăng nhập');
    await session.inspect('01-login');

    await session.fillField('username', admin.username);
    const rejected = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);
    expect(session.pathname()).to.equal('/login');
    const invalid = await session.invalidFields();
    expect(invalid.map((field) => field.id)).to.deep.equal(['field-password']);
    expect(invalid[0]).to.include({ message: vi('validation.required', { label: vi('field.password') }), describedBy: true, marked: true });
    expect(await session.errorSummaryLinks()).to.deep.equal([{ href: '#field-password', text: vi('validation.required', { label: vi('field.password') }) }]);
    expect(await page.$eval('#field-username', (input) => (input as HTMLInputElement).value), 'the username is kept').to.equal(admin.username);
    await session.inspect('02-login-errors');

    await session.fillField('password', TEST_PASSWORD);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);
    expect(session.pathname()).to.equal('/');
    expect(await session.text('h1')).to.equal('Xin chào, Trần Văn Quản Trị');
    expect(await session.text('main .lead')).to.equal(vi('home.admin.intro'));
    await session.inspect('03-home-admin');
  });

  it('refuses a unit form with a bad code, no name and 31/02/2024, listing each error in Vietnamese, then creates the unit', async function () {
    const form = await session.visit('/admin/units/new');
    expect(form.status()).to.equal(200);
    expect(await session.text('h1')).to.equal(vi('units.new'));

    await session.fillField('code', 'sở nội vụ');
    await session.fillField('name', '');
    await page.select('#field-kind', 'agency');
    await session.fillField('validFrom', '31/02/2024');
    const rejected = await session.clickAndWait('form[action="/admin/units"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);

    const expected = [
      { id: 'field-code', message: vi('validation.pattern.unitCode', { label: vi('field.code') }) },
      { id: 'field-name', message: vi('validation.required', { label: vi('field.name') }) },
      { id: 'field-validFrom', message: vi('validation.date', { label: vi('field.validFrom') }) },
    ];
    const invalid = await session.invalidFields();
    expect(invalid.map(({ id, message }) => ({ id, message })).sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal([...expected].sort((a, b) => a.id.localeCompare(b.id)));
    for (const field of invalid) expect(field, field.id).to.include({ describedBy: true, marked: true });
    expect(await session.text('.error-summary h2')).to.equal(vi('common.formErrors', { count: 3 }));
    const links = await session.errorSummaryLinks();
    expect(links.map((link) => link.href).sort()).to.deep.equal(expected.map((field) => `#${field.id}`).sort());
    for (const field of expected) expect(links).to.deep.include({ href: `#${field.id}`, text: field.message });
    expect(await page.$eval('#field-code', (input) => (input as HTMLInputElement).value), 'the input is kept').to.equal('sở nội vụ');
    expect(await page.$eval('#field-kind', (select) => (select as HTMLSelectElement).value)).to.equal('agency');
    await session.inspect('04-unit-form-errors');

    await session.atViewport(PHONE, async () => {
      await session.screenshot('04-unit-form-errors-phone');
      await session.assertNoHorizontalScroll('no sideways scrolling on a phone');
    });

    await session.fillField('code', unitCode);
    await session.fillField('name', unitName);
    await page.select('#field-kind', 'agency');
    await page.select('#field-blockCode', 'chinh_quyen');
    await session.fillField('validFrom', '01/07/2025');
    const list = await session.clickAndWait('form[action="/admin/units"] button[type="submit"]');
    expect(list.status()).to.equal(200);
    expect(session.pathname()).to.equal('/admin/units');
    expect(await session.text('.flash')).to.equal(vi('units.created', { name: unitName }));
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())));
    const row = rows.find((cells) => cells[0] === unitCode);
    expect(row, `a row for ${unitCode}`).to.not.equal(undefined);
    expect(row?.slice(1, 4)).to.deep.equal([unitName, vi('unitKind.agency'), 'Chính quyền']);
    await session.inspect('05-unit-list');

    const stored = await db().selectFrom('units').select(['name', 'kind', 'block_code', 'valid_from', 'parent_id']).where('code', '=', unitCode).executeTakeFirst();
    expect(stored).to.deep.equal({ name: unitName, kind: 'agency', block_code: 'chinh_quyen', valid_from: '2025-07-01', parent_id: null });
  });

  it('pages the country\'s units fifty at a time: the range line, "Trang sau" and "Trang đầu", a search without diacritics, all screenshotted whole', async function () {
    this.timeout(60_000);
    const first = await session.visit('/admin/units');
    expect(first.status()).to.equal(200);
    expect(await page.$$('table tbody tr')).to.have.length(50);
    expect(await session.text('#unit-range')).to.match(/^Hiển thị 1–50 trong \d\.\d{3} đơn vị$/);
    await session.inspect('05b-unit-list-country');
    const second = await session.clickAndWait('a[rel="next"]');
    expect(second.status()).to.equal(200);
    expect(await session.text('#unit-range')).to.match(/^Hiển thị 51–100 trong \d\.\d{3} đơn vị$/);
    await session.inspectOnPhone('05c-unit-list-page-2-phone');
    await session.clickAndWait('nav.pager a:not([rel])');
    expect(await session.text('#unit-range')).to.match(/^Hiển thị 1–50 /);
    await session.typeInto('#unit-search', 'phuong ba dinh');
    await session.clickAndWait('form[role="search"] button[type="submit"]');
    const names = await page.$$eval('table tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent?.trim()));
    expect(names).to.include('Phường Ba Đình');
    await session.inspect('05d-unit-list-search');
  });

  it('creates an agency account for the new unit; that user signs in to the agency home page and gets 403 on /admin/units', async function () {
    this.timeout(60_000);
    const unit = await db().selectFrom('units').select(['id', 'code']).where('code', '=', unitCode).executeTakeFirstOrThrow();

    const form = await session.visit('/admin/users/new');
    expect(form.status()).to.equal(200);
    await session.fillField('username', agencyUsername);
    await session.fillField('fullName', agencyFullName);
    await page.select('#field-role', 'agency');
    await session.chooseUnit('unitId', unit);
    await session.fillField('password', agencyPassword);
    await session.inspect('06-user-form');
    const users = await session.clickAndWait('form[action="/admin/users"] button[type="submit"]');
    expect(users.status()).to.equal(200);
    expect(session.pathname()).to.equal('/admin/users');
    expect(await session.text('.flash')).to.equal(vi('users.created', { name: agencyUsername }));
    const stored = await db().selectFrom('users').select(['role', 'unit_id', 'full_name']).where('username', '=', agencyUsername).executeTakeFirst();
    expect(stored).to.deep.equal({ role: 'agency', unit_id: unit.id, full_name: agencyFullName });

    expect(await session.text('form[action="/logout"] button')).to.equal('Đăng xuất');
    await session.clickAndWait('form[action="/logout"] button[type="submit"]');
    expect(session.pathname()).to.equal('/login');
    expect(await session.text('.flash')).to.equal(vi('login.loggedOut'));

    await session.fillField('username', agencyUsername);
    await session.fillField('password', agencyPassword);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);
    expect(session.pathname()).to.equal('/');
    expect(await session.text('h1')).to.equal(`Xin chào, ${agencyFullName}`);
    expect(await session.text('main .lead')).to.equal(vi('home.agency.intro'));
    expect(await session.text('body')).to.include(vi('home.yourRole', { role: vi('role.agency'), unit: unitName }));
    expect(await page.$$('a[href="/admin/units"]'), 'no admin links for an agency user').to.have.length(0);
    await session.inspect('07-home-agency');

    const forbidden = await session.visit('/admin/units');
    expect(forbidden.status()).to.equal(403);
    expect(await session.text('main .alert')).to.equal(vi('error.forbidden'));
    await session.inspect('08-forbidden');
  });

  it('switches to English with the header link and shows English navigation', async function () {
    await session.visit('/');
    expect(await session.text('a.language-switch')).to.equal('English');
    const english = await session.clickAndWait('a.language-switch');
    expect(english.status()).to.equal(200);
    expect(session.pathname()).to.equal('/');
    expect(await page.$eval('html', (html) => html.lang)).to.equal('en');
    expect(await session.text('form[action="/logout"] button')).to.equal('Log out');
    expect(await session.text('nav.main-nav')).to.include('Home');
    expect(await session.text('main .lead')).to.equal(en('home.agency.intro'));
    expect(await session.text('h1')).to.equal(en('home.welcome', { name: agencyFullName }));
    await session.inspect('09-home-english');
  });
});
