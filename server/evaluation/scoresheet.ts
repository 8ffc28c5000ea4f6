// The scoring sheet a member fills offline: one row per model (or unit) still to score (its code, title and
// unit, then one column per criterion, headed by the criterion's code and maximum), and reading it
// back — each cell a Vietnamese number, each bad cell named by its line and criterion.
import type { FieldProblem } from '../errors.ts';
import { readXlsx, writeXlsx, type SheetRow } from '../models/spreadsheet.ts';
import { ValidationError } from '../errors.ts';
import { parseVietnameseNumber } from '../web/validate.ts';
import type { SheetScores } from './service.ts';

type Criterion = { code: string; max_score: string };

export async function scoresheetXlsx(subject: 'models' | 'units', criteria: readonly Criterion[], rows: readonly { model: { code: string; title: string; unit_name: string }; scores: (number | null)[] }[]): Promise<Buffer> {
  const naming = subject === 'units' ? ['Mã đơn vị', 'Tên đơn vị', 'Trực thuộc'] : ['Mã mô hình', 'Tên mô hình', 'Đơn vị'];
  const header = [...naming, ...criteria.map((criterion) => `${criterion.code} (tối đa ${Number(criterion.max_score).toLocaleString('vi-VN')})`)];
  return writeXlsx('Chấm điểm', header, rows.map((row) => [row.model.code, row.model.title, row.model.unit_name, ...row.scores]), Object.fromEntries(criteria.map((_, index) => [index + 3, '0.##'])));
}

/** The sheet's rows as scores by criterion code; cells that are not numbers are problems of their own. */
export function readScoresheet(sheet: readonly SheetRow[], criteria: readonly Criterion[]): { rows: SheetScores[]; problems: FieldProblem[] } {
  const [head, ...body] = sheet;
  const headers = (head?.cells ?? []).map((cell) => cell.trim().toUpperCase());
  const problems: FieldProblem[] = [];
  const columns = new Map<string, number>();
  for (const criterion of criteria) {
    const at = headers.findIndex((text) => text === criterion.code.toUpperCase() || text.startsWith(`${criterion.code.toUpperCase()} `));
    if (at < 0) problems.push({ field: 'file', reason: 'missing_columns', key: 'evaluation.sheetUnknownColumn', params: { code: criterion.code } });
    else columns.set(criterion.code, at);
  }
  if (problems.length > 0) return { rows: [], problems };
  const rows = body.map((row) => {
    const scores: Record<string, number | undefined> = {};
    for (const [code, column] of columns) {
      const text = (row.cells[column] ?? '').trim();
      if (text === '') continue;
      const value = parseVietnameseNumber(text);
      if (value === undefined) problems.push({ field: `rows.${row.line}.${code}`, reason: 'not_a_number', key: 'validation.number', params: { label: code } });
      else if (value < 0) problems.push({ field: `rows.${row.line}.${code}`, reason: 'too_small', key: 'validation.min', params: { label: code, limit: 0 } });
      else scores[code] = value;
    }
    return { line: row.line, modelCode: row.cells[0] ?? '', scores };
  });
  return { rows, problems };
}

/** An uploaded sheet's rows; a file that is not a readable workbook (or a huge one) is a 422 on `file`. */
export async function sheetRowsOf(file: Buffer | undefined): Promise<SheetRow[]> {
  if (!file || file.length === 0) throw new ValidationError([{ field: 'file', reason: 'file_missing', key: 'upload.noFile' }]);
  try {
    return await readXlsx(file, { maxRows: 2001, maxUncompressedBytes: 20 * 1024 * 1024 });
  } catch {
    throw new ValidationError([{ field: 'file', reason: 'unreadable', key: 'import.unreadable' }]);
  }
}
