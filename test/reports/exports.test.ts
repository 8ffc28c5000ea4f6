// The summary as a page, a workbook and a PDF, for a logged-in secretary: every sheet of the
// .xlsx holds the same figures as the JSON, the PDF's text has the headline figures and the unit,
// and the page writes the figures the Vietnamese way (1.649; 12,18%).
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { ctx } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { extractText, extractWords, pageSizes } from '../support/pdf.ts';
import { awardCertificates, createLargeProvince, createReportProvince, PREVIOUS, YEAR, type ReportProvince } from './dataset.ts';

/** A file from a page the browser may open: Browser.get reads text, a workbook or PDF needs the bytes. */
async function download(browser: Browser, path: string) {
  const response = await fetch(ctx().baseUrl + path, {
    redirect: 'manual',
    headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function loggedIn(username: string, password: string): Promise<Browser> {
  const browser = new Browser();
  const login = await browser.login(username, password);
  expect(login.status, 'logged in').to.equal(303);
  return browser;
}

/** A sheet's rows as arrays of cell values (empty cells as null, `width` cells at least), without ExcelJS's empty first slot. */
function rowsOf(sheet: ExcelJS.Worksheet, width = 0): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    while (values.length < width) values.push(undefined);
    rows.push(Array.from(values, (value) => (value === undefined ? null : value)));
  });
  return rows;
}

interface Row {
  name: string;
  registered: number;
  implementing: number;
  completed: number;
  recognized: number;
  previous: { registered: number };
  change: { registered: { count: number; percent: number | null } };
  share: number | null;
}

/** A percentage as the workbook stores it: the fraction, shown "25.00%" by its format. */
const pct = (value: number | null) => (value === null ? null : value / 100);

const tableRow = (row: Row, withShare = false) => {
  const cells: unknown[] = [row.name, row.registered, row.implementing, row.completed, row.recognized, row.previous.registered, row.change.registered.count, pct(row.change.registered.percent)];
  if (withShare) cells.push(pct(row.share));
  return cells;
};

describe('reports exports: the workbook and the PDF of a province with known figures', function () {
  let p: ReportProvince;
  let browser: Browser;
  let json: any;
  const query = () => `year=${YEAR}&unitId=${p.province.id}`;

  before(async function () {
    this.timeout(120_000);
    p = await createReportProvince();
    await awardCertificates(p);
    json = (await api('GET', `/reports/summary?${query()}`, { token: p.secretary.token })).body;
    browser = await loggedIn(p.secretary.username, p.secretary.password);
  });

  it('downloads an .xlsx with one sheet per breakdown whose figures are the JSON\'s', async () => {
    const file = await download(browser, `/reports/summary.xlsx?${query()}`);
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers.get('content-disposition')).to.equal(`attachment; filename="bao-cao-dan-van-kheo-${YEAR}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).to.deep.equal(['Tổng hợp', 'Lĩnh vực', 'Khối', 'Loại', 'Đơn vị', 'Qua các năm', 'Khen thưởng']);
    const sheet = (name: string, width = 0) => {
      const found = workbook.getWorksheet(name);
      if (!found) throw new Error(`no sheet ${name}`);
      return rowsOf(found, width);
    };

    const overview = sheet('Tổng hợp');
    expect(overview[0]).to.deep.equal(['Báo cáo tổng hợp', p.province.name, YEAR]);
    expect(overview.slice(2, 11)).to.deep.equal([
      ['Chỉ tiêu', String(YEAR), String(PREVIOUS), 'Tăng, giảm', 'Tăng, giảm (%)'],
      ['Đăng ký', 10, 8, 2, pct(25)],
      ['Đã và đang triển khai', 7, 6, 1, pct(16.67)],
      ['Đã hoàn thành', 4, 3, 1, pct(33.33)],
      ['Được công nhận', 2, 1, 1, pct(100)],
      ['Nhân rộng', 2, 0],
      ['Dừng thực hiện', 1, 1],
      ['Bằng khen tập thể', 2],
      ['Bằng khen cá nhân', 2],
    ]);
    expect(overview[12]).to.deep.equal([json.paragraph]);

    const header = ['Tên', 'Đăng ký', 'Đã và đang triển khai', 'Đã hoàn thành', 'Được công nhận', `Đăng ký ${PREVIOUS}`, 'Tăng, giảm', 'Tăng, giảm (%)'];
    // A percent of null (nothing the year before) is an empty cell.
    expect(sheet('Lĩnh vực', 8)).to.deep.equal([header, ...json.models.byField.map((row: Row) => tableRow(row))]);
    expect(sheet('Khối', 9)).to.deep.equal([[...header, 'Tỷ lệ'], ...json.models.byBlock.map((row: Row) => tableRow(row, true))]);
    expect(sheet('Loại', 8)).to.deep.equal([header, ...json.models.byKind.map((row: Row) => tableRow(row))]);
    expect(sheet('Đơn vị', 8)).to.deep.equal([header, ...json.models.byUnit.map((row: Row) => tableRow(row))]);
    // Spot checks against the hand-worked figures, so that a wrong JSON cannot make a matching wrong sheet.
    expect(sheet('Khối')[1]).to.deep.equal(['Chính quyền', 7, 6, 4, 2, 5, 2, pct(40), pct(70)]);
    expect(sheet('Đơn vị')[1]).to.deep.equal([p.education.name, 5, 4, 3, 1, 3, 2, pct(66.67)]);
    expect(sheet('Qua các năm')).to.deep.equal([
      ['Năm', 'Đăng ký', 'Đã và đang triển khai'],
      [2017, 1, 0], [2018, 0, 0], [2019, 0, 0], [2020, 2, 1], [2021, 0, 0], [2022, 0, 0], [2023, 8, 6], [2024, 10, 7],
    ]);
    const awardName = json.awards.byRound[0].awardName;
    expect(sheet('Khen thưởng')).to.deep.equal([
      ['Đợt khen thưởng', 'Hình thức', 'Tập thể', 'Cá nhân'],
      ['Tổng kết phong trào thi đua "Dân vận khéo" năm 2024', awardName, 1, 2],
      ['Khen thưởng chuyên đề dân vận chính quyền năm 2024', awardName, 1, 0],
      ['Tổng cộng', '', 2, 2],
    ]);
    // Numbers are numbers, shown with a thousands separator by the reader's Excel.
    const registered = workbook.getWorksheet('Tổng hợp')?.getCell('B4');
    expect(registered?.value).to.equal(10);
    expect(registered?.numFmt).to.equal('#,##0');
    // Years without a thousands separator, percentages as percentages.
    expect(workbook.getWorksheet('Tổng hợp')?.getCell('C1').numFmt).to.equal('0');
    expect(workbook.getWorksheet('Qua các năm')?.getCell('A2').numFmt).to.equal('0');
    const change = workbook.getWorksheet('Tổng hợp')?.getCell('E4');
    expect([change?.value, change?.numFmt]).to.deep.equal([0.25, '0.00%']);
  });

  it('downloads a PDF whose text holds the unit, the headline figures with their change and the paragraph', async function () {
    this.timeout(60_000);
    const file = await download(browser, `/reports/summary.pdf?${query()}`);
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-type')).to.equal('application/pdf');
    expect(file.bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    const layout = await extractText(file.bytes, { layout: true });
    const text = (await extractText(file.bytes)).replace(/\s+/g, ' ');
    // The four headline figures side by side, each over its label and its change.
    expect(layout).to.match(/^\s*10\s+7\s+4\s+2\s*$/m);
    expect(layout).to.match(/^\s*Đăng ký\s+Đã và đang triển khai\s+Đã hoàn thành\s+Được công nhận\s*$/m);
    expect(text).to.include(p.province.name);
    expect(text).to.include(`Tổng hợp phong trào thi đua "Dân vận khéo" năm ${YEAR}`);
    for (const figure of ['+2 (+25%)', '+1 (+16,67%)', '+1 (+33,33%)', '+1 (+100%)']) expect(text).to.include(figure);
    expect(text).to.include('Trong khối chính quyền có 7/10 mô hình (70%).');
    expect(text).to.include('70%');
    expect(text).to.include(p.education.name);
    const sizes = await pageSizes(file.bytes);
    expect(sizes, 'pages').to.not.be.empty;
    for (const { width, height } of sizes) {
      expect(width, 'A4 portrait: width').to.be.within(594, 596);
      expect(height, 'A4 portrait: height').to.be.within(841, 843);
    }
    // The tables stay inside the page: no word runs into the right margin (15 mm) or off the paper
    // (2 pt for the word boxes' rounding: a justified line ends on the margin).
    const { pages, words } = await extractWords(file.bytes);
    const rightEdge = (page: number) => pages[page - 1]!.width - (15 / 25.4) * 72 + 2;
    const outside = words.filter((word) => word.xMin < 0 || word.xMax > rightEdge(word.page));
    expect(outside.map((word) => `${word.page}: ${word.text} ${word.xMax.toFixed(1)}/${rightEdge(word.page).toFixed(1)}`), 'words past the right margin').to.deep.equal([]);
  });

  it('shows the same figures on the page, with the form set to the year and unit', async () => {
    const page = await browser.get(`/reports?${query()}`);
    expect(page.status).to.equal(200);
    const html = page.html.replace(/&#x3D;/g, '=');
    expect(html).to.include(`<option value="${YEAR}" selected`);
    expect(html).to.match(new RegExp(`<option value="${p.province.id}"[^>]*selected`));
    expect(html).to.include(`href="/reports/summary.xlsx?year=${YEAR}&amp;unitId=${p.province.id}"`);
    expect(html).to.include(`href="/reports/summary.pdf?year=${YEAR}&amp;unitId=${p.province.id}"`);
    const stats = [...html.matchAll(/<span class="stat__value">([^<]*)<\/span><span class="stat__label">([^<]*)<\/span><span class="stat__change[^"]*">([^<]*)<\/span>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(stats).to.deep.equal([
      ['10', 'Đăng ký', '+2 (+25%) so với năm 2023'],
      ['7', 'Đã và đang triển khai', '+1 (+16,67%) so với năm 2023'],
      ['4', 'Đã hoàn thành', '+1 (+33,33%) so với năm 2023'],
      ['2', 'Được công nhận', '+1 (+100%) so với năm 2023'],
    ]);
    expect(html).to.include('-1 (-33,33%)');
  });
});

describe('reports page: large figures, validation and scope', function () {
  it('writes 1.649, 1.546, +179 (+12,18%) and 72,77% on the page', async function () {
    this.timeout(60_000);
    const { province, secretary } = await createLargeProvince();
    const browser = await loggedIn(secretary.username, secretary.password);
    const page = await browser.get(`/reports?year=${YEAR}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.include(province.name);
    expect(page.html).to.include('<span class="stat__value">1.649</span>');
    expect(page.html).to.include('<span class="stat__value">1.546</span>');
    expect(page.html).to.include('+179 (+12,18%)');
    expect(page.html).to.include('+113 (+7,89%)');
    expect(page.html).to.include('72,77%');
    expect(page.html).to.include('1.200/1.649 mô hình (72,77%)');
    expect(page.html).not.to.include('1,649');
  });

  it('answers the page with year=abc by 422 with the Vietnamese message, and another unit\'s report by 404', async () => {
    const agency = await createUserWithToken({ role: 'agency' });
    const other = await createUserWithToken({ role: 'agency' });
    const browser = await loggedIn(agency.username, agency.password);
    const bad = await browser.get('/reports?year=abc');
    expect(bad.status).to.equal(422);
    expect(bad.html).to.include('Năm phải là một số.');
    expect((await browser.get(`/reports?year=${YEAR}&unitId=${other.unit_id}`)).status).to.equal(404);
    expect((await download(browser, `/reports/summary.xlsx?year=${YEAR}&unitId=${other.unit_id}`)).status).to.equal(404);
    expect((await download(browser, `/reports/summary.pdf?year=${YEAR}&unitId=${other.unit_id}`)).status).to.equal(404);
  });

  it('sends a visitor who is not logged in to the login page', async () => {
    const response = await new Browser().get(`/reports?year=${YEAR}`);
    expect(response.status).to.equal(303);
    expect(response.location).to.match(/^\/login/);
  });
});
