// The committee secretary's year-end report, driven through the real system Chromium: open
// "Báo cáo" from the header, switch the year and then the unit with the form, download the .xlsx
// and the PDF, and look at the page on a phone. Every page is checked with axe-core (no serious
// or critical violations) and screenshotted to test/screenshots/reports-NN-*.png (git-ignored).
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Page } from 'puppeteer';
import ExcelJS from 'exceljs';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, PHONE, type BrowserSession } from '../support/browser.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { awardCertificates, createReportProvince, YEAR, type ReportProvince } from '../reports/dataset.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('year-end report flow in a real browser (Chromium, axe-core)', function () {
  let session: BrowserSession;
  let page: Page;
  let p: ReportProvince;

  before(async function () {
    this.timeout(120_000);
    session = await launchBrowserSession();
    page = session.page;
    p = await createReportProvince();
    await awardCertificates(p);
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  const valueOf = (selector: string) => page.$eval(selector, (element) => (element as HTMLSelectElement).value);
  const headlines = () =>
    page.$$eval('.stats .stat', (stats) => stats.map((stat) => [stat.querySelector('.stat__value')?.textContent ?? '', stat.querySelector('.stat__label')?.textContent ?? '']));

  it('signs the secretary in and opens "Báo cáo" from the header: this year\'s report of the province', async function () {
    await session.visit('/login');
    await session.fillField('username', p.secretary.username);
    await session.fillField('password', TEST_PASSWORD);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);

    expect(await session.text('nav.main-nav a[href="/reports"]')).to.equal(vi('nav.reports'));
    const report = await session.clickAndWait('nav.main-nav a[href="/reports"]');
    expect(report.status()).to.equal(200);
    expect(session.pathname()).to.equal('/reports');
    const thisYear = new Date().getFullYear();
    expect(await valueOf('#field-year')).to.equal(String(thisYear));
    expect(await valueOf('#field-unitId')).to.equal(String(p.province.id));
    expect(await session.text('h1')).to.equal(vi('reports.heading', { year: thisYear, unit: p.province.name }));
    expect((await headlines()).map(([value]) => value)).to.deep.equal(['0', '0', '0', '0']);
    await session.inspect('reports-01-this-year');
  });

  it('switches to 2024 with the form and shows the figures, tables and charts', async function () {
    await page.select('#field-year', String(YEAR));
    const shown = await session.clickAndWait('form.filters button[type="submit"]');
    expect(shown.status()).to.equal(200);
    const url = new URL(page.url());
    expect(url.searchParams.get('year')).to.equal(String(YEAR));
    expect(await session.text('h1')).to.equal(vi('reports.heading', { year: YEAR, unit: p.province.name }));
    expect(await headlines()).to.deep.equal([
      ['10', vi('reports.registered')],
      ['7', vi('reports.implementing')],
      ['4', vi('reports.completed')],
      ['2', vi('reports.recognized')],
    ]);
    expect(await session.text('.stat__change--up')).to.equal('+2 (+25%) so với năm 2023');
    expect(await session.text('.report-paragraph')).to.include('Trong khối chính quyền có 7/10 mô hình (70%).');
    expect(await page.$$('svg.bar-chart')).to.have.length(2);
    expect(await page.$$('svg.trend-chart')).to.have.length(1);
    const unitRows = await page.$$eval('.report-section', (sections) => {
      const section = sections.find((s) => s.querySelector('h2')?.textContent === 'Theo đơn vị trực thuộc');
      return [...(section?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim()));
    });
    expect(unitRows[0]).to.deep.equal([p.education.name, '5', '4', '3', '1', '3', '+2 (+66,67%)']);
    expect(unitRows.map((row) => row[0])).to.deep.equal([p.education.name, p.farmers.name, p.district.name, `${p.province.name} (trực tiếp)`]);
    const alignments = await page.$$eval('.report-table .number', (cells) => [...new Set(cells.map((cell) => getComputedStyle(cell).textAlign))]);
    expect(alignments, 'every figure right-aligned, headings included').to.deep.equal(['right']);
    const labels = await page.$$eval('form.filters label', (elements) => elements.map((label) => (label.textContent ?? '').trim()));
    expect(labels, 'a filter marks no field "(không bắt buộc)"').to.deep.equal([vi('reports.year'), vi('reports.unit')]);
    await session.inspect('reports-02-year-2024');
  });

  it('switches the unit to the Sở Giáo dục, whose merged predecessor counts with it', async function () {
    await page.select('#field-unitId', String(p.education.id));
    const shown = await session.clickAndWait('form.filters button[type="submit"]');
    expect(shown.status()).to.equal(200);
    const url = new URL(page.url());
    expect(url.searchParams.get('unitId')).to.equal(String(p.education.id));
    expect(url.searchParams.get('year')).to.equal(String(YEAR));
    expect(await valueOf('#field-year')).to.equal(String(YEAR));
    expect(await session.text('h1')).to.equal(vi('reports.heading', { year: YEAR, unit: p.education.name }));
    expect((await headlines()).map(([value]) => value)).to.deep.equal(['5', '4', '3', '1']);
    await session.inspect('reports-03-unit');
  });

  it('downloads the report as .xlsx and as PDF', async function () {
    this.timeout(60_000);
    const xlsx = await session.download('.page-head a[href^="/reports/summary.xlsx"]');
    expect(basename(xlsx)).to.equal(`bao-cao-dan-van-kheo-${YEAR}.xlsx`);
    const workbookBytes = await readFile(xlsx);
    expect(workbookBytes.length).to.be.greaterThan(1000);
    expect(workbookBytes.subarray(0, 2).toString('latin1'), 'a zip file').to.equal('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(workbookBytes as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('Tổng hợp')?.getCell('B4').value, 'registered, of the unit chosen in the form').to.equal(5);

    const pdf = await session.download('.page-head a[href^="/reports/summary.pdf"]');
    expect(basename(pdf)).to.equal(`bao-cao-dan-van-kheo-${YEAR}.pdf`);
    const pdfBytes = await readFile(pdf);
    expect(pdfBytes.length).to.be.greaterThan(10_000);
    expect(pdfBytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(session.pathname(), 'still on the report').to.equal('/reports');
  });

  it('fits a phone without sideways scrolling', async function () {
    await session.visit(`/reports?year=${YEAR}&unitId=${p.province.id}`);
    await session.inspectOnPhone('reports-04-phone');
    // The charts are drawn smaller on a narrow phone: their labels must still be 11 px or more on screen.
    const sizes = await session.atViewport({ ...PHONE, width: 375 }, () =>
      page.$$eval('.chart svg text', (texts) =>
        texts.map((text) => {
          const svg = (text as SVGTextElement).ownerSVGElement;
          const scale = svg?.getScreenCTM()?.a ?? 1;
          return { text: text.textContent ?? '', px: Math.round(parseFloat(getComputedStyle(text).fontSize) * scale * 10) / 10 };
        }),
      ),
    );
    expect(sizes.length).to.be.greaterThan(20);
    expect(sizes.filter((size) => size.px < 11), 'chart labels under 11 px at 375 px wide').to.deep.equal([]);
  });
});
