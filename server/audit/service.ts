// The audit viewer's reads: the trail filtered by person, the person's unit (and everything under it),
// action and Vietnam calendar days, newest first a page at a time, or whole (capped) for a workbook.
import type { Database } from '../db/database.ts';
import type { SessionUser } from '../auth/user.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { unknownReference, ValidationError, type FieldProblem } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import * as policy from './policy.ts';
import * as repository from './repository.ts';
import type { AuditFilter, AuditRow } from './repository.ts';
import type { AuditFilterInput } from './schemas.ts';

/** The most rows one workbook holds; a larger trail is cut there, with a note saying so. */
export const EXPORT_CAP = 50_000;
/** Rows read per query while writing a workbook: memory stays flat whatever the cap. */
const EXPORT_BATCH = 2_000;

interface AuditRead {
  caller: { user: Pick<SessionUser, 'role'> };
  /** The page names the person by username; the API by actorId. */
  actorUsername?: string;
}

/** Vietnam is UTC+7 all year (no summer time): a calendar day there starts at 17:00 UTC the day before. */
export function vietnamMidnight(isoDate: string, plusDays = 0): Date {
  const instant = new Date(`${isoDate}T00:00:00+07:00`);
  instant.setUTCDate(instant.getUTCDate() + plusDays);
  return instant;
}

/** The filter as SQL takes it; an unknown person or unit is a 422 naming its field. */
async function filterOf(db: Database, input: AuditFilterInput, actorUsername: string | undefined): Promise<AuditFilter> {
  const problems: FieldProblem[] = [];
  const filter: AuditFilter = {};
  if (actorUsername !== undefined) {
    const id = await repository.findUserIdByUsername(db, actorUsername);
    if (id === undefined) problems.push(unknownReference('actor', 'field.audit.actor'));
    else filter.actorId = id;
  }
  if (input.actorId !== undefined) filter.actorId = input.actorId;
  if (input.unitId !== undefined) {
    if (await repository.unitExists(db, input.unitId)) filter.actorUnitIds = await unitAndEverythingUnder(db, input.unitId);
    else problems.push(unknownReference('unitId', 'field.audit.unitId'));
  }
  if (problems.length > 0) throw new ValidationError(problems);
  if (input.action) filter.action = input.action.endsWith('.') ? { prefix: input.action } : { exact: input.action };
  if (input.from) filter.since = vietnamMidnight(input.from);
  if (input.to) filter.until = vietnamMidnight(input.to, 1);
  return filter;
}

const isIdCursor = (value: unknown): value is { id: number } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && Number.isInteger((value as { id: unknown }).id);

/** One page of the trail, newest first; `nextCursor` is null on the last page. Administrators only. */
export async function listAuditTrail(db: Database, { caller, actorUsername }: AuditRead, input: AuditFilterInput & { limit: number; cursor?: string }): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  policy.enforce(policy.canReadAudit(caller));
  const after = decodeCursor(input.cursor, isIdCursor);
  const filter = await filterOf(db, input, actorUsername);
  const found = await repository.listAudit(db, filter, { limit: input.limit + 1, beforeId: after?.id });
  const rows = found.slice(0, input.limit);
  const last = rows[rows.length - 1];
  return { rows, nextCursor: found.length > input.limit && last ? encodeCursor({ id: last.id }) : null };
}

/** The whole filtered trail for a workbook, newest first, at most EXPORT_CAP rows (`capped` when there were more). */
export async function exportAuditTrail(db: Database, { caller, actorUsername }: AuditRead, input: AuditFilterInput, cap = EXPORT_CAP): Promise<{ rows: AuditRow[]; capped: boolean }> {
  policy.enforce(policy.canReadAudit(caller));
  const filter = await filterOf(db, input, actorUsername);
  const rows: AuditRow[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const want = Math.min(EXPORT_BATCH, cap + 1 - rows.length); // one past the cap tells whether there was more
    const batch = await repository.listAudit(db, filter, { limit: want, beforeId });
    rows.push(...batch);
    if (rows.length > cap) return { rows: rows.slice(0, cap), capped: true };
    const last = batch[batch.length - 1];
    if (!last || batch.length < want) return { rows, capped: false };
    beforeId = last.id;
  }
}

/** The action codes present in the trail, for the page's select. */
export async function auditActionCodes(db: Database, { caller }: Pick<AuditRead, 'caller'>): Promise<string[]> {
  policy.enforce(policy.canReadAudit(caller));
  return repository.listActionCodes(db);
}
