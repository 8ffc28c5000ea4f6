// The pages of evaluation by criteria: the sets, a set (its criteria with group subtotals; for a
// member the models to score, for the secretariat the results and recognising in one step), the
// scoring form with the unit's reports beside it, standing aside, and a new set typed line by line.
import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { committee } from '../awards/http.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type FieldProblem } from '../errors.ts';
import { translateProblems } from '../web/errors.ts';
import { formatDate, formatNumber, translate, type Language } from '../web/i18n/index.ts';
import { callerOf, languageOf, takeFlash } from '../web/request.ts';
import { confirmation, id, idParams, validate } from '../web/validate.ts';
import { bodyName } from '../units/names.ts';
import type { Caller } from '../auth/caller.ts';
import { canManageSets } from './policy.ts';
import { hundredths, points, scaleOf } from './results.ts';
import { criteriaSetSchema, recusalSchema, scoresSchema } from './schemas.ts';
import * as service from './service.ts';
import { readScoresheet, scoresheetXlsx, sheetRowsOf } from './scoresheet.ts';
import { receiveFile, sendStoredFile, uploadRoute } from '../web/upload.ts';

const receiveSheet = receiveFile(10 * 1024 * 1024);
const subjectParams = Joi.object({ id: id().required(), subjectId: id() });
const evidenceParams = Joi.object({ id: id().required(), modelId: id().required(), fileId: id().required() });

const number = (value: number) => formatNumber(value);

/** The criteria as printed: each group's rows then its subtotal line. */
function criteriaRows(criteria: readonly { code: string; name: string; max_score: string; group_name: string }[]) {
  const rows: { group?: string; code?: string; name?: string; max: string; subtotal?: boolean }[] = [];
  let group: string | null = null;
  let subtotal = 0;
  const close = () => {
    if (group) rows.push({ group, max: number(points(subtotal)), subtotal: true });
  };
  for (const criterion of criteria) {
    if (criterion.group_name !== (group ?? '')) {
      close();
      group = criterion.group_name || null;
      subtotal = 0;
      if (group) rows.push({ group, max: '' });
    }
    subtotal += hundredths(criterion.max_score);
    rows.push({ code: criterion.code, name: criterion.name, max: number(points(hundredths(criterion.max_score))) });
  }
  close();
  return rows;
}

async function setPage(db: Database, viewer: Caller, id: number, language: Language) {
  const manage = canManageSets(viewer).allowed;
  // The secretariat reads the results, a member its own work, a unit its self-assessment: each reads the set once.
  const results = manage ? await service.setResults(db, viewer, id) : null;
  const work = !manage && viewer.user.role === 'member' ? await service.memberWork(db, viewer, id) : null;
  const { set, criteria } = results ?? work ?? (await service.getCriteriaSet(db, viewer, id));
  const units = set.subject === 'units';
  const scale = scaleOf(criteria);
  const items = results?.items ?? [];
  const recognisable = items.filter((item) => item.meetsThreshold && item.model.status === 'completed');
  const own = !results && !work && viewer.user.role === 'agency' ? await ownAssessment(db, viewer, id) : null;
  return {
    title: set.title,
    set: { ...set, bodyName: bodyName(set.body_name, set.body_kind), threshold: translate(language, 'evaluation.thresholdOf', { threshold: number(points(hundredths(set.threshold))), scale: number(points(scale)) }), window: set.closes_on ? `${set.opens_on ? formatDate(set.opens_on) : ''} – ${formatDate(set.closes_on)}` : null },
    subjectText: translate(language, `evaluation.subject.${set.subject}`),
    units,
    path: units ? 'units' : 'models',
    labels: { name: translate(language, units ? 'evaluation.unitName' : 'field.title'), parent: translate(language, units ? 'evaluation.parent' : 'field.model.unitId') },
    criteriaRows: criteriaRows(criteria),
    scale: number(points(scale)),
    work: work && work.items.map((item) => ({
      ...item, stateText: translate(language, item.state === 'own_unit' && units ? 'evaluation.state.own_unit_unit' : `evaluation.state.${item.state}` as 'evaluation.state.draft'),
      total: item.total === null ? null : number(item.total), scorable: item.state === 'to_score' || item.state === 'draft',
    })),
    results: manage ? items.map((item) => ({
      ...item, average: item.average === null ? '—' : number(points(item.average)), spread: item.spread === null ? '—' : number(points(item.spread)),
      meets: translate(language, item.meetsThreshold ? 'evaluation.yes' : 'evaluation.no'),
      status: item.model.status ? translate(language, `modelStatus.${item.model.status}` as 'modelStatus.completed') : '',
      selfAssessment: item.selfAssessment === null ? '—' : number(points(item.selfAssessment)),
    })) : null,
    recognise: manage && recognisable.length > 0 ? { count: recognisable.length, confirm: translate(language, 'evaluation.recogniseConfirm', { count: recognisable.length }) } : null,
    own,
    manage,
  };
}

/** The viewer's own unit's self-assessment on a set that scores units, or why there is none. */
async function ownAssessment(db: Database, viewer: Caller, id: number) {
  try {
    const form = await service.selfAssessmentForm(db, viewer, id);
    return { scored: true, status: form.given[0]?.status ?? null, total: form.given[0] ? number(points(hundredths(form.given[0].total))) : null, unitName: form.subject.title };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return { scored: false };
    throw error;
  }
}

/**
 * The scoring form: a member's of a model or a unit (with the unit's reports, or its self-assessment,
 * beside), or the unit's own self-assessment (`ref` absent).
 */
async function scoringPage(db: Database, viewer: Caller, id: number, ref: service.SubjectRef | null, language: Language) {
  const form = ref ? await service.scoringForm(db, viewer, id, ref) : { ...(await service.selfAssessmentForm(db, viewer, id)), reports: [], files: [], selfAssessment: [], recused: false };
  const given = new Map(form.given.map((row) => [row.criterion_id, row]));
  const self = new Map(form.selfAssessment.map((row) => [row.criterion_id, row]));
  const units = form.set.subject === 'units';
  return {
    title: translate(language, ref ? 'evaluation.scoreTitle' : 'evaluation.selfAssessmentTitle', { title: form.subject.title }),
    set: form.set,
    model: form.subject,
    units,
    selfAssessing: ref === null,
    action: ref ? `/criteria-sets/${id}/${ref.of}/${ref.id}` : `/criteria-sets/${id}/self-assessment`,
    submitted: form.given[0]?.status === 'submitted',
    recused: form.recused,
    criteria: form.criteria.map((criterion) => ({
      ...criterion, max: number(points(hundredths(criterion.max_score))), field: `score_${criterion.code}`, commentField: `comment_${criterion.code}`,
      score: given.has(criterion.id) ? number(points(hundredths(given.get(criterion.id)!.score))) : '', comment: given.get(criterion.id)?.comment ?? '',
      selfScore: self.has(criterion.id) ? number(points(hundredths(self.get(criterion.id)!.score))) : null, selfComment: self.get(criterion.id)?.comment ?? '',
    })),
    selfAssessment: ref && units ? { status: form.selfAssessment[0]?.status ?? null, total: form.selfAssessment[0] ? number(points(hundredths(form.selfAssessment[0].total))) : null } : null,
    files: form.files.map((file) => ({ id: file.id, fileName: file.file_name, size: `${formatNumber(Math.max(1, Math.round(file.size_bytes / 1024)))} KB` })),
    evidence: form.reports.map((report) => ({ ...report, reportedOnText: formatDate(report.reported_on), status: translate(language, `modelStatus.${report.to_status}` as 'modelStatus.completed') })),
  };
}

/** The scoring form's fields as the API's body: `score_<code>`, `comment_<code>`, the button pressed. */
function scoresFromForm(body: Record<string, unknown>, codes: readonly string[]) {
  return {
    scores: codes.filter((code) => String(body[`score_${code}`] ?? '').trim() !== '').map((code) => ({ code, score: String(body[`score_${code}`]).trim(), comment: String(body[`comment_${code}`] ?? '') })),
    submit: body.action === 'submit',
  };
}

/** A problem of `scores.<i>.score` or `scores.<CODE>` shown at that criterion's input. */
function onFormFields(problems: readonly FieldProblem[], sent: readonly { code: string }[]): FieldProblem[] {
  return problems.map((problem) => {
    const byIndex = /^scores\.(\d+)\.(score|code)$/.exec(problem.field);
    if (byIndex) return { ...problem, field: `score_${sent[Number(byIndex[1])]?.code ?? ''}` };
    const byCode = /^scores\.([A-Za-z0-9._-]+)$/.exec(problem.field);
    return byCode ? { ...problem, field: `score_${byCode[1]}` } : problem;
  });
}

/** "TC1 | Vận động được đông đảo nhân dân | 30 | I. Hiệu quả": one criterion a line, as offices paste them. */
function criteriaFromLines(text: string) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).map((line) => {
    const [code = '', name = '', maxScore = '', group = ''] = line.split('|').map((part) => part.trim());
    return { code, name, maxScore, ...(group ? { group } : {}) };
  });
}

/** The list of sets and the choices of the new-set form. */
function indexPage(sets: Awaited<ReturnType<typeof service.listCriteriaSets>>, language: Language) {
  return {
    title: translate(language, 'evaluation.title'),
    sets: sets.map((set) => ({ ...set, bodyName: bodyName(set.body_name, set.body_kind), subjectText: translate(language, `evaluation.subject.${set.subject}`) })),
    subjects: (['models', 'units'] as const).map((value) => ({ value, label: translate(language, `evaluation.subject.${value}`) })),
    unitKinds: (['commune', 'agency', 'organisation', 'district'] as const).map((value) => ({ value, label: translate(language, `unitKind.${value}`) })),
  };
}

export function evaluationPages(db: Database): Router {
  const router = Router();

  router.get('/criteria-sets', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const sets = await service.listCriteriaSets(db, viewer);
    res.render('evaluation/index', { ...indexPage(sets, languageOf(req)), manage: canManageSets(viewer).allowed, flash: takeFlash(req), values: { year: String(new Date().getFullYear()), subject: 'models' } });
  });

  router.post('/criteria-sets', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const language = languageOf(req);
    const sent = (req.body ?? {}) as Record<string, string>;
    try {
      const input = validate(criteriaSetSchema, { title: sent.title, year: sent.year, threshold: sent.threshold, subject: sent.subject || undefined, unitKinds: [sent.unitKinds ?? []].flat(), issuingUnitId: viewer.user.unitId, criteria: criteriaFromLines(sent.criteria ?? '') }, { labels: 'evaluation' });
      const { set } = await service.createCriteriaSet(db, viewer, input);
      res.redirect(303, `/criteria-sets/${set.id}`);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // A criterion's problem is shown at the text area, naming its line.
      const details = translateProblems(language, error.details).map((detail) => {
        const line = /^criteria\.(\d+)/.exec(detail.field);
        return line ? { ...detail, field: 'criteria', message: `${translate(language, 'evaluation.line', { line: Number(line[1]) + 1 })}: ${detail.message}` } : detail;
      });
      const sets = await service.listCriteriaSets(db, viewer);
      res.status(422).render('evaluation/index', { ...indexPage(sets, language), manage: true, values: sent, errors: Object.fromEntries(details.map((d) => [d.field, d.message])), errorList: details });
    }
  });

  router.get('/criteria-sets/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    res.render('evaluation/set', { ...(await setPage(db, viewer, id, languageOf(req))), flash: takeFlash(req) });
  });

  // A member's form for a model or a unit, and the unit's own self-assessment: one form, three addresses.
  const scoringRoutes = [
    { path: '/criteria-sets/:id/models/:subjectId', of: 'models' },
    { path: '/criteria-sets/:id/units/:subjectId', of: 'units' },
    { path: '/criteria-sets/:id/self-assessment', of: null },
  ] as const;
  for (const route of scoringRoutes) {
    const refOf = (req: Request) => {
      const { id, subjectId } = validate(subjectParams, req.params);
      return { id, ref: route.of && subjectId ? { of: route.of, id: subjectId } : null };
    };

    router.get(route.path, requireLogin, async (req, res) => {
      const { id, ref } = refOf(req);
      res.render('evaluation/score', await scoringPage(db, await callerOf(req, db), id, ref, languageOf(req)));
    });

    router.post(route.path, requireLogin, async (req: Request, res: Response) => {
      const viewer = await callerOf(req, db);
      const { id, ref } = refOf(req);
      const language = languageOf(req);
      const { criteria } = await service.getCriteriaSet(db, viewer, id);
      const input = scoresFromForm(req.body ?? {}, criteria.map((criterion) => criterion.code));
      try {
        const scores = validate(scoresSchema, input, { labels: 'evaluation' });
        const saved = ref ? await service.score(db, viewer, id, ref, scores) : await service.assessOwnUnit(db, viewer, id, scores);
        const sent = saved.status === 'submitted';
        req.session.flash = translate(language, ref ? (sent ? 'evaluation.sent' : 'evaluation.saved') : sent ? 'evaluation.selfSent' : 'evaluation.selfSaved', { total: number(saved.total) });
        res.redirect(303, sent ? `/criteria-sets/${id}` : req.originalUrl);
      } catch (error) {
        if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
        const problems = error instanceof ValidationError ? onFormFields(error.details, input.scores) : [{ field: 'form', reason: error.reason!, key: error.messageKey, params: error.params }];
        const details = translateProblems(language, problems);
        const page = await scoringPage(db, viewer, id, ref, language);
        // What was typed stays in the form.
        const criteriaTyped = page.criteria.map((criterion) => ({ ...criterion, score: String((req.body ?? {})[criterion.field] ?? ''), comment: String((req.body ?? {})[criterion.commentField] ?? '') }));
        res.status(error instanceof ValidationError ? 422 : 409).render('evaluation/score', { ...page, criteria: criteriaTyped, errors: Object.fromEntries(details.map((d) => [d.field, d.message])), errorList: details });
      }
    });

    if (route.of === null) continue;
    router.post(`${route.path}/recusal`, requireLogin, async (req, res) => {
      const viewer = await callerOf(req, db);
      const { id, ref } = refOf(req);
      const { reason } = validate(recusalSchema, { reason: (req.body ?? {}).reason }, { labels: 'evaluation' });
      await service.recuse(db, viewer, id, ref!, reason);
      req.session.flash = translate(languageOf(req), route.of === 'units' ? 'evaluation.unitRecusedDone' : 'evaluation.recusedDone');
      res.redirect(303, `/criteria-sets/${id}`);
    });
  }

  // A model's evidence file, from the scoring form.
  router.get('/criteria-sets/:id/models/:modelId/files/:fileId', requireLogin, async (req, res) => {
    const { id, modelId, fileId } = validate(evidenceParams, req.params);
    const file = await service.evidenceFile(db, await callerOf(req, db), id, modelId, fileId);
    sendStoredFile(res, { fileName: file.file_name, contentType: file.content_type, content: file.content });
  });

  router.get('/criteria-sets/:id/scoresheet.xlsx', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { set, criteria, rows } = await service.scoresheetFor(db, await callerOf(req, db), id);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`bang-cham-diem-${id}.xlsx`).send(await scoresheetXlsx(set.subject, criteria, rows));
  });

  router.post(uploadRoute('/criteria-sets/:id/scoresheet'), requireLogin, receiveSheet, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const language = languageOf(req);
    try {
      const { criteria } = await service.getCriteriaSet(db, viewer, id);
      const { rows, problems } = readScoresheet(await sheetRowsOf(req.file?.buffer), criteria);
      const { saved } = await service.importScoresheet(db, viewer, id, rows, (req.body ?? {}).submit === 'on', problems);
      req.session.flash = translate(language, 'evaluation.sheetSaved', { count: saved.length });
      res.redirect(303, `/criteria-sets/${id}`);
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
      const problems = error instanceof ValidationError ? error.details : [{ field: 'file', reason: error.reason!, key: error.messageKey, params: error.params }];
      // Each bad cell as the clerk finds it in Excel: "Dòng 5, TC2: …".
      const details = translateProblems(language, problems).map((detail) => {
        const cell = /^rows\.(\d+)\.(.+)$/.exec(detail.field);
        return { ...detail, field: 'file', message: cell ? `${translate(language, 'evaluation.line', { line: Number(cell[1]) })}, ${cell[2] === 'modelCode' ? translate(language, 'field.evaluation.modelCode') : cell[2]}: ${detail.message}` : detail.message };
      });
      res.status(error instanceof ValidationError ? 422 : 409).render('evaluation/set', { ...(await setPage(db, viewer, id, language)), errors: { file: details.map((d) => d.message).join(' ') }, errorList: details });
    }
  });

  router.post('/criteria-sets/:id/recognitions', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    validate(Joi.object({ confirmed: confirmation() }), { confirmed: (req.body ?? {}).confirmed }, { labels: 'evaluation' });
    const { recognised } = await service.recogniseFromResults(db, viewer, id);
    req.session.flash = translate(languageOf(req), recognised.length > 0 ? 'evaluation.recognised' : 'evaluation.noneToRecognise', { count: recognised.length });
    res.redirect(303, `/criteria-sets/${id}`);
  });
  return router;
}
