// The summary as a workbook: one sheet per breakdown, numbers as numbers (formatted by Excel in the
// reader's locale), text made safe against formula injection; the national report as one sheet.
import ExcelJS from 'exceljs';
import { safeCell } from '../models/spreadsheet.ts';
import { translate, type Language } from '../web/i18n/index.ts';
import type { National, Row, Summary } from './present.ts';

/** A year as Excel should show it: 2025, never "2.025". */
const YEAR_FORMAT = '0';
/** A share or a change stored as a fraction and shown as a percentage (25 % is 0.25 shown "25.00%"). */
const PERCENT_FORMAT = '0.00%';

/** Sets the format of the row's cells at these 1-based columns (a percentage's value becomes its fraction). */
function formatColumns(row: ExcelJS.Row, years: number[], percents: number[]): void {
  for (const column of years) if (typeof row.getCell(column).value === 'number') row.getCell(column).numFmt = YEAR_FORMAT;
  for (const column of percents) {
    const cell = row.getCell(column);
    if (typeof cell.value !== 'number') continue;
    cell.value = cell.value / 100;
    cell.numFmt = PERCENT_FORMAT;
  }
}

export async function summaryWorkbook(summary: Summary, paragraph: string, language: Language): Promise<Buffer> {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate(language, key, params);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t('app.name');
  const { models, awards, year } = summary;

  const overview = workbook.addWorksheet(t('reports.sheet.overview'));
  const title = overview.addRow([t('reports.title'), safeCell(summary.unitName), year]);
  title.font = { bold: true };
  formatColumns(title, [3], []);
  overview.addRow([]);
  overview.addRow([t('reports.figure'), String(year), String(year - 1), t('reports.change'), t('reports.changePercent')]).font = { bold: true };
  const figures = [
    ['reports.registered', models.registered, models.previousYear.registered, models.change.registered],
    ['reports.implementing', models.implementing, models.previousYear.implementing, models.change.implementing],
    ['reports.completed', models.completed, models.previousYear.completed, models.change.completed],
    ['reports.recognized', models.recognized, models.previousYear.recognized, models.change.recognized],
  ] as const;
  for (const [key, current, previous, change] of figures) formatColumns(overview.addRow([t(key), current, previous, change.count, change.percent]), [], [5]);
  overview.addRow([t('reports.replicated'), models.replicated, models.previousYear.replicated]);
  overview.addRow([t('reports.discontinued'), models.discontinued, models.previousYear.discontinued]);
  overview.addRow([t('reports.awardsCollectives'), awards.collectives]);
  overview.addRow([t('reports.awardsIndividuals'), awards.individuals]);
  overview.addRow([]);
  overview.addRow([safeCell(paragraph)]);
  overview.getColumn(1).width = 42;
  for (const column of [2, 3, 4, 5]) overview.getColumn(column).width = 14;

  const breakdownSheet = (name: string, rows: Row[], withShare = false) => {
    const sheet = workbook.addWorksheet(name);
    const header = [t('reports.name'), t('reports.registered'), t('reports.implementing'), t('reports.completed'), t('reports.recognized'), `${t('reports.registered')} ${year - 1}`, t('reports.change'), t('reports.changePercent')];
    if (withShare) header.push(t('reports.share'));
    sheet.addRow(header).font = { bold: true };
    for (const row of rows) {
      const cells: (string | number | null)[] = [safeCell(row.name), row.registered, row.implementing, row.completed, row.recognized, row.previous.registered, row.change.registered.count, row.change.registered.percent];
      if (withShare) cells.push(row.share);
      formatColumns(sheet.addRow(cells), [], withShare ? [8, 9] : [8]);
    }
    sheet.getColumn(1).width = 44;
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  };
  breakdownSheet(t('reports.sheet.fields'), models.byField);
  breakdownSheet(t('reports.sheet.blocks'), models.byBlock, true);
  breakdownSheet(t('reports.sheet.kinds'), models.byKind);
  breakdownSheet(t('reports.sheet.units'), models.byUnit);

  const trend = workbook.addWorksheet(t('reports.sheet.trend'));
  trend.addRow([t('reports.year'), t('reports.registered'), t('reports.implementing')]).font = { bold: true };
  for (const point of models.trend) formatColumns(trend.addRow([point.year, point.registered, point.implementing]), [1], []);

  const rounds = workbook.addWorksheet(t('reports.sheet.awards'));
  rounds.addRow([t('reports.round'), t('reports.award'), t('reports.collectives'), t('reports.individuals')]).font = { bold: true };
  for (const round of awards.byRound) rounds.addRow([safeCell(round.title), safeCell(round.awardName), round.collectives, round.individuals]);
  rounds.addRow([t('reports.total'), '', awards.collectives, awards.individuals]).font = { bold: true };
  rounds.getColumn(1).width = 50;
  rounds.getColumn(2).width = 40;

  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'number' && !cell.numFmt) cell.numFmt = Number.isInteger(cell.value) ? '#,##0' : '#,##0.00'; // counts
    }));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The national report: one row per province (official code as text, "01"), then the total. */
export async function nationalWorkbook(report: National, language: Language): Promise<Buffer> {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate(language, key, params);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t('app.name');
  const sheet = workbook.addWorksheet(t('reports.national.sheet'));
  sheet.addRow([t('reports.national.heading', { year: report.year })]).font = { bold: true };
  sheet.addRow([safeCell(report.centre.name)]);
  sheet.addRow([]);
  sheet.addRow([
    t('reports.national.code'), t('reports.national.province'), t('reports.registered'), t('reports.implementing'), t('reports.recognized'), t('reports.awardsCollectives'), t('reports.awardsIndividuals'),
  ]).font = { bold: true };
  for (const p of report.provinces) {
    sheet.addRow([p.officialCode === null ? null : safeCell(p.officialCode), safeCell(p.name), p.registered, p.implementing, p.recognized, p.collectives, p.individuals]);
  }
  const { total } = report;
  sheet.addRow([null, t('reports.total'), total.registered, total.implementing, total.recognized, total.collectives, total.individuals]).font = { bold: true };
  sheet.getColumn(1).width = 8;
  sheet.getColumn(2).width = 32;
  for (const column of [3, 4, 5, 6, 7]) sheet.getColumn(column).width = 16;
  sheet.views = [{ state: 'frozen', ySplit: 4 }];
  sheet.eachRow((row) => row.eachCell((cell) => {
    if (typeof cell.value === 'number') cell.numFmt = '#,##0';
  }));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
