// The administrator's audit viewer (/admin/audit): the trail filtered by person (username), the
// person's unit (the unit picker), action and days, fifty rows a page with "Trang sau", and the same
// filter as a workbook (/admin/audit.xlsx). Reading the trail is not itself audited.
import { Router, type Request } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { ValidationError, type FieldProblem } from '../errors.ts';
import { unitPickers, type UnitPickerSpec } from '../units/picker.ts';
import { translateProblems } from '../web/errors.ts';
import { translate } from '../web/i18n/index.ts';
import { currentUser, languageOf } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import { actionOptions, auditRowView } from './present.ts';
import type { AuditRow } from './repository.ts';
import { auditPageSchema, type AuditPageQuery } from './schemas.ts';
import { auditActionCodes, exportAuditTrail, listAuditTrail } from './service.ts';
import { auditWorkbook } from './xlsx.ts';

/** Any unit, ended ones too: people of a unit merged in 2025 acted before it ended. */
const UNIT_PICKERS: UnitPickerSpec[] = [{ name: 'unitId', label: 'field.audit.unitId', includeEnded: true }];
const PAGE_SIZE = 50;
/** The filter's fields, in the order links carry them. */
const FILTER_FIELDS = ['actor', 'unitId', 'action', 'from', 'to'] as const;

/** A problem of the picker wins on its field; the schema's others are added. */
function merged(first: FieldProblem[], second: FieldProblem[]): FieldProblem[] {
  return [...first, ...second.filter((problem) => !first.some((other) => other.field === problem.field))];
}

export function auditPages(db: Database): Router {
  const router = Router();

  /** The query as sent, its unit resolved, validated; problems instead of a query when it is bad. */
  async function readFilter(req: Request) {
    const language = languageOf(req);
    const pickers = unitPickers(db, ALL_UNITS, language, UNIT_PICKERS);
    const picked = await pickers.prepare({ ...(req.query as Record<string, unknown>) });
    let query: AuditPageQuery | undefined;
    let problems = picked.problems;
    try {
      query = validate(auditPageSchema, picked.body, { form: true, labels: 'audit' });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems = merged(problems, error.details);
    }
    const filterQuery = FILTER_FIELDS.flatMap((field) => {
      const value = picked.body[field];
      return typeof value === 'string' && value !== '' ? [[field, value] as [string, string]] : [];
    });
    return { language, pickers, picked, query: problems.length === 0 ? query : undefined, problems, filterQuery };
  }

  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const caller = { user: currentUser(req) };
    const { language, pickers, picked, query, problems: found, filterQuery } = await readFilter(req);
    let problems = found;
    let rows: AuditRow[] = [];
    let nextCursor: string | null = null;
    if (query) {
      try {
        ({ rows, nextCursor } = await listAuditTrail(db, { caller, actorUsername: query.actor }, { ...query, actorId: undefined, limit: PAGE_SIZE }));
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        problems = error.details;
      }
    }
    const details = translateProblems(language, problems);
    const values = { ...picked.values, unitId: typeof picked.body.unitId === 'string' ? picked.body.unitId : '' };
    const link = (extra: [string, string][]) => `?${new URLSearchParams([...filterQuery, ...extra]).toString()}`;
    res.status(problems.length > 0 ? 422 : 200).render('admin/audit', {
      title: translate(language, 'audit.title'),
      actionGroups: actionOptions(language, await auditActionCodes(db, { caller })),
      ...(await pickers.views(values)),
      values,
      errors: Object.fromEntries(details.map((detail) => [detail.field, detail.message])),
      errorList: details.length > 0 ? details : undefined,
      rows: rows.map((row) => auditRowView(row, language)),
      searched: problems.length === 0,
      firstPage: typeof req.query.cursor === 'string' ? `/admin/audit${link([])}` : null,
      nextPage: nextCursor ? `/admin/audit${link([['cursor', nextCursor]])}` : null,
      exportHref: problems.length === 0 ? `/admin/audit.xlsx${link([])}` : null,
    });
  });

  router.get('/admin/audit.xlsx', requireRole('admin'), async (req, res) => {
    const { language, query, problems } = await readFilter(req);
    if (!query) throw new ValidationError(problems);
    const { rows, capped } = await exportAuditTrail(db, { caller: { user: currentUser(req) }, actorUsername: query.actor }, query);
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': 'attachment; filename="nhat-ky-thao-tac.xlsx"',
      'Cache-Control': 'private, no-store',
    });
    res.send(await auditWorkbook(rows, capped, language));
  });

  return router;
}
