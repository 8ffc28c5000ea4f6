// Turns an uploaded .xlsx or .csv into model registrations: finds the columns by their header,
// recognises legacy TCVN3/VNI text, and checks every row, so the import is all rows or none with
// each bad row and field named.
import type { Database } from '../db/database.ts';
import { scopeIncludes, type UnitScope } from '../auth/scope.ts';
import { ValidationError, type FieldError } from '../web/errors.ts';
import { translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import { validate } from '../web/validate.ts';
import { listBlocks, listFields } from '../units/repository.ts';
import { detectEncoding, toUnicode, type TextEncoding } from './legacy-encoding.ts';
import { modelSchema, type ModelInput } from './schemas.ts';
import { readCsv, readXlsx, writeCsv, writeXlsx, type Row } from './spreadsheet.ts';

export const MAX_IMPORT_ROWS = 20_000;

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

export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

export async function readSpreadsheet(fileName: string, buffer: Buffer): Promise<Row[]> {
  if (/\.xlsx$/i.test(fileName)) return readXlsx(buffer);
  if (/\.csv$/i.test(fileName)) return readCsv(buffer);
  throw new ValidationError([{ field: 'file', message: 'unsupported' }]);
}

/** Reads and checks every row; throws a ValidationError naming each bad row and field. */
export async function parseModelImport(db: Database, scope: UnitScope, language: Language, fileName: string, buffer: Buffer): Promise<ParsedImport> {
  const fail = (key: MessageKey, params: Record<string, unknown> = {}) => new ValidationError([{ field: 'file', message: translate(language, key, params) }]);
  let rows: Row[];
  try {
    rows = await readSpreadsheet(fileName, buffer);
  } catch (error) {
    if (error instanceof ValidationError) throw fail('import.unsupported');
    throw fail('import.unreadable');
  }
  const encoding = detectEncoding(rows.flat().join('\n'));
  rows = rows.map((row) => row.map((cell) => toUnicode(cell, encoding)));

  const headerIndex = rows.findIndex((row) => row.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw fail('import.empty');
  const columns = locateColumns(rows[headerIndex]!);
  const missing = IMPORT_COLUMNS.filter((column) => column.required && columns[column.key] === undefined);
  if (missing.length > 0) throw fail('import.missingColumns', { columns: missing.map((column) => column.header).join('; ') });

  const dataRows = rows.map((row, index) => ({ row, line: index + 1 })).slice(headerIndex + 1).filter(({ row }) => row.some((cell) => cell.trim() !== ''));
  if (dataRows.length === 0) throw fail('import.empty');
  if (dataRows.length > MAX_IMPORT_ROWS) throw fail('import.tooMany', { max: MAX_IMPORT_ROWS });

  const unitRows = await db.selectFrom('units').select(['id', 'code', 'block_code']).execute();
  const units = new Map(unitRows.map((unit) => [unit.code, unit.id]));
  const unitBlocks = new Map(unitRows.map((unit) => [unit.id, unit.block_code]));
  const fields = referenceLookup(await listFields(db));
  const blocks = referenceLookup(await listBlocks(db));

  const inputs: ModelInput[] = [];
  const errors: FieldError[] = [];
  for (const { row, line } of dataRows) {
    const cell = (key: ColumnKey) => (columns[key] === undefined ? '' : (row[columns[key]] ?? '').trim());
    const unknown: ColumnKey[] = [];
    const unitId = units.get(cell('unitCode').toUpperCase());
    if (cell('unitCode') && (unitId === undefined || !scopeIncludes(scope, unitId))) unknown.push('unitCode');
    const fieldCode = cell('field') ? fields.get(fold(cell('field'))) : undefined;
    if (cell('field') && !fieldCode) unknown.push('field');
    const blockCode = cell('block') ? blocks.get(fold(cell('block'))) : unitId !== undefined ? (unitBlocks.get(unitId) ?? undefined) : undefined;
    if (cell('block') && !blockCode) unknown.push('block');
    const blockMissing = !cell('block') && unitId !== undefined && !blockCode;
    const kindText = fold(cell('kind'));
    const kind = ['mo hinh', 'model'].includes(kindText) ? 'model' : ['dien hinh', 'exemplar'].includes(kindText) ? 'exemplar' : cell('kind');

    const candidate: Record<string, unknown> = {
      title: cell('title'),
      unitId: unknown.includes('unitCode') ? undefined : unitId,
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
    const rowErrors: FieldError[] = [];
    if (blockMissing) rowErrors.push({ field: `rows[${line}].block`, message: translate(language, 'import.rowError', { line, label: headerOf('block'), message: translate(language, 'validation.required', { label: headerOf('block') }) }) });
    rowErrors.push(...unknown.map((key) => ({
      field: `rows[${line}].${key}`,
      message: translate(language, 'import.rowError', { line, label: headerOf(key), message: translate(language, 'import.unknownValue', { value: cell(key) }) }),
    })));
    try {
      inputs.push(validate(modelSchema, candidate, { language, form: true, labels: 'model' }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      for (const detail of error.details) {
        const key = columnOf(detail.field);
        if (unknown.includes(key)) continue; // already reported as an unknown value
        rowErrors.push({ field: `rows[${line}].${key}`, message: translate(language, 'import.rowError', { line, label: headerOf(key), message: detail.message }) });
      }
    }
    errors.push(...rowErrors);
  }
  if (errors.length > 0) throw new ValidationError(errors);
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

function referenceLookup(items: { code: string; name: string; name_en: string }[]): Map<string, string> {
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

/** The template: headers and one example row, for the caller's own unit so it imports as it is. */
export async function importTemplate(format: 'xlsx' | 'csv', unitCode: string): Promise<Buffer> {
  const header = IMPORT_COLUMNS.map((column) => column.header);
  const example = [['Dân vận khéo trong xây dựng nông thôn mới', unitCode, new Date().getFullYear(), 'Xây dựng nông thôn mới', 'Mô hình', 'Vận động nhân dân hiến đất làm đường giao thông nông thôn.', '', 'Hoàn thành 5 km đường', '15/03/2025', 'Hội Nông dân, Đoàn Thanh niên', 'Nguyễn Văn A, 0912 345 678']];
  return format === 'xlsx' ? writeXlsx('Mẫu nhập', header, example) : writeCsv(header, example);
}
