// A new agency clerk brings a spreadsheet of models into the registry, driven through the real
// system Chromium: open the import page from "Mô hình", download the template, upload an .xlsx
// with a bad row (nothing is written, each error is named), fix it and import it, import an old
// TCVN3-encoded .csv (converted to Unicode), then export the list filtered by year as .xlsx and
// .csv. The import page, its error list and the list after the import are checked with axe-core
// (no serious or critical violations) and screenshotted to test/screenshots/ (git-ignored), the
// error list at 390 px too.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, HTTPResponse, Page } from 'puppeteer';
import { IMPORT_COLUMNS } from '../../server/models/import.ts';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';

const HEADER = IMPORT_COLUMNS.map((column) => column.header);
type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

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
  let session: BrowserSession;
  let page: Page;
  /** The spreadsheets to upload are written here (downloads go to the session's own folder). */
  let workDir: string | undefined;
  let unit: Awaited<ReturnType<typeof createUnit>>;
  let clerk: Awaited<ReturnType<typeof createUser>>;

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
    session = await launchBrowserSession();
    page = session.page;
    workDir = await mkdtemp(join(tmpdir(), 'dvk-import-'));
    unit = await createUnit({ name: unitName, blockCode: 'chinh_quyen' });
    clerk = await createUser({ role: 'agency', unitId: unit.id, fullName: 'Phạm Thị Nhập Liệu' });
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Chooses the file in the import form and submits it. */
  async function upload(path: string): Promise<HTTPResponse> {
    const input = (await page.$('input[type=file]')) as ElementHandle<HTMLInputElement> | null;
    if (!input) throw new Error('No file input on the import page');
    await input.uploadFile(path);
    return session.clickAndWait('form[action^="/models/import"] button[type="submit"]');
  }

  const texts = (selector: string) => page.$$eval(selector, (elements) => elements.map((element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim()));
  const modelCount = async () =>
    Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<string>().as('n')).where('unit_id', '=', unit.id).executeTakeFirstOrThrow()).n);
  /** The "Tên" column of the list. */
  const listedTitles = () => page.$$eval('table tbody tr td:nth-child(2) a', (links) => links.map((link) => (link.textContent ?? '').trim()));

  it('signs the clerk in, opens the import page from "Mô hình" and downloads the .xlsx template with the import columns', async function () {
    await session.visit('/login');
    await session.fillField('username', clerk.username);
    await session.fillField('password', TEST_PASSWORD);
    await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(session.pathname()).to.equal('/');

    await session.clickAndWait('nav.main-nav a[href="/models"]');
    expect(session.pathname()).to.equal('/models');
    expect(await session.text('.page-head a[href="/models/import"]')).to.equal('Nhập danh sách mô hình từ Excel');
    const form = await session.clickAndWait('.page-head a[href="/models/import"]');
    expect(form.status()).to.equal(200);
    expect(session.pathname()).to.equal('/models/import');
    expect(await session.text('h1')).to.equal(vi('import.title'));
    expect(await session.text('label[for="field-file"]')).to.equal(vi('import.file'));
    expect(await page.$eval('#field-file', (input) => (input as HTMLInputElement).accept)).to.equal('.xlsx,.csv');
    expect(await page.$('.error-summary')).to.equal(null);
    await session.inspect('models-import-01-form');

    const templateLink = 'a[href="/models/import/template.xlsx"]';
    expect(await session.text(templateLink)).to.equal(`${vi('import.template')} (.xlsx)`);
    const template = await session.download(templateLink);
    expect(template).to.match(/mau-nhap-mo-hinh\.xlsx$/);
    const workbook = await readWorkbook(template);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('the template has no sheet');
    const [header, example] = sheetRows(sheet);
    expect(header).to.deep.equal(HEADER);
    expect(example, 'an example row under the header').to.have.length.greaterThan(0);
    expect(session.pathname(), 'the download leaves the page where it was').to.equal('/models/import');
  });

  it('refuses an .xlsx whose row 3 has no title and the year 1990, naming the row and both columns in Vietnamese, and writes nothing', async function () {
    const [first, , third] = goodRows();
    const file = await writeXlsx('danh-sach-loi.xlsx', [HEADER, first!, row({ title: '', year: 1990 }), third!]);
    const rejected = await upload(file);
    expect(rejected.status()).to.equal(422);
    expect(session.pathname()).to.equal('/models/import');

    expect(await session.text('.error-summary h2')).to.equal(vi('import.errorsTitle', { count: 2 }));
    expect(await session.text('.error-summary h2')).to.equal('Không nhập dòng nào vì có 2 lỗi:');
    const errors = await texts('.error-summary .import-errors li');
    expect(errors).to.have.members([
      vi('import.rowError', { line: 3, label: 'Tên mô hình, điển hình', message: vi('validation.required', { label: vi('field.title') }) }),
      vi('import.rowError', { line: 3, label: 'Năm', message: vi('validation.min', { label: vi('field.year'), limit: 2000 }) }),
    ]);
    for (const error of errors) expect(error).to.match(/^Dòng 3, cột "/);
    expect(errors.join('\n')).to.include('cột "Tên mô hình, điển hình"').and.to.include('cột "Năm"');
    expect(await page.$eval('.error-summary', (summary) => summary.getAttribute('role'))).to.equal('alert');
    expect(await modelCount(), 'nothing written').to.equal(0);
    await session.inspect('models-import-02-errors');
    await session.inspectOnPhone('models-import-02-errors-phone');
  });

  it('imports the fixed file: the list shows the flash and the 3 titles', async function () {
    const file = await writeXlsx('danh-sach.xlsx', [HEADER, ...goodRows()]);
    const imported = await upload(file);
    expect(imported.status()).to.equal(200);
    expect(session.pathname()).to.equal('/models');
    expect(await session.text('.flash')).to.equal('Đã nhập 3 mô hình, điển hình.');
    expect(await session.text('.flash')).to.equal(vi('import.done', { count: '3' }));
    expect(await listedTitles()).to.have.members(titles);
    expect(await session.text('.result-count strong')).to.equal(vi('models.found', { count: '3' }));
    expect(await modelCount()).to.equal(3);
    await session.inspect('models-import-03-list');

    const stored = await db().selectFrom('models').select(['title', 'kind', 'year', 'field_code']).where('unit_id', '=', unit.id).orderBy('title').execute();
    expect(stored.map((model) => model.title)).to.have.members(titles);
    expect(stored.find((model) => model.title === titles[1])).to.deep.include({ kind: 'exemplar', year: 2023, field_code: 'kinh_te' });
  });

  it('imports a TCVN3 (ABC) .csv, says it was converted, and lists the title in Unicode', async function () {
    await session.clickAndWait('.page-head a[href="/models/import"]');
    const csv = [
      'Tªn m« h×nh, ®iÓn h×nh;M· ®¬n vÞ;N¨m;LÜnh vùc;Lo¹i;Néi dung tãm t¾t',
      `D©n vËn khÐo ë Mong Thä A;${unit.code};2019;Kinh tÕ;M« h×nh;VËn ®éng nh©n d©n lµm ®\u00ADêng`,
    ].join('\r\n');
    const path = join(workDir!, 'danh-sach-tcvn3.csv');
    await writeFile(path, Buffer.from(`${csv}\r\n`, 'latin1'));
    const imported = await upload(path);
    expect(imported.status()).to.equal(200);
    expect(session.pathname()).to.equal('/models');
    const flash = await session.text('.flash');
    expect(flash).to.equal(`${vi('import.done', { count: '1' })} ${vi('import.converted', { encoding: 'TCVN3' })}`);
    expect(flash).to.include('bảng mã cũ TCVN3');
    expect(await listedTitles()).to.include(legacyTitle);
    expect(await modelCount()).to.equal(4);
    const stored = await db().selectFrom('models').select(['summary', 'year', 'kind', 'field_code']).where('unit_id', '=', unit.id).where('title', '=', legacyTitle).executeTakeFirstOrThrow();
    expect(stored).to.deep.include({ summary: 'Vận động nhân dân làm đường', year: 2019, kind: 'model', field_code: 'kinh_te' });
  });

  it('exports the list filtered by 2019 as .xlsx (only that model) and as .csv (UTF-8 with a BOM)', async function () {
    await page.select('#filter-year', '2019');
    await session.clickAndWait('form[role="search"] button[type="submit"]');
    expect(new URL(page.url()).searchParams.get('year')).to.equal('2019');
    expect(await listedTitles()).to.deep.equal([legacyTitle]);

    const xlsxLink = '.page-head a[href^="/models/export.xlsx"]';
    expect(await session.text(xlsxLink)).to.equal('Xuất Excel (.xlsx)');
    expect(new URLSearchParams((await page.$eval(xlsxLink, (link) => link.getAttribute('href') ?? '')).split('?')[1]).get('year')).to.equal('2019');
    const xlsx = await session.download(xlsxLink);
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
    expect(await session.text(csvLink)).to.equal('Xuất CSV');
    const csv = await readFile(await session.download(csvLink));
    expect([...csv.subarray(0, 3)], 'the UTF-8 byte order mark').to.deep.equal([0xef, 0xbb, 0xbf]);
    const csvText = csv.toString('utf8');
    expect(csvText).to.include(legacyTitle);
    for (const title of titles) expect(csvText).not.to.include(title);
    expect(session.pathname()).to.equal('/models');
  });
});
