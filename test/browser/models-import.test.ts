// A new agency clerk brings a spreadsheet of models into the registry, driven through the real
// system Chromium: open the import page from "Mô hình", download the template, upload an .xlsx
// with a bad row (nothing is written, each error is named), fix it and import it, import an old
// TCVN3-encoded .csv (converted to Unicode), then export the list filtered by year as .xlsx and
// .csv. The import page, its error list and the list after the import are checked with axe-core
// (no serious or critical violations) and screenshotted to test/screenshots/ (git-ignored), the
// error list at 390 px too.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { mkdtemp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type ElementHandle, type HTTPResponse, type Page } from 'puppeteer';
import { IMPORT_COLUMNS } from '../../server/models/import.ts';
import { translate } from '../../server/web/i18n/index.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const AXE_SOURCE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
// A plain JS module without type declarations: imported through a variable so tsc types it loosely.
const CHROMIUM_MODULE = new URL('../../server/setup/chromium.mjs', import.meta.url).href;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

const HEADER = IMPORT_COLUMNS.map((column) => column.header);
type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

/** A sheet's rows as text, without exceljs's empty first slot. */
function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => cells.push(cell.text.trim()));
    rows.push(cells);
  });
  return rows;
}

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

describe('model import and export in a real browser (Chromium, axe-core)', function () {
  let browser: Browser | undefined;
  let page: Page;
  let userDataDir: string | undefined;
  /** Uploads written here and downloads received here (one folder per download). */
  let workDir: string | undefined;
  let axeSource: string;
  let unit: Awaited<ReturnType<typeof createUnit>>;
  let clerk: Awaited<ReturnType<typeof createUser>>;
  /** Sub-resources (CSS) that failed on the current page: a missing stylesheet would hide many faults. */
  let failedResources: string[] = [];
  let downloads = 0;

  const unitName = 'Ủy ban nhân dân phường Mong Thọ (thử nhập)';
  const titles = [
    'Dân vận khéo trong cải cách hành chính một cửa',
    'Điển hình "Dân vận khéo" vận động hiến đất làm đường',
    'Tổ tự quản an ninh trật tự khu phố',
  ];
  const legacyTitle = 'Dân vận khéo ở Mong Thọ A';

  function row(overrides: Partial<Record<ColumnKey, string | number>> = {}): (string | number)[] {
    const values: Record<string, string | number> = {
      title: titles[0]!,
      unitCode: unit.code,
      year: 2024,
      field: 'Cải cách hành chính',
      kind: 'Mô hình',
      summary: 'Niêm yết công khai thủ tục, cán bộ hướng dẫn tận tình để người dân chỉ đi một lần.',
      block: '',
      goals: '',
      startedOn: '01/02/2024',
      participants: '',
      contact: '',
      ...overrides,
    };
    return IMPORT_COLUMNS.map((column) => values[column.key] ?? '');
  }

  function goodRows(): (string | number)[][] {
    return [
      row({ title: titles[0]! }),
      row({ title: titles[1]!, kind: 'Điển hình', field: 'Kinh tế', year: 2023, startedOn: '' }),
      row({ title: titles[2]!, field: 'Quốc phòng, an ninh', year: 2025, summary: 'Nhân dân cùng tuần tra, giữ gìn an ninh trật tự khu phố.' }),
    ];
  }

  async function writeXlsx(name: string, rows: (string | number)[][]): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    for (const values of rows) sheet.addRow(values);
    const path = join(workDir!, name);
    await workbook.xlsx.writeFile(path);
    return path;
  }

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
    workDir = await mkdtemp(join(tmpdir(), 'dvk-import-'));
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
    unit = await createUnit({ name: unitName, blockCode: 'chinh_quyen' });
    clerk = await createUser({ role: 'agency', unitId: unit.id, fullName: 'Phạm Thị Nhập Liệu' });
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (workDir) await rm(workDir, { recursive: true, force: true });
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

  /** Chooses the file in the import form and submits it. */
  async function upload(path: string): Promise<HTTPResponse> {
    const input = (await page.$('input[type=file]')) as ElementHandle<HTMLInputElement> | null;
    if (!input) throw new Error('No file input on the import page');
    await input.uploadFile(path);
    return clickAndWait('form[action^="/models/import"] button[type="submit"]');
  }

  /**
   * Clicks a link that answers with an attachment and waits for the browser to save it into a
   * folder of its own; returns the saved file's path.
   */
  async function download(selector: string): Promise<string> {
    downloads += 1;
    const dir = join(workDir!, `download-${downloads}`);
    await mkdir(dir);
    const cdp = await page.createCDPSession();
    try {
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
      await page.click(selector);
      const deadline = Date.now() + 15_000;
      for (;;) {
        const names = (await readdir(dir)).filter((name) => !name.endsWith('.crdownload') && !name.startsWith('.'));
        const [name] = names;
        if (name) {
          // Chromium renames the partial file when it is complete; make sure the size has settled.
          const path = join(dir, name);
          const size = (await stat(path)).size;
          await new Promise((resolve) => setTimeout(resolve, 100));
          if (size > 0 && (await stat(path)).size === size) return path;
        }
        if (Date.now() > deadline) throw new Error(`No download after clicking ${selector} (folder holds: ${(await readdir(dir)).join(', ') || 'nothing'})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await cdp.detach();
    }
  }

  const pathname = () => new URL(page.url()).pathname;
  const text = (selector: string) => page.$eval(selector, (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
  const texts = (selector: string) => page.$$eval(selector, (elements) => elements.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()));
  const modelCount = async () =>
    Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<string>().as('n')).where('unit_id', '=', unit.id).executeTakeFirstOrThrow()).n);
  /** The "Tên" column of the list. */
  const listedTitles = () => page.$$eval('table tbody tr td:nth-child(2) a', (links) => links.map((link) => (link.textContent ?? '').trim()));

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
      await checkAxe(name);
    } finally {
      await page.setViewport(DESKTOP);
    }
  }

  it('signs the clerk in, opens the import page from "Mô hình" and downloads the .xlsx template with the import columns', async function () {
    await visit('/login');
    await fill('username', clerk.username);
    await fill('password', TEST_PASSWORD);
    await clickAndWait('form[action="/login"] button[type="submit"]');
    expect(pathname()).to.equal('/');

    await clickAndWait('nav.main-nav a[href="/models"]');
    expect(pathname()).to.equal('/models');
    expect(await text('.page-head a[href="/models/import"]')).to.equal('Nhập danh sách mô hình từ Excel');
    const form = await clickAndWait('.page-head a[href="/models/import"]');
    expect(form.status()).to.equal(200);
    expect(pathname()).to.equal('/models/import');
    expect(await text('h1')).to.equal(vi('import.title'));
    expect(await text('label[for="field-file"]')).to.equal(vi('import.file'));
    expect(await page.$eval('#field-file', (input) => (input as HTMLInputElement).accept)).to.equal('.xlsx,.csv');
    expect(await page.$('.error-summary')).to.equal(null);
    await inspect('models-import-01-form');

    const templateLink = 'a[href="/models/import/template.xlsx"]';
    expect(await text(templateLink)).to.equal(`${vi('import.template')} (.xlsx)`);
    const template = await download(templateLink);
    expect(template).to.match(/mau-nhap-mo-hinh\.xlsx$/);
    const workbook = await readWorkbook(template);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the template has no sheet');
    const [header, example] = sheetRows(sheet);
    expect(header).to.deep.equal(HEADER);
    expect(example, 'an example row under the header').to.have.length.greaterThan(0);
    expect(pathname(), 'the download leaves the page where it was').to.equal('/models/import');
  });

  it('refuses an .xlsx whose row 3 has no title and the year 1990, naming the row and both columns in Vietnamese, and writes nothing', async function () {
    const [first, , third] = goodRows();
    const file = await writeXlsx('danh-sach-loi.xlsx', [HEADER, first!, row({ title: '', year: 1990 }), third!]);
    const rejected = await upload(file);
    expect(rejected.status()).to.equal(422);
    expect(pathname()).to.equal('/models/import');

    expect(await text('.error-summary h2')).to.equal(vi('import.errorsTitle', { count: 2 }));
    expect(await text('.error-summary h2')).to.equal('Không nhập dòng nào vì có 2 lỗi:');
    const errors = await texts('.error-summary .import-errors li');
    expect(errors).to.have.members([
      vi('import.rowError', { line: 3, label: 'Tên mô hình, điển hình', message: vi('validation.required', { label: vi('field.title') }) }),
      vi('import.rowError', { line: 3, label: 'Năm', message: vi('validation.min', { label: vi('field.year'), limit: 2000 }) }),
    ]);
    for (const error of errors) expect(error).to.match(/^Dòng 3, cột "/);
    expect(errors.join('\n')).to.include('cột "Tên mô hình, điển hình"').and.to.include('cột "Năm"');
    expect(await page.$eval('.error-summary', (summary) => summary.getAttribute('role'))).to.equal('alert');
    expect(await modelCount(), 'nothing written').to.equal(0);
    await inspect('models-import-02-errors');
    await onPhone('models-import-02-errors-phone');
  });

  it('imports the fixed file: the list shows the flash and the 3 titles', async function () {
    const file = await writeXlsx('danh-sach.xlsx', [HEADER, ...goodRows()]);
    const imported = await upload(file);
    expect(imported.status()).to.equal(200);
    expect(pathname()).to.equal('/models');
    expect(await text('.flash')).to.equal('Đã nhập 3 mô hình, điển hình.');
    expect(await text('.flash')).to.equal(vi('import.done', { count: '3' }));
    expect(await listedTitles()).to.have.members(titles);
    expect(await text('.result-count strong')).to.equal(vi('models.found', { count: '3' }));
    expect(await modelCount()).to.equal(3);
    await inspect('models-import-03-list');

    const stored = await db().selectFrom('models').select(['title', 'kind', 'year', 'field_code']).where('unit_id', '=', unit.id).orderBy('title').execute();
    expect(stored.map((model) => model.title)).to.have.members(titles);
    expect(stored.find((model) => model.title === titles[1])).to.deep.include({ kind: 'exemplar', year: 2023, field_code: 'kinh_te' });
  });

  it('imports a TCVN3 (ABC) .csv, says it was converted, and lists the title in Unicode', async function () {
    await clickAndWait('.page-head a[href="/models/import"]');
    const csv = [
      'Tªn m« h×nh, ®iÓn h×nh;M· ®¬n vÞ;N¨m;LÜnh vùc;Lo¹i;Néi dung tãm t¾t',
      `D©n vËn khÐo ë Mong Thä A;${unit.code};2019;Kinh tÕ;M« h×nh;VËn ®éng nh©n d©n lµm ®\u00ADêng`,
    ].join('\r\n');
    const path = join(workDir!, 'danh-sach-tcvn3.csv');
    await writeFile(path, Buffer.from(`${csv}\r\n`, 'latin1'));
    const imported = await upload(path);
    expect(imported.status()).to.equal(200);
    expect(pathname()).to.equal('/models');
    const flash = await text('.flash');
    expect(flash).to.equal(`${vi('import.done', { count: '1' })} ${vi('import.converted', { encoding: 'TCVN3' })}`);
    expect(flash).to.include('bảng mã cũ TCVN3');
    expect(await listedTitles()).to.include(legacyTitle);
    expect(await modelCount()).to.equal(4);
    const stored = await db().selectFrom('models').select(['summary', 'year', 'kind', 'field_code']).where('unit_id', '=', unit.id).where('title', '=', legacyTitle).executeTakeFirstOrThrow();
    expect(stored).to.deep.include({ summary: 'Vận động nhân dân làm đường', year: 2019, kind: 'model', field_code: 'kinh_te' });
  });

  it('exports the list filtered by 2019 as .xlsx (only that model) and as .csv (UTF-8 with a BOM)', async function () {
    await page.select('#filter-year', '2019');
    await clickAndWait('form[role="search"] button[type="submit"]');
    expect(new URL(page.url()).searchParams.get('year')).to.equal('2019');
    expect(await listedTitles()).to.deep.equal([legacyTitle]);

    const xlsxLink = '.page-head a[href^="/models/export.xlsx"]';
    expect(await text(xlsxLink)).to.equal('Xuất Excel (.xlsx)');
    expect(new URLSearchParams((await page.$eval(xlsxLink, (link) => link.getAttribute('href') ?? '')).split('?')[1]).get('year')).to.equal('2019');
    const xlsx = await download(xlsxLink);
    expect(xlsx).to.match(/\.xlsx$/);
    const sheet = (await readWorkbook(xlsx)).worksheets[0];
    if (!sheet) throw new Error('the export has no sheet');
    const rows = sheetRows(sheet);
    expect(rows[0]?.[1]).to.equal(vi('models.name'));
    const exported = rows.slice(1);
    expect(exported).to.have.length(1);
    expect(exported[0]?.[1]).to.equal(legacyTitle);
    const all = rows.flat().join('\n');
    for (const title of titles) expect(all).not.to.include(title);

    const csvLink = '.page-head a[href^="/models/export.csv"]';
    expect(await text(csvLink)).to.equal('Xuất CSV');
    const csv = await readFile(await download(csvLink));
    expect([...csv.subarray(0, 3)], 'the UTF-8 byte order mark').to.deep.equal([0xef, 0xbb, 0xbf]);
    const csvText = csv.toString('utf8');
    expect(csvText).to.include(legacyTitle);
    for (const title of titles) expect(csvText).not.to.include(title);
    expect(pathname()).to.equal('/models');
  });
});
