// Import from and export to spreadsheets, as pages and as API calls.
import { Router, type Request, type Response } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { ValidationError } from '../web/errors.ts';
import { receiveFile, uploadedFileName } from '../web/upload.ts';
import { formatDate, formatNumber, translate, type Language } from '../web/i18n/index.ts';
import { actorOf, currentUser, languageOf, scopeOf } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import { importTemplate, parseModelImport } from './import.ts';
import { modelJson } from './present.ts';
import * as repository from './repository.ts';
import { modelListSchema } from './schemas.ts';
import { importModels } from './service.ts';
import { writeCsv, writeXlsx } from './spreadsheet.ts';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MAX_EXPORT_ROWS = 100_000;
const writers = requireRole('agency', 'secretary', 'admin');

const receiveImport = receiveFile(MAX_UPLOAD_BYTES);

async function runImport(db: Database, req: Request) {
  const language = languageOf(req);
  if (!req.file) throw new ValidationError([{ field: 'file', message: translate(language, 'import.noFile') }]);
  const fileName = uploadedFileName(req.file);
  const scope = await scopeOf(req, db);
  const parsed = await parseModelImport(db, scope, language, fileName, req.file.buffer);
  const imported = await importModels(db, { user: currentUser(req), scope, actor: actorOf(req), language }, parsed.inputs, { fileName, encoding: parsed.encoding });
  return { imported, encoding: parsed.encoding };
}

async function exportRows(db: Database, req: Request, language: Language) {
  const query = validate(modelListSchema, { ...req.query, limit: undefined, cursor: undefined }, { language, form: true, labels: 'model' });
  const filter = { ...query, unitIds: query.unitId ? await unitAndEverythingUnder(db, query.unitId) : undefined };
  const rows = await repository.listModels(db, await scopeOf(req, db), filter, { sort: query.sort, offset: 0, limit: MAX_EXPORT_ROWS });
  const header = ['models.code', 'models.name', 'models.unit', 'models.year', 'models.field', 'models.block', 'models.kind', 'models.status', 'models.startedOn', 'models.summary'] as const;
  return {
    header: header.map((key) => translate(language, key)),
    rows: rows.map((row) => {
      const model = modelJson(row, language);
      return [model.code, model.title, model.unitName, model.year, model.fieldName, model.blockName, translate(language, `modelKind.${model.kind as 'model'}`), translate(language, `modelStatus.${model.status as 'registered'}`), formatDate(model.startedOn), model.summary];
    }),
  };
}

async function sendExport(db: Database, req: Request, res: Response, format: 'xlsx' | 'csv') {
  const language = languageOf(req);
  const { header, rows } = await exportRows(db, req, language);
  const name = `mo-hinh-dan-van-kheo-${new Date().toISOString().slice(0, 10)}.${format}`;
  res.attachment(name);
  if (format === 'xlsx') res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await writeXlsx(translate(language, 'nav.models'), header, rows));
  else res.type('text/csv; charset=utf-8').send(writeCsv(header, rows));
}

async function sendTemplate(db: Database, req: Request, res: Response, format: 'xlsx' | 'csv') {
  const unit = await db.selectFrom('units').select('code').where('id', '=', currentUser(req).unitId).executeTakeFirstOrThrow();
  res.attachment(`mau-nhap-mo-hinh.${format}`);
  res.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8').send(await importTemplate(format, unit.code));
}

export function modelTransferApi(db: Database): Router {
  const router = Router();
  router.post('/models/import', writers, receiveImport, async (req, res) => {
    const { imported, encoding } = await runImport(db, req);
    res.json({ imported, encoding });
  });
  router.get('/models/export.xlsx', requireLogin, (req, res) => sendExport(db, req, res, 'xlsx'));
  router.get('/models/export.csv', requireLogin, (req, res) => sendExport(db, req, res, 'csv'));
  router.get('/models/import-template.xlsx', requireLogin, (req, res) => sendTemplate(db, req, res, 'xlsx'));
  return router;
}

export function modelTransferPages(db: Database): Router {
  const router = Router();
  router.get('/models/export.xlsx', requireLogin, (req, res) => sendExport(db, req, res, 'xlsx'));
  router.get('/models/export.csv', requireLogin, (req, res) => sendExport(db, req, res, 'csv'));
  router.get('/models/import/template.xlsx', requireLogin, (req, res) => sendTemplate(db, req, res, 'xlsx'));
  router.get('/models/import/template.csv', requireLogin, (req, res) => sendTemplate(db, req, res, 'csv'));

  router.get('/models/import', writers, (req, res) => {
    res.render('models/import', { title: translate(languageOf(req), 'import.title') });
  });

  router.post('/models/import', writers, receiveImport, async (req, res) => {
    const language = languageOf(req);
    try {
      const { imported, encoding } = await runImport(db, req);
      const converted = encoding === 'unicode' ? '' : ` ${translate(language, 'import.converted', { encoding: encoding.toUpperCase() })}`;
      req.session.flash = translate(language, 'import.done', { count: formatNumber(imported) }) + converted;
      res.redirect(303, '/models?sort=newest');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(422).render('models/import', { title: translate(language, 'import.title'), importErrors: error.details, errorCount: formatNumber(error.details.length) });
    }
  });
  return router;
}
