// The model registry pages: list and search, register, edit, report progress. Thin: each POST is
// validate -> one service call -> redirect, through submitForm.
import { Router, type Request } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { listBlocks, listFields } from '../units/repository.ts';
import { unitPickers, type UnitPickerSpec } from '../units/picker.ts';
import { ConflictError, ValidationError } from '../errors.ts';
import { translateProblems } from '../web/errors.ts';
import { submitForm } from '../web/forms.ts';
import { formatDate, formatNumber, translate, type Language } from '../web/i18n/index.ts';
import { callerOf, currentUser, languageOf, scopeOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { DEFAULT_PAGE_SIZE, pagerView, type PageSize } from '../web/pager.ts';
import { modelFileJson, modelJson, reportJson } from './present.ts';
import * as repository from './repository.ts';
import { modelListSchema, modelSchema, MODEL_SORTS, reportSchema } from './schemas.ts';
import { attachModelFile, registerModel, removeModelFile, reportProgress, updateModel } from './service.ts';
import { MODEL_KINDS, MODEL_STATUSES } from './status.ts';
import * as policy from './policy.ts';
import { countCap, filterOf, modelFileParams, receiveEvidence, sendModelFile, writers } from './http.ts';
import { noAttachmentProblem, uploadedFileName, uploadRoute } from '../web/upload.ts';
import { canPrint } from '../certificates/policy.ts';


/** The model's unit: any unit in scope, ended ones too (an old model keeps its unit; a new one in an ended unit is refused by the service, naming the successor). */
const UNIT_PICKERS: UnitPickerSpec[] = [{ name: 'unitId', label: 'models.unit', includeEnded: true }];

export function modelPages(db: Database): Router {
  const router = Router();

  const options = async (language: Language) => {
    const thisYear = new Date().getFullYear();
    return {
      years: Array.from({ length: thisYear - 2014 }, (_, i) => ({ value: String(thisYear + 1 - i), label: String(thisYear + 1 - i) })),
      fields: (await listFields(db)).map((f) => ({ value: f.code, label: language === 'en' ? f.name_en : f.name })),
      blocks: (await listBlocks(db)).map((b) => ({ value: b.code, label: language === 'en' ? b.name_en : b.name })),
      statuses: MODEL_STATUSES.map((s) => ({ value: s, label: translate(language, `modelStatus.${s}`) })),
      kinds: MODEL_KINDS.map((k) => ({ value: k, label: translate(language, `modelKind.${k}`) })),
      sorts: MODEL_SORTS.map((s) => ({ value: s, label: translate(language, `models.sort.${s}`) })),
    };
  };

  const pickersFor = async (req: Request) => unitPickers(db, await scopeOf(req, db), languageOf(req), UNIT_PICKERS);

  router.get('/models', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const pickers = await pickersFor(req);
    // A unit typed by name becomes its id; one that names no unit, or several, is shown at its field and not filtered by.
    const picked = await pickers.prepare({ ...(req.query as Record<string, unknown>) });
    const query = validate(modelListSchema, { ...picked.body, limit: undefined }, { form: true, labels: 'model' });
    const scope = await scopeOf(req, db);
    const filter = await filterOf(db, query);
    const page = query.page ?? 1;
    const size = query.size;
    const reach = await repository.searchReach(db, scope, filter);
    const [found, counts] = await Promise.all([
      repository.listModels(db, scope, filter, { sort: query.sort, offset: (page - 1) * size, limit: size + 1, reach }),
      repository.countModels(db, scope, filter, { cap: countCap(filter), reach }),
    ]);
    const rows = found.slice(0, size);
    const pages = Math.max(1, Math.ceil(counts.total / size));
    // A capped count says "more than": the page number stands alone and the rows say whether there is a next page.
    const count = (n: number) => (counts.capped ? translate(language, 'models.moreThan', { count: formatNumber(n) }) : formatNumber(n));
    const linkQuery = Object.entries(picked.body as Record<string, string>).filter(([key, value]) => key !== 'page' && key !== 'size' && value !== '');
    const pageLink = (n: number, rowsPerPage: PageSize) => `/models?${new URLSearchParams([...linkQuery, ...(rowsPerPage === DEFAULT_PAGE_SIZE ? [] : [['size', String(rowsPerPage)]]), ['page', String(n)]]).toString()}`;
    const values = { ...picked.values, ...query, year: query.year ? String(query.year) : '', unitId: query.unitId ? String(query.unitId) : '' };
    const flash = takeFlash(req);
    res.render('models/index', {
      title: translate(language, 'models.title'),
      ...(await options(language)),
      ...(await pickers.views(values)),
      values,
      errors: Object.fromEntries(translateProblems(language, picked.problems).map((problem) => [problem.field, problem.message])),
      models: rows.map((row) => ({ ...modelJson(row, language), unitMerged: row.unit_valid_to !== null })),
      // The mark "†" is explained under the list, not only in a tooltip a phone never shows.
      someUnitMerged: rows.some((row) => row.unit_valid_to !== null),
      found: count(counts.total),
      // Where the count stopped, the page says so and where the exact figures are.
      countStopped: counts.capped ? translate(language, filter.q ? 'models.searchCountStops' : 'models.listCountStops', { count: formatNumber(counts.total) }) : null,
      statusCounts: MODEL_STATUSES.filter((s) => counts.byStatus[s]).map((s) => ({
        status: s,
        count: counts.capped ? translate(language, 'models.atLeast', { count: formatNumber(counts.byStatus[s] ?? 0) }) : formatNumber(counts.byStatus[s] ?? 0),
      })),
      pager: pagerView({ language, page, pages: counts.capped ? null : pages, hasNext: found.length > size, size, link: pageLink }),
      foldingFilters: true,
      // What the folded filters hold, said on their one line on a phone.
      activeFilters: [query.year, query.unitId, query.fieldCode, query.blockCode, query.status, query.kind].filter((value) => value !== undefined).length + (query.sort === 'newest' ? 0 : 1),
      canRegister: policy.canWrite({ user: currentUser(req) }),
      exportQuery: new URLSearchParams(linkQuery).toString(),
      flash,
    });
  });

  const formModel = (req: Request, language: Language, extra: Record<string, unknown>) => async (values: Record<string, unknown>) => ({
    ...extra,
    ...(await options(language)),
    ...(await (await pickersFor(req)).views(values)),
  });

  router.get('/models/new', writers, async (req, res) => {
    const language = languageOf(req);
    const user = currentUser(req);
    const values = { year: String(new Date().getFullYear()), unitId: String(user.unitId), kind: 'model' };
    res.render('models/form', { ...(await formModel(req, language, { title: translate(language, 'models.new'), action: '/models' })(values)), values });
  });

  router.post('/models', writers, async (req, res) => {
    const language = languageOf(req);
    await submitForm({
      req, res, schema: modelSchema, view: 'models/form', labels: 'model', prepare: (await pickersFor(req)).prepare,
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
    const { id } = validate(idParams, req.params);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    if (model.status === 'recognized') throw new ConflictError('model_recognized', 'models.recognizedFrozen');
    const values = {
      title: model.title, unitId: String(model.unit_id), year: String(model.year), kind: model.kind, fieldCode: model.field_code, blockCode: model.block_code,
      startedOn: model.started_on ? formatDate(model.started_on) : '', summary: model.summary, goals: model.goals ?? '', participants: model.participants ?? '',
      contact: model.contact ?? '', replicatesModelId: model.replicates_code ?? (model.replicates_model_id ? String(model.replicates_model_id) : ''),
    };
    res.render('models/form', { ...(await formModel(req, language, { title: editTitle(language, model.code), action: `/models/${id}`, editing: true })(values)), values });
  });

  router.post('/models/:id', writers, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    await submitForm({
      req, res, schema: modelSchema, view: 'models/form', labels: 'model', prepare: (await pickersFor(req)).prepare,
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
    const canWrite = policy.canWrite({ user });
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
      nextStatuses: policy.nextStatusesFor({ user }, model.status).map((s) => ({ value: s, label: translate(language, `modelStatus.${s}`) })),
      canWrite,
      // A recognised model is frozen (updateModel): no edit button, and the page says why.
      canEdit: canWrite && model.status !== 'recognized',
      frozen: canWrite && model.status === 'recognized',
      canPrintCertificate: model.status === 'recognized' && canPrint({ user }).allowed,
      files: (await repository.listModelFiles(db, id)).map((file) => ({ ...modelFileJson(file), size: `${formatNumber(Math.max(1, Math.round(file.size_bytes / 1024)))} KB` })),
    };
  }

  router.get('/models/:id', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const page = await modelPage(req, id);
    const flash = takeFlash(req);
    res.render('models/show', { ...page, values: { reportedOn: new Date().toLocaleDateString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }) }, flash });
  });

  router.post('/models/:id/reports', writers, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
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

  // Evidence files: uploaded on the model's page, downloaded by its readers, removed by its writers.
  router.post(uploadRoute('/models/:id/files'), writers, receiveEvidence, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    try {
      if (!req.file) throw new ValidationError([noAttachmentProblem]);
      const file = await attachModelFile(db, await callerOf(req, db), id, { fileName: uploadedFileName(req.file), content: req.file.buffer });
      req.session.flash = translate(language, 'models.fileAttached', { name: file.file_name });
      res.redirect(303, `/models/${id}#evidence`);
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
      const problems = error instanceof ValidationError ? error.details : [{ field: 'file', reason: error.reason!, key: error.messageKey, params: error.params }];
      const details = translateProblems(language, problems);
      res.status(error instanceof ValidationError ? 422 : 409).render('models/show', { ...(await modelPage(req, id)), errors: { file: details.map((d) => d.message).join(' ') }, fileErrors: details });
    }
  });

  router.get('/models/:id/files/:fileId', requireLogin, async (req, res) => {
    await sendModelFile(db, req, res);
  });

  router.post('/models/:id/files/:fileId/delete', writers, async (req, res) => {
    const { id, fileId } = validate(modelFileParams, req.params);
    await removeModelFile(db, await callerOf(req, db), id, fileId);
    req.session.flash = translate(languageOf(req), 'models.fileRemoved');
    res.redirect(303, `/models/${id}#evidence`);
  });

  return router;
}
