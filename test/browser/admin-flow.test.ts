// The administrator's first session, driven through the real system Chromium: log in, create a
// unit and an agency account through the forms, log in as that account, switch language. Every
// page visited is checked with axe-core (no serious or critical violations) and screenshotted to
// test/screenshots/ (git-ignored) for a person to look at.
import { expect } from 'chai';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { ctx, db } from '../support/context.ts';
import { createUser, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const AXE_SOURCE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
// A plain JS module without type declarations: imported through a variable so tsc types it loosely.
const CHROMIUM_MODULE = new URL('../../server/setup/chromium.mjs', import.meta.url).href;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('en', key, params);

describe('admin flow in a real browser (Chromium, axe-core)', function () {
  let browser: Browser | undefined;
  let page: Page;
  let userDataDir: string | undefined;
  let axeSource: string;
  let admin: Awaited<ReturnType<typeof createUser>>;
  /** Sub-resources (CSS) that failed on the current page: a missing stylesheet would hide many faults. */
  let failedResources: string[] = [];

  const unitCode = `B${uniqueSuffix()}`;
  const unitName = 'Sở Văn hóa, Thể thao và Du lịch thử nghiệm';
  const agencyUsername = `canbo.${uniqueSuffix().toLowerCase()}`;
  const agencyFullName = 'Nguyễn Thị Thử Nghiệm';
  const agencyPassword = 'Mật-khẩu-cán-bộ-2025';

  before(async function () {
    this.timeout(90_000);
    const { findChromium } = (await import(CHROMIUM_MODULE)) as { findChromium: () => Promise<string | null> };
    const executablePath = await findChromium();
    if (!executablePath) {
      throw new Error('No Chromium found for the browser test: install Debian\'s "chromium" (apt-get install chromium) or set PUPPETEER_EXECUTABLE_PATH.');
    }
    axeSource = await readFile(AXE_SOURCE, 'utf8');
    await mkdir(SCREENSHOTS, { recursive: true });
    userDataDir = await mkdtemp(join(tmpdir(), 'dvk-chromium-'));
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    // The app's CSP forbids inline scripts; axe is injected as one, so let this page ignore the CSP.
    await page.setBypassCSP(true);
    await page.setViewport(DESKTOP);
    page.setDefaultTimeout(15_000);
    page.setDefaultNavigationTimeout(15_000);
    page.on('response', (response) => {
      const request = response.request();
      if (response.status() >= 400 && request.resourceType() !== 'document' && !request.url().endsWith('/favicon.ico')) {
        failedResources.push(`${response.status()} ${request.url()}`);
      }
    });
    admin = await createUser({ role: 'admin', fullName: 'Trần Văn Quản Trị' });
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  async function visit(path: string): Promise<HTTPResponse> {
    failedResources = [];
    const response = await page.goto(ctx().baseUrl + path);
    if (!response) throw new Error(`No response for ${path}`);
    return response;
  }

  /** Clicks a submit button (or link) and waits for the page it leads to, after any redirects. */
  async function clickAndWait(selector: string): Promise<HTTPResponse> {
    failedResources = [];
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    if (!response) throw new Error(`No navigation after clicking ${selector}`);
    return response;
  }

  async function fill(name: string, value: string): Promise<void> {
    const selector = `#field-${name}`;
    await page.$eval(selector, (element) => {
      (element as HTMLInputElement).value = '';
    });
    if (value) await page.type(selector, value);
  }

  const pathname = () => new URL(page.url()).pathname;
  const text = (selector: string) => page.$eval(selector, (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
  const bodyText = () => text('body');

  /** Each invalid field's id and the message shown next to it, and whether it points at that message. */
  function invalidFields() {
    return page.$$eval('[aria-invalid="true"]', (elements) =>
      elements.map((element) => {
        const name = element.id.replace(/^field-/, '');
        const message = document.getElementById(`error-${name}`);
        return {
          id: element.id,
          message: (message?.textContent ?? '').trim(),
          describedBy: (element.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(`error-${name}`),
          marked: element.closest('.field')?.classList.contains('field--error') ?? false,
        };
      }),
    );
  }

  function summaryLinks() {
    return page.$$eval('.error-summary a', (links) => links.map((link) => ({ href: link.getAttribute('href'), text: (link.textContent ?? '').trim() })));
  }

  /** Runs axe-core on the page, saves a full-page screenshot, and fails on serious or critical violations. */
  async function inspect(name: string): Promise<void> {
    expect(failedResources, `failed sub-resources on ${name}`).to.deep.equal([]);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }> }> }> } }).axe;
      const results = await axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({ target: node.target.map(String).join(' '), html: node.html, summary: node.failureSummary ?? '' })),
      }));
    });
    await writeFile(join(SCREENSHOTS, `${name}.axe.json`), JSON.stringify(violations, null, 2));
    const blocking = (violations as Violation[]).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    const report = blocking
      .map((violation) => `  [${violation.impact}] ${violation.id}: ${violation.help}\n${violation.nodes.map((node) => `    - ${node.target}\n      ${node.html}\n      ${node.summary.replace(/\n/g, '\n      ')}`).join('\n')}`)
      .join('\n');
    expect(blocking, `axe-core found serious/critical violations on "${name}" (${page.url()}):\n${report}\n`).to.have.length(0);
  }

  it('shows the Vietnamese login page, marks an empty password as an error, then signs the admin in to the home page', async function () {
    const login = await visit('/login');
    expect(login.status()).to.equal(200);
    expect(await page.$eval('html', (html) => html.lang)).to.equal('vi');
    expect(await text('h1')).to.equal('Đăng nhập');
    await inspect('01-login');

    await fill('username', admin.username);
    const rejected = await clickAndWait('form[action="/login"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);
    expect(pathname()).to.equal('/login');
    const invalid = await invalidFields();
    expect(invalid.map((field) => field.id)).to.deep.equal(['field-password']);
    expect(invalid[0]).to.include({ message: vi('validation.required', { label: vi('field.password') }), describedBy: true, marked: true });
    expect(await summaryLinks()).to.deep.equal([{ href: '#field-password', text: vi('validation.required', { label: vi('field.password') }) }]);
    expect(await page.$eval('#field-username', (input) => (input as HTMLInputElement).value), 'the username is kept').to.equal(admin.username);
    await inspect('02-login-errors');

    await fill('password', TEST_PASSWORD);
    const home = await clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);
    expect(pathname()).to.equal('/');
    expect(await text('h1')).to.equal('Xin chào, Trần Văn Quản Trị');
    expect(await text('main .lead')).to.equal(vi('home.admin.intro'));
    await inspect('03-home-admin');
  });

  it('refuses a unit form with a bad code, no name and 31/02/2024, listing each error in Vietnamese, then creates the unit', async function () {
    const form = await visit('/admin/units/new');
    expect(form.status()).to.equal(200);
    expect(await text('h1')).to.equal(vi('units.new'));

    await fill('code', 'sở nội vụ');
    await fill('name', '');
    await page.select('#field-kind', 'agency');
    await fill('validFrom', '31/02/2024');
    const rejected = await clickAndWait('form[action="/admin/units"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);

    const expected = [
      { id: 'field-code', message: vi('validation.pattern.unitCode', { label: vi('field.code') }) },
      { id: 'field-name', message: vi('validation.required', { label: vi('field.name') }) },
      { id: 'field-validFrom', message: vi('validation.date', { label: vi('field.validFrom') }) },
    ];
    const invalid = await invalidFields();
    expect(invalid.map(({ id, message }) => ({ id, message })).sort((a, b) => a.id.localeCompare(b.id))).to.deep.equal([...expected].sort((a, b) => a.id.localeCompare(b.id)));
    for (const field of invalid) expect(field, field.id).to.include({ describedBy: true, marked: true });
    expect(await text('.error-summary h2')).to.equal(vi('common.formErrors', { count: 3 }));
    const links = await summaryLinks();
    expect(links.map((link) => link.href).sort()).to.deep.equal(expected.map((field) => `#${field.id}`).sort());
    for (const field of expected) expect(links).to.deep.include({ href: `#${field.id}`, text: field.message });
    expect(await page.$eval('#field-code', (input) => (input as HTMLInputElement).value), 'the input is kept').to.equal('sở nội vụ');
    expect(await page.$eval('#field-kind', (select) => (select as HTMLSelectElement).value)).to.equal('agency');
    await inspect('04-unit-form-errors');

    await page.setViewport(PHONE);
    await page.screenshot({ path: join(SCREENSHOTS, '04-unit-form-errors-phone.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'no sideways scrolling on a phone').to.be.at.most(0);
    await page.setViewport(DESKTOP);

    await fill('code', unitCode);
    await fill('name', unitName);
    await page.select('#field-kind', 'agency');
    await page.select('#field-blockCode', 'chinh_quyen');
    await fill('validFrom', '01/07/2025');
    const list = await clickAndWait('form[action="/admin/units"] button[type="submit"]');
    expect(list.status()).to.equal(200);
    expect(pathname()).to.equal('/admin/units');
    expect(await text('.flash')).to.equal(vi('units.created', { name: unitName }));
    const rows = await page.$$eval('table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())));
    const row = rows.find((cells) => cells[0] === unitCode);
    expect(row, `a row for ${unitCode}`).to.not.equal(undefined);
    expect(row?.slice(1, 4)).to.deep.equal([unitName, vi('unitKind.agency'), 'Chính quyền']);
    await inspect('05-unit-list');

    const stored = await db().selectFrom('units').select(['name', 'kind', 'block_code', 'valid_from', 'parent_id']).where('code', '=', unitCode).executeTakeFirst();
    expect(stored).to.deep.equal({ name: unitName, kind: 'agency', block_code: 'chinh_quyen', valid_from: '2025-07-01', parent_id: null });
  });

  it('creates an agency account for the new unit; that user signs in to the agency home page and gets 403 on /admin/units', async function () {
    this.timeout(60_000);
    const unit = await db().selectFrom('units').select('id').where('code', '=', unitCode).executeTakeFirstOrThrow();

    const form = await visit('/admin/users/new');
    expect(form.status()).to.equal(200);
    await fill('username', agencyUsername);
    await fill('fullName', agencyFullName);
    await page.select('#field-role', 'agency');
    await page.select('#field-unitId', String(unit.id));
    await fill('password', agencyPassword);
    await inspect('06-user-form');
    const users = await clickAndWait('form[action="/admin/users"] button[type="submit"]');
    expect(users.status()).to.equal(200);
    expect(pathname()).to.equal('/admin/users');
    expect(await text('.flash')).to.equal(vi('users.created', { name: agencyUsername }));
    const stored = await db().selectFrom('users').select(['role', 'unit_id', 'full_name']).where('username', '=', agencyUsername).executeTakeFirst();
    expect(stored).to.deep.equal({ role: 'agency', unit_id: unit.id, full_name: agencyFullName });

    expect(await text('form[action="/logout"] button')).to.equal('Đăng xuất');
    await clickAndWait('form[action="/logout"] button[type="submit"]');
    expect(pathname()).to.equal('/login');
    expect(await text('.flash')).to.equal(vi('login.loggedOut'));

    await fill('username', agencyUsername);
    await fill('password', agencyPassword);
    const home = await clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);
    expect(pathname()).to.equal('/');
    expect(await text('h1')).to.equal(`Xin chào, ${agencyFullName}`);
    expect(await text('main .lead')).to.equal(vi('home.agency.intro'));
    expect(await bodyText()).to.include(vi('home.yourRole', { role: vi('role.agency'), unit: unitName }));
    expect(await page.$$('a[href="/admin/units"]'), 'no admin links for an agency user').to.have.length(0);
    await inspect('07-home-agency');

    const forbidden = await visit('/admin/units');
    expect(forbidden.status()).to.equal(403);
    expect(await text('main .alert')).to.equal(vi('error.forbidden'));
    await inspect('08-forbidden');
  });

  it('switches to English with the header link and shows English navigation', async function () {
    await visit('/');
    expect(await text('a.language-switch')).to.equal('English');
    const english = await clickAndWait('a.language-switch');
    expect(english.status()).to.equal(200);
    expect(pathname()).to.equal('/');
    expect(await page.$eval('html', (html) => html.lang)).to.equal('en');
    expect(await text('form[action="/logout"] button')).to.equal('Log out');
    expect(await text('nav.main-nav')).to.include('Home');
    expect(await text('main .lead')).to.equal(en('home.agency.intro'));
    expect(await text('h1')).to.equal(en('home.welcome', { name: agencyFullName }));
    await inspect('09-home-english');
  });
});
