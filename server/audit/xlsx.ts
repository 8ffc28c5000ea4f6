// The filtered audit trail as a workbook: one sheet, a bold frozen header, times as real Excel dates
// in Vietnam's wall-clock time, text made safe against formula injection, and a last row saying so
// when the trail was cut at the cap.
import ExcelJS from 'exceljs';
import { safeCell } from '../models/spreadsheet.ts';
import { formatNumber, translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import { actionLabel, changesText, entityLabel } from './present.ts';
import type { AuditRow } from './repository.ts';

/** Excel refuses a cell of more than 32.767 characters; a large "after" is cut well before. */
const MAX_CELL = 32_000;

/** Excel dates have no time zone: write Vietnam's wall clock (UTC+7, no summer time) as the date's own fields. */
export const vietnamWallClock = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000);

const json = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return safeCell(text.length > MAX_CELL ? `${text.slice(0, MAX_CELL)}…` : text);
};

const COLUMNS: { key: MessageKey; width: number }[] = [
  { key: 'audit.col.at', width: 17 },
  { key: 'audit.col.username', width: 18 },
  { key: 'audit.col.fullName', width: 26 },
  { key: 'audit.col.unit', width: 32 },
  { key: 'audit.col.ip', width: 16 },
  { key: 'audit.col.action', width: 34 },
  { key: 'audit.col.actionCode', width: 26 },
  { key: 'audit.col.entity', width: 18 },
  { key: 'audit.col.entityId', width: 10 },
  { key: 'audit.col.changes', width: 60 },
  { key: 'audit.col.before', width: 40 },
  { key: 'audit.col.after', width: 40 },
];

export async function auditWorkbook(rows: readonly AuditRow[], capped: boolean, language: Language): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = translate(language, 'app.name');
  const sheet = workbook.addWorksheet(translate(language, 'audit.sheet'));
  sheet.columns = COLUMNS.map(({ key, width }) => ({ header: translate(language, key), width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.getColumn(1).numFmt = 'dd/mm/yyyy hh:mm';
  for (const row of rows) {
    sheet.addRow([
      vietnamWallClock(row.at),
      safeCell(row.username), safeCell(row.full_name), safeCell(row.unit_name), safeCell(row.actor_ip),
      safeCell(actionLabel(language, row.action)), safeCell(row.action), safeCell(entityLabel(language, row.entity_type)), safeCell(row.entity_id),
      safeCell(changesText(row.before, row.after, language)), json(row.before), json(row.after),
    ]);
  }
  if (capped) sheet.addRow([translate(language, 'audit.capped', { count: formatNumber(rows.length) })]).font = { italic: true, bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
