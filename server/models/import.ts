// Turns an uploaded .xlsx or .csv into model registrations: finds the columns by their header,
// recognises legacy TCVN3/VNI text, and checks every row, so the import is all rows or none with
// each bad row and field named. Pure (no database): it runs in a worker thread (import-worker.ts)
// with the reference data the main thread loaded (import-runner.ts).
import ExcelJS from 'exceljs';
import { ValidationError, type FieldProblem, type Message } from '../errors.ts';
import { formatNumber, type MessageKey } from '../web/i18n/index.ts';
import { validate } from '../web/validate.ts';
import { detectEncoding, toUnicode, type TextEncoding } from './legacy-encoding.ts';
import { modelSchema, type ModelInput } from './schemas.ts';
import { readCsv, readXlsx, SpreadsheetLimitError, writeCsv, writeXlsx, type ReadLimits, type Row, type SheetRow } from './spreadsheet.ts';

export const MAX_IMPORT_ROWS = 20_000;
/** An answer names at most this many errors, and gives their total. */
export const MAX_LISTED_ERRORS = 100;

/** The template's columns: the key, its Vietnamese header, and whether it is required. */
export const IMPORT_COLUMNS = [
  { key: 'title', header: 'Tên mô hình, điển hình', required: true },
  { key: 'unitCode', header: 'Mã đơn vị', required: true },
  { key: 'year', header: 'Năm', required: true },
  { key: 'field', header: 'Lĩnh vực', required: true },
  { key: 'kind', header: 'Loại (Mô hình/Điển hình)', required: true },
  { key: 'summary', header: 'Nội dung tóm tắt', required: true },
  { key: 'block', header: 'Khối', required: false },
  { key: 'goals', header: 'Mục tiêu', required: false },
  { key: 'startedOn', header: 'Ngày bắt đầu (ngày/tháng/năm)', required: false },
  { key: 'participants', header: 'Lực lượng tham gia', required: false },
  { key: 'contact', header: 'Người liên hệ', required: false },
] as const;
type ColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];

const FIELD_FOR_COLUMN: Partial<Record<ColumnKey, keyof ModelInput>> = { unitCode: 'unitId', field: 'fieldCode', block: 'blockCode' };

export interface ParsedImport {
  inputs: ModelInput[];
  encoding: TextEncoding;
  rowCount: number;
}

/** What the rows are checked against, loaded by the main thread: only the units in the caller's scope. */
export interface ImportReferences {
  /**
   * Unit code (upper case) → id, the block its models take (null: none), and for a unit that has
   * ended the message saying so (it takes no new model).
   */
  units: Map<string, { id: number; block: string | null; ended?: Message }>;
  /** Folded code, name or English name → code. */
  fields: Map<string, string>;
  blocks: Map<string, string>;
}

/** Why a file is refused as a whole; each is a detail's `reason` (field `file`). */
export type FileRefusal = 'unsupported_type' | 'unreadable' | 'empty' | 'missing_columns' | 'too_many_rows' | 'uncompressed_too_large';

export interface ImportFieldError extends FieldProblem {
  reason: FileRefusal | 'invalid_value' | 'unknown_value' | 'unit_ended';
}

/** A refused import: at most MAX_LISTED_ERRORS details, and how many errors there are in all. */
export class ImportRefusedError extends ValidationError {
  constructor(
    override readonly details: ImportFieldError[],
    readonly totalErrors = details.length,
  ) {
    super(details);
  }
}

export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The rows with text, read up to the row cap (the header and MAX_IMPORT_ROWS data rows). */
export async function readSpreadsheet(fileName: string, buffer: Buffer, limits: Omit<ReadLimits, 'maxRows'>): Promise<SheetRow[]> {
  const readLimits = { ...limits, maxRows: MAX_IMPORT_ROWS + 1 };
  if (/\.xlsx$/i.test(fileName)) return readXlsx(buffer, readLimits);
  if (/\.csv$/i.test(fileName)) return readCsv(buffer, readLimits);
  throw new SpreadsheetTypeError();
}

class SpreadsheetTypeError extends Error {}

function refuse(reason: FileRefusal, key: MessageKey, params: Record<string, unknown> = {}): ImportRefusedError {
  return new ImportRefusedError([{ field: 'file', reason, key, params }]);
}

/** Reads and checks every row; throws an ImportRefusedError naming the bad rows and fields (the first 100) and their total. */
export async function parseImportFile(references: ImportReferences, fileName: string, buffer: Buffer, limits: Omit<ReadLimits, 'maxRows'>): Promise<ParsedImport> {
  let sheetRows: SheetRow[];
  try {
    sheetRows = await readSpreadsheet(fileName, buffer, limits);
  } catch (error) {
    if (error instanceof SpreadsheetTypeError) throw refuse('unsupported_type', 'import.unsupported');
    if (error instanceof SpreadsheetLimitError && error.reason === 'too_many_rows') throw refuse('too_many_rows', 'import.tooMany', { max: formatNumber(MAX_IMPORT_ROWS) });
    if (error instanceof SpreadsheetLimitError) throw refuse('uncompressed_too_large', 'import.tooLarge', { megabytes: formatNumber(Math.round(limits.maxUncompressedBytes / 1024 / 1024)), max: formatNumber(MAX_IMPORT_ROWS) });
    throw refuse('unreadable', 'import.unreadable');
  }
  const encoding = detectEncoding(sheetRows.map((row) => row.cells.join('\n')).join('\n'));
  const rows = sheetRows.map(({ line, cells }) => ({ line, row: cells.map((cell) => toUnicode(cell, encoding)) }));

  const [header, ...dataRows] = rows;
  if (!header) throw refuse('empty', 'import.empty');
  const columns = locateColumns(header.row);
  const missing = IMPORT_COLUMNS.filter((column) => column.required && columns[column.key] === undefined);
  if (missing.length > 0) throw refuse('missing_columns', 'import.missingColumns', { columns: missing.map((column) => column.header).join('; ') });
  if (dataRows.length === 0) throw refuse('empty', 'import.empty');

  const { units, fields, blocks } = references;
  const inputs: ModelInput[] = [];
  const errors: ImportFieldError[] = [];
  let totalErrors = 0;
  const report = (rowErrors: ImportFieldError[]) => {
    totalErrors += rowErrors.length;
    // Every row is still checked, for the total; only the first errors are kept for the answer.
    for (const error of rowErrors) if (errors.length < MAX_LISTED_ERRORS) errors.push(error);
  };
  for (const { row, line } of dataRows) {
    const cell = (key: ColumnKey) => (columns[key] === undefined ? '' : (row[columns[key]] ?? '').trim());
    const unknown: ColumnKey[] = [];
    const unit = units.get(cell('unitCode').toUpperCase());
    if (cell('unitCode') && unit === undefined) unknown.push('unitCode');
    const fieldCode = cell('field') ? fields.get(fold(cell('field'))) : undefined;
    if (cell('field') && !fieldCode) unknown.push('field');
    const blockCode = cell('block') ? blocks.get(fold(cell('block'))) : unit !== undefined ? (unit.block ?? undefined) : undefined;
    if (cell('block') && !blockCode) unknown.push('block');
    const kindText = fold(cell('kind'));
    const kind = ['mo hinh', 'model'].includes(kindText) ? 'model' : ['dien hinh', 'exemplar'].includes(kindText) ? 'exemplar' : cell('kind');

    const candidate: Record<string, unknown> = {
      title: cell('title'),
      unitId: unit?.id,
      year: cell('year'),
      fieldCode: unknown.includes('field') ? undefined : fieldCode,
      kind,
      summary: cell('summary'),
      blockCode,
      goals: cell('goals'),
      startedOn: cell('startedOn'),
      participants: cell('participants'),
      contact: cell('contact'),
    };
    const rowErrors: ImportFieldError[] = [];
    const rowError = (key: ColumnKey, reason: ImportFieldError['reason'], message: Message): ImportFieldError => ({
      field: `rows[${line}].${key}`, reason, key: 'import.rowError', params: { line, label: headerOf(key), message },
    });
    if (unit?.ended) rowErrors.push(rowError('unitCode', 'unit_ended', unit.ended));
    rowErrors.push(...unknown.map((key) => rowError(key, 'unknown_value', { key: 'import.unknownValue', params: { value: cell(key) } })));
    try {
      inputs.push(validate(modelSchema, candidate, { form: true, labels: 'model' }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const detail of error.details) {
        const key = columnOf(detail.field);
        if (unknown.includes(key)) continue; // already reported as an unknown value
        rowErrors.push(rowError(key, 'invalid_value', detail));
      }
    }
    if (rowErrors.length > 0) report(rowErrors);
  }
  if (totalErrors > 0) throw new ImportRefusedError(errors, totalErrors);
  return { inputs, encoding, rowCount: inputs.length };
}

function locateColumns(header: Row): Partial<Record<ColumnKey, number>> {
  const located: Partial<Record<ColumnKey, number>> = {};
  header.forEach((text, index) => {
    const folded = fold(text);
    const column = IMPORT_COLUMNS.find((candidate) => folded === fold(candidate.header) || folded === fold(candidate.key) || fold(candidate.header).startsWith(`${folded} (`));
    if (column && located[column.key] === undefined) located[column.key] = index;
  });
  return located;
}

/** Folded code, name and English name of each item → its code. */
export function referenceLookup(items: { code: string; name: string; name_en: string }[]): Map<string, string> {
  const lookup = new Map<string, string>();
  for (const item of items) for (const name of [item.code, item.name, item.name_en]) lookup.set(fold(name), item.code);
  return lookup;
}

function columnOf(field: string): ColumnKey {
  const entry = Object.entries(FIELD_FOR_COLUMN).find(([, modelField]) => modelField === field);
  return (entry?.[0] ?? field) as ColumnKey;
}

function headerOf(key: ColumnKey): string {
  return IMPORT_COLUMNS.find((column) => column.key === key)?.header ?? key;
}

/** What the template's drop-down lists offer: the caller's units in force, the fields and blocks, by name. */
export interface TemplateChoices {
  unitCode: string;
  units: { code: string; name: string }[];
  fields: string[];
  blocks: string[];
}

const TEMPLATE_ROWS = 20_000; // the drop-downs reach as far as an import may go (MAX rows per import)
const CODES_SHEET = 'Mã hợp lệ';

/**
 * The template: headers and one example row, for the caller's own unit so it imports as it is. The .xlsx
 * also offers drop-down lists on the columns with fixed choices (unit code, field, kind, block), fed by a
 * second sheet, "Mã hợp lệ", that lists the valid codes and names.
 */
export async function importTemplate(format: 'xlsx' | 'csv', choices: TemplateChoices): Promise<Buffer> {
  const header = IMPORT_COLUMNS.map((column) => column.header);
  const example = [['Dân vận khéo trong xây dựng nông thôn mới', choices.unitCode, new Date().getFullYear(), 'Xây dựng nông thôn mới', 'Mô hình', 'Vận động nhân dân hiến đất làm đường giao thông nông thôn.', '', 'Hoàn thành 5 km đường', '15/03/2025', 'Hội Nông dân, Đoàn Thanh niên', 'Nguyễn Văn A, 0912 345 678']];
  if (format === 'csv') return writeCsv(header, example);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await writeXlsx('Mẫu nhập', header, example)) as unknown as ArrayBuffer);
  // exceljs 4.4 writes a validation over a whole range (worksheet.dataValidations), but its types omit it.
  const sheet = workbook.worksheets[0]! as ExcelJS.Worksheet & { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };
  const codes = workbook.addWorksheet(CODES_SHEET);
  const kinds = ['Mô hình', 'Điển hình'];
  const lists: [string, string[]][] = [['Mã đơn vị', choices.units.map((u) => u.code)], ['Tên đơn vị', choices.units.map((u) => u.name)], ['Lĩnh vực', choices.fields], ['Khối', choices.blocks], ['Loại', kinds]];
  codes.addRow(lists.map(([title]) => title)).font = { bold: true };
  const longest = Math.max(...lists.map(([, values]) => values.length));
  for (let i = 0; i < longest; i += 1) codes.addRow(lists.map(([, values]) => values[i] ?? null));
  codes.columns.forEach((column, index) => (column.width = index === 1 ? 48 : 28));
  const listOf = (column: string, count: number) => [`'${CODES_SHEET}'!$${column}$2:$${column}$${Math.max(2, count + 1)}`];
  const dropDown = (key: ColumnKey, column: string, count: number) => {
    const letter = String.fromCharCode(65 + IMPORT_COLUMNS.findIndex((c) => c.key === key));
    sheet.dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: 'list', allowBlank: true, formulae: listOf(column, count), showErrorMessage: true, errorStyle: 'warning',
      errorTitle: headerOf(key), error: `Chọn một giá trị trong danh sách (trang "${CODES_SHEET}").`,
    });
  };
  dropDown('unitCode', 'A', choices.units.length);
  dropDown('field', 'C', choices.fields.length);
  dropDown('block', 'D', choices.blocks.length);
  dropDown('kind', 'E', kinds.length);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
