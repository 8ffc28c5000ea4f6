// Model registry pages and API: list and search, register, edit, report progress.
import { Router, type Request } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { listBlocks, listFields, listUnits } from '../units/repository.ts';
import { ConflictError } from '../errors.ts';
import { submitForm } from '../web/forms.ts';
import { formatDate, formatNumber, translate, type Language } from '../web/i18n/index.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { callerOf, currentUser, languageOf, scopeOf } from '../web/request.ts';
import { id as idSchema, validate } from '../web/validate.ts';
import { modelJson, reportJson } from './present.ts';
import * as repository from './repository.ts';
import { modelChangesSchema, modelListSchema, modelSchema, MODEL_SORTS, reportSchema, type ModelListQuery } from './schemas.ts';
import { registerModel, reportProgress, updateModel } from './service.ts';
import { MODEL_KINDS, MODEL_STATUSES, nextStatuses, type ModelStatus } from './status.ts';

const idParam = Joi.object({ id: idSchema().required() });
const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const PAGE_SIZE = 25;
const writers = requireRole('agency', 'secretary', 'admin');

/** The list filter from a query: a unit widens to the units under it and merged into it. */
async function filterOf(db: Database, query: ModelListQuery): Promise<repository.ModelFilter> {
  const { year, fieldCode, blockCode, status, kind, q } = query;
  return { year, fieldCode, blockCode, status, kind, q, unitIds: query.unitId ? await unitAndEverythingUnder(db, query.unitId) : undefined };
}

/**
 * Counts stop at this many for a search: a search is for finding, not for statistics (exact counts are
 * in the lists without q and in the reports), and a small cap lets PostgreSQL stop after a few thousand rows.
 */
export const SEARCH_COUNT_CAP = 1_000;
const countCap = (filter: repository.ModelFilter) => (filter.q ? SEARCH_COUNT_CAP : undefined);

/** An API cursor: the last id shown for the newest-first sort (keyset), an offset for the others. */
type Cursor = number | { before: number };
const isCursor = (value: unknown): value is Cursor =>
  isOffset(value) || (typeof value === 'object' && value !== null && Object.keys(value).length === 1 && isOffset((value as { before?: unknown }).before));

export function modelApi(db: Database): Router {
  const router = Router();

  router.get('/models', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const query = validate(modelListSchema, req.query, { labels: 'model' });
    const scope = await scopeOf(req, db);
    const filter = await filterOf(db, query);
    const cursor = decodeCursor(query.cursor, isCursor) ?? 0;
    const offset = typeof cursor === 'number' ? cursor : 0;
    const beforeId = typeof cursor === 'number' || query.sort !== 'newest' ? undefined : cursor.before;
    const reach = await repository.searchReach(db, scope, filter);
    const [rows, counts] = await Promise.all([
      repository.listModels(db, scope, filter, { sort: query.sort, offset, beforeId, limit: query.limit + 1, reach }),
      repository.countModels(db, scope, filter, { cap: countCap(filter), reach }),
    ]);
    const items = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    res.json({
      items: items.map((row) => modelJson(row, language)),
      nextCursor: !more ? null : query.sort === 'newest' ? encodeCursor({ before: items[items.length - 1]!.id }) : encodeCursor(offset + query.limit),
      total: counts.total,
      ...(counts.capped ? { totalCapped: true } : {}),
      byStatus: counts.byStatus,
    });
  });

  router.post('/models', writers, async (req, res) => {
    const caller = await callerOf(req, db);
    const input = validate(modelSchema, req.body, { labels: 'model' });
    res.status(201).json(modelJson(await registerModel(db, caller, input), languageOf(req)));
  });

  router.get('/models/:id', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParam, req.params);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    res.json({ ...modelJson(model, language), reports: (await repository.listReports(db, id)).map(reportJson) });
  });

  router.patch('/models/:id', writers, async (req, res) => {
    const caller = await callerOf(req, db);
    const { id } = validate(idParam, req.params);
    const changes = validate(modelChangesSchema, req.body, { labels: 'model' });
    res.json(modelJson(await updateModel(db, caller, id, changes), languageOf(req)));
  });

  router.post('/models/:id/reports', writers, async (req, res) => {
    const caller = await callerOf(req, db);
    const { id } = validate(idParam, req.params);
    const input = validate(reportSchema, req.body, { labels: 'model' });
    res.status(201).json(reportJson(await reportProgress(db, caller, id, input)));
  });

  return router;
}

export function modelPages(db: Database): Router {
  const router = Router();

  const options = async (req: Request, language: Language) => {
    const scope = await scopeOf(req, db);
    const thisYear = new Date().getFullYear();
    return {
      years: Array.from({ length: thisYear - 2014 }, (_, i) => ({ value: String(thisYear + 1 - i), label: String(thisYear + 1 - i) })),
      fields: (await listFields(db)).map((f) => ({ value: f.code, label: language === 'en' ? f.name_en : f.name })),
      blocks: (await listBlocks(db)).map((b) => ({ value: b.code, label: language === 'en' ? b.name_en : b.name })),
      statuses: MODEL_STATUSES.map((s) => ({ value: s, label: translate(language, `modelStatus.${s}`) })),
      kinds: MODEL_KINDS.map((k) => ({ value: k, label: translate(language, `modelKind.${k}`) })),
      sorts: MODEL_SORTS.map((s) => ({ value: s, label: translate(language, `models.sort.${s}`) })),
      units: (await listUnits(db, scope)).rows.map((u) => ({ value: String(u.id), label: u.valid_to ? `${u.name} (${u.code}, ≤ ${u.valid_to.slice(0, 4)})` : `${u.name} (${u.code})` })),
    };
  };

  router.get('/models', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const query = validate(modelListSchema, { ...req.query, limit: undefined }, { form: true, labels: 'model' });
    const scope = await scopeOf(req, db);
    const filter = await filterOf(db, query);
    const page = query.page ?? 1;
    const reach = await repository.searchReach(db, scope, filter);
    const [found, counts] = await Promise.all([
      repository.listModels(db, scope, filter, { sort: query.sort, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE + 1, reach }),
      repository.countModels(db, scope, filter, { cap: countCap(filter), reach }),
    ]);
    const rows = found.slice(0, PAGE_SIZE);
    const pages = Math.max(1, Math.ceil(counts.total / PAGE_SIZE));
    // A capped count says "more than": the page number stands alone and the rows say whether there is a next page.
    const count = (n: number) => (counts.capped ? translate(language, 'models.moreThan', { count: formatNumber(n) }) : formatNumber(n));
    const pageLink = (n: number) => `/models?${new URLSearchParams({ ...(req.query as Record<string, string>), page: String(n) }).toString()}`;
    const flash = req.session.flash;
    delete req.session.flash;
    res.render('models/index', {
      title: translate(language, 'models.title'),
      ...(await options(req, language)),
      values: { ...query, year: query.year ? String(query.year) : '', unitId: query.unitId ? String(query.unitId) : '' },
      models: rows.map((row) => ({ ...modelJson(row, language), unitMerged: row.unit_valid_to !== null })),
      found: count(counts.total),
      statusCounts: MODEL_STATUSES.filter((s) => counts.byStatus[s]).map((s) => ({
        status: s,
        count: counts.capped ? translate(language, 'models.atLeast', { count: formatNumber(counts.byStatus[s] ?? 0) }) : formatNumber(counts.byStatus[s] ?? 0),
      })),
      page,
      pages: counts.capped ? null : pages,
      previous: page > 1 ? pageLink(page - 1) : null,
      next: found.length > PAGE_SIZE ? pageLink(page + 1) : null,
      canRegister: ['agency', 'secretary', 'admin'].includes(currentUser(req).role),
      exportQuery: new URLSearchParams(Object.entries(req.query as Record<string, string>).filter(([key]) => key !== 'page')).toString(),
      flash,
    });
  });

  const formModel = (req: Request, language: Language, extra: Record<string, unknown>) => async () => ({ ...extra, ...(await options(req, language)) });

  router.get('/models/new', writers, async (req, res) => {
    const language = languageOf(req);
    const user = currentUser(req);
    res.render('models/form', {
      ...(await formModel(req, language, { title: translate(language, 'models.new'), action: '/models' })()),
      values: { year: String(new Date().getFullYear()), unitId: String(user.unitId), kind: 'model' },
    });
  });

  router.post('/models', writers, async (req, res) => {
    const language = languageOf(req);
    await submitForm({
      req, res, schema: modelSchema, view: 'models/form', labels: 'model',
      viewModel: formModel(req, language, { title: translate(language, 'models.new'), action: '/models' }),
      action: async (input) => {
        const model = await registerModel(db, await callerOf(req, db), input);
        return { redirectTo: `/models/${model.id}`, flash: translate(language, 'models.created', { code: model.code, title: model.title }) };
      },
    });
  });

  const editTitle = (language: Language, code: string) => translate(language, 'models.editTitle', { code });

  router.get('/models/:id/edit', writers, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParam, req.params);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    if (model.status === 'recognized') throw new ConflictError('model_recognized', 'models.recognizedFrozen');
    res.render('models/form', {
      ...(await formModel(req, language, { title: editTitle(language, model.code), action: `/models/${id}`, editing: true })()),
      values: {
        title: model.title, unitId: String(model.unit_id), year: String(model.year), kind: model.kind, fieldCode: model.field_code, blockCode: model.block_code,
        startedOn: model.started_on ? formatDate(model.started_on) : '', summary: model.summary, goals: model.goals ?? '', participants: model.participants ?? '',
        contact: model.contact ?? '', replicatesModelId: model.replicates_model_id ? String(model.replicates_model_id) : '',
      },
    });
  });

  router.post('/models/:id', writers, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParam, req.params);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    await submitForm({
      req, res, schema: modelSchema, view: 'models/form', labels: 'model',
      viewModel: formModel(req, language, { title: editTitle(language, model.code), action: `/models/${id}`, editing: true }),
      action: async (input) => {
        // The form shows every field: an emptied optional field is cleared, not kept.
        const changes = { ...input, goals: input.goals ?? null, startedOn: input.startedOn ?? null, participants: input.participants ?? null, contact: input.contact ?? null, replicatesModelId: input.replicatesModelId ?? null };
        const updated = await updateModel(db, await callerOf(req, db), id, changes);
        return { redirectTo: `/models/${id}`, flash: translate(language, 'models.updated', { code: updated.code }) };
      },
    });
  });

  /** The model page's data, for showing it and for re-showing it with a report form's errors. */
  async function modelPage(req: Request, id: number) {
    const language = languageOf(req);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    const user = currentUser(req);
    const canWrite = ['agency', 'secretary', 'admin'].includes(user.role);
    const figure = (value: number | null, key: 'models.figure.people' | 'models.figure.funds' | 'models.figure.workdays') =>
      value === null ? null : translate(language, key, { value: formatNumber(value) });
    return {
      title: `${model.code} · ${model.title}`,
      model: { ...modelJson(model, language), replicatesCode: model.replicates_code, replicatesTitle: model.replicates_title, unitMerged: model.unit_valid_to !== null },
      reports: (await repository.listReports(db, id)).map((r) => ({
        ...reportJson(r),
        reporterName: r.reporter_name,
        figures: [figure(r.people_reached, 'models.figure.people'), figure(r.funds_vnd, 'models.figure.funds'), figure(r.workdays, 'models.figure.workdays')].filter(Boolean).join(' · ') || null,
      })),
      nextStatuses: canWrite ? nextStatuses(model.status as ModelStatus, user.role).map((s) => ({ value: s, label: translate(language, `modelStatus.${s}`) })) : [],
      canWrite,
      // A recognised model is frozen (updateModel): no edit button, and the page says why.
      canEdit: canWrite && model.status !== 'recognized',
      frozen: canWrite && model.status === 'recognized',
      canPrintCertificate: model.status === 'recognized' && ['printer', 'secretary', 'admin'].includes(user.role),
    };
  }

  router.get('/models/:id', requireLogin, async (req, res) => {
    const { id } = validate(idParam, req.params);
    const page = await modelPage(req, id);
    const flash = req.session.flash;
    delete req.session.flash;
    res.render('models/show', { ...page, values: { reportedOn: new Date().toLocaleDateString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }) }, flash });
  });

  router.post('/models/:id/reports', writers, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParam, req.params);
    const page = await modelPage(req, id);
    await submitForm({
      req, res, schema: reportSchema, view: 'models/show', labels: 'model',
      viewModel: async () => page,
      action: async (input) => {
        await reportProgress(db, await callerOf(req, db), id, input);
        return { redirectTo: `/models/${id}`, flash: translate(language, 'models.reported', { code: page.model.code }) };
      },
    });
  });

  return router;
}
