// Reading and writing the registry's spreadsheets: .xlsx through exceljs and .csv (UTF-8 with a
// BOM so Excel shows Vietnamese correctly). Cells that a spreadsheet would run as a formula are
// written with a leading apostrophe.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { formatDate } from '../web/i18n/index.ts';

export type Row = string[];

/** The first sheet's rows as trimmed text (dates as dd/mm/yyyy, formulas as their result). */
export async function readXlsx(buffer: Buffer): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: Row[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= Math.max(row.cellCount, 1); column++) cells.push(cellText(row.getCell(column).value));
    rows[rowNumber - 1] = cells;
  });
  return Array.from(rows, (row) => row ?? []);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('').trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
}

/** CSV in UTF-8 (with or without BOM); a file that is not valid UTF-8 is read byte for byte (legacy encodings). */
export function readCsv(buffer: Buffer): Row[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    text = buffer.toString('latin1');
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  return parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true }) as Row[];
}

/** Neutralises text that Excel or LibreOffice would run as a formula. */
export function safeCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export async function writeXlsx(sheetName: string, header: string[], rows: (string | number | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sổ đăng ký "Dân vận khéo"';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(safeCell));
  sheet.columns.forEach((column, index) => {
    const longest = Math.max(header[index]?.length ?? 10, ...rows.slice(0, 200).map((row) => String(row[index] ?? '').length));
    column.width = Math.min(60, Math.max(10, longest + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function writeCsv(header: string[], rows: (string | number | null)[][]): Buffer {
  const quote = (value: string | number) => {
    const text = String(value);
    return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [header, ...rows.map((row) => row.map(safeCell))].map((row) => row.map(quote).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
