// A new agency clerk's first model, driven through the real system Chromium: open the registry
// from the header, submit the registration form with mistakes, fix them, record a progress report
// (and a bad one), then find the model again by a search without diacritics and filter it away.
// Every page is checked with axe-core (no serious or critical violations) and screenshotted to
// test/screenshots/ (git-ignored) for a person to look at, at 1280 px and, for the list and the
// model page, at 390 px too.
import { expect } from 'chai';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';

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

describe('model registry flow in a real browser (Chromium, axe-core)', function () {
  let browser: Browser | undefined;
  let page: Page;
  let userDataDir: string | undefined;
  let axeSource: string;
  let unit: Awaited<ReturnType<typeof createUnit>>;
  let clerk: Awaited<ReturnType<typeof createUser>>;
  /** Sub-resources (CSS) that failed on the current page: a missing stylesheet would hide many faults. */
  let failedResources: string[] = [];
  /** The registered model, once step 3 has made it. */
  let model: { id: number; code: string } | undefined;

  const unitName = 'Hội Liên hiệp Phụ nữ xã Bình An (thử)';
  const clerkName = 'Lê Thị Văn Thư';
  const modelTitle = 'Tổ phụ nữ "Dân vận khéo" giúp nhau phát triển kinh tế';
  const modelSummary =
    'Các hội viên góp vốn xoay vòng, hướng dẫn nhau cách làm ăn, chăn nuôi và trồng trọt; cán bộ hội đến từng nhà lắng nghe, vận động chị em cùng tham gia.';
  const reportNote = 'Đã thành lập 12 tổ, tổ chức 3 buổi tập huấn chăn nuôi cho hội viên.';

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
    unit = await createUnit({ name: unitName, blockCode: 'mat_tran_doan_the' });
    clerk = await createUser({ role: 'agency', unitId: unit.id, fullName: clerkName });
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

  /** Empties an input or textarea (by id) and types the value into it, as a person would. */
  async function typeInto(selector: string, value: string): Promise<void> {
    await page.$eval(selector, (element) => {
      (element as HTMLInputElement).value = '';
    });
    if (value) await page.type(selector, value);
  }
  const fill = (name: string, value: string) => typeInto(`#field-${name}`, value);

  const pathname = () => new URL(page.url()).pathname;
  const text = (selector: string) => page.$eval(selector, (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
  const valueOf = (selector: string) => page.$eval(selector, (element) => (element as HTMLInputElement).value);
  const modelCount = async () =>
    Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<string>().as('n')).where('unit_id', '=', unit.id).executeTakeFirstOrThrow()).n);

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

  /** The list's rows, each as its cells' text. */
  function tableRows() {
    return page.$$eval('table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())));
  }

  /** Saves a full-page screenshot, then runs axe-core on the page. */
  async function inspect(name: string): Promise<void> {
    expect(failedResources, `failed sub-resources on ${name}`).to.deep.equal([]);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await checkAxe(name);
  }

  /** Runs axe-core on the page as it is now and fails on serious or critical violations. */
  async function checkAxe(name: string): Promise<void> {
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

  /** A full-page screenshot at phone width, failing if the page scrolls sideways or axe-core objects. */
  async function onPhone(name: string): Promise<void> {
    await page.setViewport(PHONE);
    try {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `no sideways scrolling on a phone (${name})`).to.be.at.most(0);
      await checkAxe(name); // the phone layout (e.g. the list's rows as stacked cards) is checked too
    } finally {
      await page.setViewport(DESKTOP);
    }
  }

  it('signs the agency clerk in, opens "Mô hình" from the header and then the registration form', async function () {
    await visit('/login');
    await fill('username', clerk.username);
    await fill('password', TEST_PASSWORD);
    const home = await clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);
    expect(pathname()).to.equal('/');

    expect(await text('nav.main-nav a[href="/models"]')).to.equal(vi('nav.models'));
    const list = await clickAndWait('nav.main-nav a[href="/models"]');
    expect(list.status()).to.equal(200);
    expect(pathname()).to.equal('/models');
    expect(await text('h1')).to.equal(vi('models.title'));
    expect(await text('main > p:not(.result-count)')).to.equal(vi('models.empty'));
    await inspect('models-01-list-empty');

    expect(await text('.page-head a[href="/models/new"]')).to.equal(vi('models.new'));
    const form = await clickAndWait('.page-head a[href="/models/new"]');
    expect(form.status()).to.equal(200);
    expect(pathname()).to.equal('/models/new');
    expect(await text('h1')).to.equal(vi('models.new'));
    expect(await valueOf('#field-unitId'), 'the clerk\'s own unit is chosen').to.equal(String(unit.id));
    expect(await text('#field-unitId option:checked')).to.include(unitName);
    expect(await valueOf('#field-year')).to.equal(String(new Date().getFullYear()));
    expect(await valueOf('#field-fieldCode'), 'no field is chosen for the clerk').to.equal('');
    expect(await text('label[for="field-startedOn"]')).to.include(vi('field.startedOn'));
  });

  it('refuses a form with no title, no field, 31/02/2024 and a 3-character summary, listing each error in Vietnamese, and writes nothing', async function () {
    await fill('title', '');
    await page.select('#field-fieldCode', '');
    await fill('startedOn', '31/02/2024');
    await fill('summary', 'abc');
    const rejected = await clickAndWait('form[action="/models"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);
    expect(pathname()).to.equal('/models');

    const expected = [
      { id: 'field-title', message: vi('validation.required', { label: vi('field.title') }) },
      { id: 'field-fieldCode', message: vi('validation.required', { label: vi('field.fieldCode') }) },
      { id: 'field-startedOn', message: vi('validation.date', { label: vi('field.startedOn') }) },
      { id: 'field-summary', message: vi('validation.tooShort', { label: vi('field.summary'), limit: 10 }) },
    ];
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const invalid = await invalidFields();
    expect(invalid.map(({ id, message }) => ({ id, message })).sort(byId)).to.deep.equal([...expected].sort(byId));
    for (const field of invalid) expect(field, field.id).to.include({ describedBy: true, marked: true });
    expect(await text('.error-summary h2')).to.equal(vi('common.formErrors', { count: 4 }));
    const links = await summaryLinks();
    expect(links).to.have.length(4);
    for (const field of expected) expect(links).to.deep.include({ href: `#${field.id}`, text: field.message });
    expect(await text('.error-summary')).to.match(/phải là ngày hợp lệ \(ngày\/tháng\/năm\)/);

    expect(await valueOf('#field-startedOn'), 'the input is kept').to.equal('31/02/2024');
    expect(await valueOf('#field-summary')).to.equal('abc');
    expect(await valueOf('#field-unitId')).to.equal(String(unit.id));
    expect(await modelCount(), 'nothing written').to.equal(0);
    await inspect('models-02-form-errors');
  });

  it('registers the model once the mistakes are fixed and shows it with the flash, status, unit and start date', async function () {
    await fill('title', modelTitle);
    await page.select('#field-fieldCode', 'kinh_te');
    await fill('startedOn', '15/03/2024');
    await fill('summary', modelSummary);
    const shown = await clickAndWait('form[action="/models"] button[type="submit"]');
    expect(shown.status()).to.equal(200);
    expect(pathname()).to.match(/^\/models\/\d+$/);

    const stored = await db()
      .selectFrom('models')
      .select(['id', 'code', 'title', 'field_code', 'block_code', 'started_on', 'status', 'kind'])
      .where('unit_id', '=', unit.id)
      .execute();
    expect(stored).to.have.length(1);
    const [row] = stored;
    if (!row) throw new Error('no model stored');
    expect(row).to.include({ title: modelTitle, field_code: 'kinh_te', block_code: 'mat_tran_doan_the', started_on: '2024-03-15', status: 'registered', kind: 'model' });
    expect(row.code).to.match(/^MH-\d{4}-\d{6}$/);
    model = { id: row.id, code: row.code };
    expect(pathname()).to.equal(`/models/${model.id}`);

    const flash = await text('.flash');
    expect(flash).to.match(/^Đã đăng ký MH-/);
    expect(flash).to.equal(vi('models.created', { code: model.code, title: modelTitle }));
    expect(await text('article h1')).to.equal(modelTitle);
    expect(await text('article .badge')).to.equal(vi('modelStatus.registered'));
    const facts = await page.$$eval('dl.facts dt', (dts) => dts.map((dt) => [(dt.textContent ?? '').trim(), (dt.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim()]));
    expect(facts).to.deep.include([vi('models.unit'), unitName]);
    expect(facts).to.deep.include([vi('models.field'), 'Kinh tế']);
    expect(facts).to.deep.include([vi('models.block'), 'Mặt trận và đoàn thể']);
    expect(facts).to.deep.include([vi('models.startedOn'), '15/03/2024']);
    expect(await text('article .prose')).to.equal(modelSummary);
    expect(await text('.timeline, section.card p.muted')).to.equal(vi('models.noHistory'));
    await inspect('models-03-model');
  });

  it('records a progress report that shows in the history, then marks an empty note next to its field', async function () {
    if (!model) this.skip();
    const options = await page.$$eval('#field-status option', (opts) => opts.map((option) => (option.textContent ?? '').trim()));
    expect(options).to.deep.equal([vi('modelStatus.implementing'), vi('modelStatus.discontinued')]);
    await page.select('#field-status', 'implementing');
    await fill('reportedOn', '01/04/2024');
    await fill('note', reportNote);
    await fill('peopleReached', '1250');
    await fill('fundsVnd', '350000000');
    const shown = await clickAndWait(`form[action="/models/${model.id}/reports"] button[type="submit"]`);
    expect(shown.status()).to.equal(200);
    expect(pathname()).to.equal(`/models/${model.id}`);
    expect(await text('.flash')).to.equal(vi('models.reported', { code: model.code }));
    expect(await text('article .badge')).to.equal(vi('modelStatus.implementing'));

    const entries = await page.$$eval('.timeline li', (items) => items.map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(entries).to.have.length(1);
    const [entry] = entries;
    expect(entry).to.include('01/04/2024');
    expect(entry).to.include(`${vi('modelStatus.registered')} → ${vi('modelStatus.implementing')}`);
    expect(entry).to.include(clerkName);
    expect(entry).to.include(reportNote);
    expect(entry).to.include('1.250 người · 350.000.000 đồng');
    await inspect('models-04-model-reported');
    await onPhone('models-04-model-reported-phone');

    const stored = await db().selectFrom('model_reports').select(['from_status', 'to_status', 'reported_on', 'people_reached', 'funds_vnd']).where('model_id', '=', model.id).execute();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.deep.include({ from_status: 'registered', to_status: 'implementing', reported_on: '2024-04-01', people_reached: 1250 });
    expect(Number(stored[0]?.funds_vnd)).to.equal(350_000_000);

    // A second report with the note left empty: refused, the message is next to the note.
    await page.select('#field-status', 'implementing');
    await fill('reportedOn', '15/04/2024');
    await fill('note', '');
    const rejected = await clickAndWait(`form[action="/models/${model.id}/reports"] button[type="submit"]`);
    expect(rejected.status()).to.equal(422);
    const noteError = vi('validation.required', { label: vi('field.note') });
    const invalid = await invalidFields();
    expect(invalid).to.deep.equal([{ id: 'field-note', message: noteError, describedBy: true, marked: true }]);
    expect(await summaryLinks()).to.deep.equal([{ href: '#field-note', text: noteError }]);
    expect(await page.$eval('#field-note', (note) => note.previousElementSibling?.id)).to.equal('error-note');
    expect(await valueOf('#field-reportedOn'), 'the date is kept').to.equal('15/04/2024');
    expect(await text('article .badge')).to.equal(vi('modelStatus.implementing'));
    expect(await page.$$('.timeline li')).to.have.length(1);
    expect(await db().selectFrom('model_reports').select('id').where('model_id', '=', model.id).execute()).to.have.length(1);
    await inspect('models-05-report-error');
  });

  it('finds the model in the list by "dan van kheo" (no diacritics), then filters it away by status "Đã hoàn thành"', async function () {
    if (!model) this.skip();
    await clickAndWait('main > p > a[href="/models"]');
    expect(pathname()).to.equal('/models');

    await typeInto('#filter-q', 'dan van kheo');
    const found = await clickAndWait('form[role="search"] button[type="submit"]');
    expect(found.status()).to.equal(200);
    expect(new URL(page.url()).searchParams.get('q')).to.equal('dan van kheo');
    expect(await text('.result-count strong')).to.equal(vi('models.found', { count: '1' }));
    expect(await text('.result-count strong')).to.match(/^Tìm thấy 1 mô hình/);
    expect(await valueOf('#filter-q'), 'the search is kept').to.equal('dan van kheo');
    const rows = await tableRows();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.deep.equal([model.code, modelTitle, unitName, String(new Date().getFullYear()), 'Kinh tế', vi('modelStatus.implementing')]);
    await inspect('models-06-list-found');
    await onPhone('models-06-list-found-phone');

    await page.select('#filter-status', 'completed');
    const filtered = await clickAndWait('form[role="search"] button[type="submit"]');
    expect(filtered.status()).to.equal(200);
    expect(new URL(page.url()).searchParams.get('status')).to.equal('completed');
    expect(await text('.result-count strong')).to.equal(vi('models.found', { count: '0' }));
    expect(await page.$$('table tbody tr')).to.have.length(0);
    expect(await text('main > p:not(.result-count)')).to.equal('Không có mô hình nào khớp với bộ lọc.');
    expect(await valueOf('#filter-status')).to.equal('completed');
    await inspect('models-07-list-no-result');
  });
});
