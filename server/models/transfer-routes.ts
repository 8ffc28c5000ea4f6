// Import from and export to spreadsheets, as pages and as API calls.
import { createHash } from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { getUnitCode, listBlocks, listFields, listUnits } from '../units/repository.ts';
import { ValidationError } from '../errors.ts';
import { translateProblems } from '../web/errors.ts';
import { noFileProblem, receiveFile, uploadedFileName, uploadRoute } from '../web/upload.ts';
import { formatDate, formatDateTime, formatNumber, toIsoDate, translate, type Language } from '../web/i18n/index.ts';
import { callerOf, currentUser, languageOf, scopeOf } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import { ImportRefusedError, importTemplate } from './import.ts';
import { parseModelImport, type ImportGate } from './import-runner.ts';
import { modelJson } from './present.ts';
import * as repository from './repository.ts';
import { exportFormatSchema, modelListSchema } from './schemas.ts';
import { importModels } from './service.ts';
import { COUNT_FORMAT, writeCsv, writeXlsx, type ExportCell } from './spreadsheet.ts';
import { writers } from './http.ts';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MAX_EXPORT_ROWS = 100_000;

const receiveImport = receiveFile(MAX_UPLOAD_BYTES);

/** The work of each import request, so its slot is given back only once that work has settled. */
const importWork = new WeakMap<Request, Promise<unknown>>();

/** Takes one of the gate's slots before the upload is read (else 429 at once) and holds it until the request is over. */
function importSlot(gate: ImportGate): RequestHandler {
  return (req, res, next) => {
    const slot = gate.enter();
    res.once('close', () => void (importWork.get(req) ?? Promise.resolve()).finally(slot.release));
    next();
  };
}

async function runImport(db: Database, gate: ImportGate, req: Request) {
  const work = importFile(db, gate, req);
  importWork.set(req, work.catch(() => undefined));
  return work;
}

async function importFile(db: Database, gate: ImportGate, req: Request) {
  if (!req.file) throw new ValidationError([noFileProblem]);
  const fileName = uploadedFileName(req.file);
  const user = currentUser(req);
  const sha256 = createHash('sha256').update(req.file.buffer).digest();
  // A retry of a file already imported is answered without reading it again.
  const earlier = await repository.findImport(db, user.unitId, sha256);
  if (earlier) return { imported: earlier.imported, encoding: earlier.encoding, alreadyImported: true, importedAt: earlier.created_at };
  const scope = await scopeOf(req, db);
  const parsed = await parseModelImport(db, scope, fileName, req.file.buffer, gate.limits);
  const result = await importModels(db, await callerOf(req, db), parsed.inputs, { fileName, encoding: parsed.encoding, sha256 });
  return { ...result, encoding: parsed.encoding };
}

/** The API's 422 for a refused import: the first errors in `details`, all of them counted in `totalErrors`. */
function refusedJson(error: ImportRefusedError, language: Language) {
  const fileReason = error.details.length === 1 && error.details[0]!.field === 'file' ? error.details[0]!.reason : undefined;
  return { error: { code: error.code, ...(fileReason ? { reason: fileReason } : {}), message: translate(language, error.messageKey), details: translateProblems(language, error.details), totalErrors: error.totalErrors } };
}

/** The export's columns, in this order in .xlsx and .csv: every field of a model and its latest figures. */
const EXPORT_HEADER = [
  'models.code', 'models.name', 'models.unitCode', 'models.unit', 'models.year', 'models.field', 'models.block', 'models.kind', 'models.status',
  'models.startedOn', 'models.summary', 'models.goals', 'models.participants', 'models.contact', 'models.replicates',
  'models.export.figuresOn', 'field.peopleReached', 'field.fundsVnd', 'field.workdays', 'models.export.registeredOn',
] as const;
/** The columns of counts (people, đồng, workdays), shown grouped by thousands in Excel. */
const COUNT_COLUMNS = [16, 17, 18];

async function exportRows(db: Database, req: Request, language: Language) {
  const { separator: _separator, ...listQuery } = req.query as Record<string, unknown>; // the file's format, not a filter
  void _separator;
  const query = validate(modelListSchema, { ...listQuery, limit: undefined, cursor: undefined }, { form: true, labels: 'model' });
  const filter = { ...query, unitIds: query.unitId ? await unitAndEverythingUnder(db, query.unitId) : undefined };
  const rows = await repository.listModels(db, await scopeOf(req, db), filter, { sort: query.sort, offset: 0, limit: MAX_EXPORT_ROWS });
  const figures = await repository.latestFigures(db, rows.map((row) => row.id));
  const replicated = await repository.codesOf(db, rows.flatMap((row) => (row.replicates_model_id ? [row.replicates_model_id] : [])));
  const day = (value: string | Date | null): ExportCell => (value ? { day: value instanceof Date ? toIsoDate(value) : value.slice(0, 10) } : null);
  const count = (value: number | string | null | undefined): ExportCell => (value === null || value === undefined ? null : Number(value));
  return {
    header: EXPORT_HEADER.map((key) => translate(language, key)),
    rows: rows.map((row): ExportCell[] => {
      const model = modelJson(row, language);
      const latest = figures.get(row.id);
      return [
        model.code, model.title, row.unit_code, model.unitName, model.year, model.fieldName, model.blockName,
        translate(language, `modelKind.${model.kind as 'model'}`), translate(language, `modelStatus.${model.status as 'registered'}`),
        day(model.startedOn), model.summary, model.goals, model.participants, model.contact, row.replicates_model_id ? (replicated.get(row.replicates_model_id) ?? null) : null,
        day(latest?.reported_on ?? null), count(latest?.people_reached), count(latest?.funds_vnd), count(latest?.workdays), day(row.created_at),
      ];
    }),
  };
}

async function sendExport(db: Database, req: Request, res: Response, format: 'xlsx' | 'csv') {
  const language = languageOf(req);
  const { separator } = validate(exportFormatSchema, { separator: req.query.separator }, { form: true, labels: 'model' });
  const { header, rows } = await exportRows(db, req, language);
  const name = `mo-hinh-dan-van-kheo-${new Date().toISOString().slice(0, 10)}.${format}`;
  res.attachment(name);
  if (format === 'xlsx') res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await writeXlsx(translate(language, 'nav.models'), header, rows, Object.fromEntries(COUNT_COLUMNS.map((index) => [index, COUNT_FORMAT]))));
  else res.type('text/csv; charset=utf-8').send(writeCsv(header, rows, separator === 'semicolon' ? ';' : ','));
}

async function sendTemplate(db: Database, req: Request, res: Response, format: 'xlsx' | 'csv') {
  const unitCode = await getUnitCode(db, currentUser(req).unitId);
  const today = new Date().toISOString().slice(0, 10);
  const [{ rows: units }, fields, blocks] = await Promise.all([listUnits(db, await scopeOf(req, db)), listFields(db), listBlocks(db)]);
  const choices = {
    unitCode,
    units: units.filter((unit) => !unit.valid_to || String(unit.valid_to) >= today).map((unit) => ({ code: unit.code, name: unit.name })),
    fields: fields.map((field) => field.name),
    blocks: blocks.map((block) => block.name),
  };
  res.attachment(`mau-nhap-mo-hinh.${format}`);
  res.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8').send(await importTemplate(format, choices));
}

export function modelTransferApi(db: Database, gate: ImportGate): Router {
  const router = Router();
  router.post('/models/import', writers, importSlot(gate), receiveImport, async (req, res) => {
    try {
      const { imported, encoding, alreadyImported, importedAt } = await runImport(db, gate, req);
      res.json({ imported, encoding, alreadyImported, ...(alreadyImported ? { importedAt } : {}) });
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error;
      res.status(422).json(refusedJson(error, languageOf(req)));
    }
  });
  router.get('/models/export.xlsx', requireLogin, (req, res) => sendExport(db, req, res, 'xlsx'));
  router.get('/models/export.csv', requireLogin, (req, res) => sendExport(db, req, res, 'csv'));
  router.get('/models/import-template.xlsx', requireLogin, (req, res) => sendTemplate(db, req, res, 'xlsx'));
  return router;
}

export function modelTransferPages(db: Database, gate: ImportGate): Router {
  const router = Router();
  router.get('/models/export.xlsx', requireLogin, (req, res) => sendExport(db, req, res, 'xlsx'));
  router.get('/models/export.csv', requireLogin, (req, res) => sendExport(db, req, res, 'csv'));
  router.get('/models/import/template.xlsx', requireLogin, (req, res) => sendTemplate(db, req, res, 'xlsx'));
  router.get('/models/import/template.csv', requireLogin, (req, res) => sendTemplate(db, req, res, 'csv'));

  router.get('/models/import', writers, (req, res) => {
    res.render('models/import', { title: translate(languageOf(req), 'import.title') });
  });

  router.post(uploadRoute('/models/import'), writers, importSlot(gate), receiveImport, async (req, res) => {
    const language = languageOf(req);
    try {
      const { imported, encoding, alreadyImported, importedAt } = await runImport(db, gate, req);
      const converted = encoding === 'unicode' ? '' : ` ${translate(language, 'import.converted', { encoding: encoding.toUpperCase() })}`;
      req.session.flash = alreadyImported
        ? translate(language, 'import.alreadyImported', { date: formatDateTime(importedAt), count: formatNumber(imported) })
        : translate(language, 'import.done', { count: formatNumber(imported) }) + converted;
      res.redirect(303, '/models?sort=newest');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const total = error instanceof ImportRefusedError ? error.totalErrors : error.details.length;
      const more = total - error.details.length;
      res.status(422).render('models/import', {
        title: translate(language, 'import.title'),
        importErrors: translateProblems(language, error.details),
        errorCount: formatNumber(total),
        moreErrors: more > 0 ? translate(language, 'import.moreErrors', { count: formatNumber(more) }) : undefined,
      });
    }
  });
  return router;
}
