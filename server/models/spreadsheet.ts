// Reading and writing the registry's spreadsheets: .xlsx through exceljs and .csv (UTF-8 with a
// BOM so Excel shows Vietnamese correctly). Reading streams and stops at a row limit and an
// inflated-size limit. Cells that a spreadsheet would run as a formula are written with a leading apostrophe.
import { Readable, Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import yauzl from 'yauzl';
import { formatDate } from '../web/i18n/index.ts';

export type Row = string[];

/** What a reader may take from one file: rows with any text (the header included), and inflated bytes of an .xlsx. */
export interface ReadLimits {
  maxRows: number;
  maxUncompressedBytes: number;
}

/** A row with text and its line in the file (1-based: the sheet's row number, the CSV's record number). */
export interface SheetRow {
  line: number;
  cells: Row;
}

export type RefusalReason = 'too_many_rows' | 'uncompressed_too_large';

/** The file goes past a limit; reading stopped there. */
export class SpreadsheetLimitError extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}

const isBlank = (cells: Row) => cells.every((cell) => cell.trim() === '');

/** Keeps the rows with text and stops at the first one past the limit, so the rest is never read. */
class RowCollector {
  readonly rows: SheetRow[] = [];
  constructor(private readonly maxRows: number) {}
  add(line: number, cells: Row): void {
    if (isBlank(cells)) return;
    if (this.rows.length >= this.maxRows) throw new SpreadsheetLimitError('too_many_rows');
    this.rows.push({ line, cells });
  }
}

// The parts of exceljs's streaming reader used here. Its own parse() unzips with unzipper, which
// follows the local headers and cannot count inflated bytes; so yauzl opens the zip and these
// methods (private in exceljs 4.4, the last release) read the entries it inflates.
interface StreamingWorkbook {
  model?: { sheets?: { rId?: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ value: AsyncIterable<ExcelJS.Row> }>;
}

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // Sizes are checked below against the declared ones and a bound of our own.
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: false }, (error, zip) => (error ? reject(error) : resolve(zip)));
  });
}

function zipEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>();
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName.replace(/^\//, ''), entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/**
 * The first sheet's rows with text (dates as dd/mm/yyyy, formulas as their result), streamed:
 * refused before inflating anything when the entries declare more than the bound, and while
 * inflating when they hold more than they declare or than the bound; reading stops at the row limit.
 */
export async function readXlsx(buffer: Buffer, limits: ReadLimits): Promise<SheetRow[]> {
  const zip = await openZip(buffer);
  try {
    const entries = await zipEntries(zip);
    let declared = 0;
    for (const entry of entries.values()) declared += entry.uncompressedSize;
    if (declared > limits.maxUncompressedBytes) throw new SpreadsheetLimitError('uncompressed_too_large');
    let inflated = 0;
    const open = async (path: string): Promise<Readable | undefined> => {
      const entry = entries.get(path);
      if (!entry) return undefined;
      const source = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
      let own = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          own += chunk.length;
          inflated += chunk.length;
          // More than the entry declared is a zip bomb's lie; more than the bound, a bomb anyway.
          if (own > entry.uncompressedSize || inflated > limits.maxUncompressedBytes) return done(new SpreadsheetLimitError('uncompressed_too_large'));
          done(null, chunk);
        },
      });
      source.on('error', (error) => counter.destroy(error));
      counter.on('close', () => source.destroy());
      return source.pipe(counter);
    };

    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }) as unknown as StreamingWorkbook;
    const rels = await open('xl/_rels/workbook.xml.rels');
    if (rels) await reader._parseRels(rels);
    const book = await open('xl/workbook.xml');
    if (book) await reader._parseWorkbook(book);
    const styles = await open('xl/styles.xml');
    if (styles) await reader._parseStyles(styles);
    const strings = await open('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings));

    const sheetPath = firstSheetPath(reader, entries);
    const sheet = sheetPath ? await open(sheetPath) : undefined;
    if (!sheet) return [];
    const collector = new RowCollector(limits.maxRows);
    try {
      const [event] = [...reader._parseWorksheet(sheet, /(\d+)\.xml$/.exec(sheetPath!)?.[1] ?? '1')];
      for await (const row of event!.value) {
        const cells: string[] = [];
        for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.findCell(column)?.value ?? null));
        collector.add(row.number, cells);
      }
    } finally {
      sheet.destroy();
    }
    return collector.rows;
  } finally {
    zip.close();
  }
}

/** The first sheet of the workbook's list (as Excel shows the tabs), else the lowest-numbered one. */
function firstSheetPath(reader: StreamingWorkbook, entries: Map<string, yauzl.Entry>): string | undefined {
  const rId = reader.model?.sheets?.[0]?.rId;
  const target = reader.workbookRels?.find((rel) => rel.Id === rId)?.Target;
  if (target) {
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    if (entries.has(path)) return path;
  }
  return [...entries.keys()]
    .filter((path) => /^xl\/worksheets\/sheet\d+\.xml$/.test(path))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))[0];
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
export async function readCsv(buffer: Buffer, limits: Pick<ReadLimits, 'maxRows'>): Promise<SheetRow[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    text = buffer.toString('latin1');
  }
  text = text.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const parser = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true });
  const collector = new RowCollector(limits.maxRows);
  let line = 0;
  try {
    for await (const record of parser) collector.add(++line, record as Row);
  } finally {
    parser.destroy();
  }
  return collector.rows;
}

/** Neutralises text that Excel or LibreOffice would run as a formula. */
export function safeCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A calendar day in an export: a date cell in .xlsx (shown dd/mm/yyyy), "dd/mm/yyyy" in .csv. */
export interface DayCell {
  day: string; // 'YYYY-MM-DD'
}

/** One cell of an export: text, a number, a calendar day, or nothing. */
export type ExportCell = string | number | DayCell | null;

const isDay = (value: ExportCell): value is DayCell => typeof value === 'object' && value !== null;

/** How a column of numbers shows in Excel: whole numbers grouped by thousands. */
export const COUNT_FORMAT = '#,##0';

export async function writeXlsx(sheetName: string, header: string[], rows: ExportCell[][], formats: Record<number, string> = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sổ đăng ký "Dân vận khéo"';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow(row.map((value) => (value === null ? null : isDay(value) ? new Date(`${value.day}T00:00:00Z`) : safeCell(value))));
    row.forEach((value, index) => {
      const format = isDay(value) ? 'dd/mm/yyyy' : typeof value === 'number' ? formats[index] : undefined;
      if (format) added.getCell(index + 1).numFmt = format;
    });
  }
  sheet.columns.forEach((column, index) => {
    const longest = Math.max(header[index]?.length ?? 10, ...rows.slice(0, 200).map((row) => String(isDay(row[index] ?? null) ? '00/00/0000' : (row[index] ?? '')).length));
    column.width = Math.min(60, Math.max(10, longest + 2));
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A CSV with a UTF-8 BOM (so Excel reads the diacritics) separated by `,`, or by `;` for an Excel set to
 * Vietnamese, which takes the comma as the decimal mark and so expects `;` between fields.
 */
export function writeCsv(header: string[], rows: ExportCell[][], separator: ',' | ';' = ','): Buffer {
  const quote = (value: string | number) => {
    const text = String(value);
    return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const cell = (value: ExportCell) => (isDay(value) ? value.day.split('-').reverse().join('/') : safeCell(value));
  const lines = [header, ...rows.map((row) => row.map(cell))].map((row) => row.map(quote).join(separator));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
