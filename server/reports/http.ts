// What the reports API and pages share: the summary or the national report a query string asks for.
import type { Request } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { callerOf, languageOf } from '../web/request.ts';
import { id, validate } from '../web/validate.ts';
import { headlineParagraph } from './paragraph.ts';
import { presentNational, presentSummary } from './present.ts';
import { buildNationalReport, buildSummary } from './service.ts';
import { buildTt02Figures, TT02_FORMS, type Tt02Form } from './tt02-figures.ts';
import { tt02Workbook } from './tt02.ts';

export const thisYear = new Date().getFullYear();

const summaryQuery = Joi.object<{ year: number; unitId?: number }, true>({
  year: Joi.number().integer().min(2000).max(thisYear + 1).default(thisYear),
  unitId: id(),
});

/** The summary a request asks for (year, unit), in its caller's scope, with its headline paragraph; `sent` is the query once the page's unit picker has read it. */
export async function summaryFor(db: Database, req: Request, sent: unknown = req.query) {
  const language = languageOf(req);
  const query = validate(summaryQuery, sent, { form: !req.originalUrl.startsWith('/api/'), labels: 'report' });
  const summary = presentSummary(await buildSummary(db, await callerOf(req, db), query), language);
  return { language, summary, paragraph: headlineParagraph(summary, language) };
}

const nationalQuery = Joi.object<{ year: number }, true>({
  year: Joi.number().integer().min(2000).max(thisYear + 1).default(thisYear),
});

/** The national report a request asks for (year), if the caller's scope holds the centre; else a 404. */
export async function nationalFor(db: Database, req: Request) {
  const language = languageOf(req);
  const query = validate(nationalQuery, req.query, { form: !req.originalUrl.startsWith('/api/'), labels: 'report' });
  const report = presentNational(await buildNationalReport(db, await callerOf(req, db), query));
  return { language, report };
}

const tt02Query = Joi.object<{ form: Tt02Form; year: number; unitId?: number }, true>({
  form: Joi.string().valid(...TT02_FORMS).required(),
  year: Joi.number().integer().min(2000).max(thisYear + 1).default(thisYear),
  unitId: id(),
});

/** A statistical form of Thông tư 02/2023 a request asks for (`:form`, year, unit) as a workbook, in its caller's scope, with its file name. */
export async function tt02For(db: Database, req: Request) {
  const query = validate(tt02Query, { ...req.query, form: req.params.form }, { form: !req.originalUrl.startsWith('/api/'), labels: 'report' });
  const figures = await buildTt02Figures(db, await callerOf(req, db), query);
  return {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="bieu-${query.form}-N-BNV-TDKT-${query.year}.xlsx"`,
    },
    workbook: await tt02Workbook(query.form, figures),
  };
}
