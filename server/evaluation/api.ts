// The criteria sets API (/api/v1): sets, a member's scores and recusals, results, recognising. Thin:
// guard, validate, one service call, JSON.
import { Router } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { committee } from '../awards/http.ts';
import { callerOf } from '../web/request.ts';
import { id, idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';
import { copySchema, criteriaSetSchema, recusalSchema, scoresSchema, setModelParams, setUnitParams } from './schemas.ts';
import { resultJson, selfAssessmentJson, setJson } from './present.ts';
import { readScoresheet, scoresheetXlsx, sheetRowsOf } from './scoresheet.ts';
import { receiveFile } from '../web/upload.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const receiveSheet = receiveFile(10 * 1024 * 1024);
const sheetQuery = Joi.object<{ submit?: boolean }, true>({ submit: Joi.boolean().truthy('1', 'on').falsy('0') });

/** `:id` and `:modelId` or `:unitId`, as the set and its subject. */
function subjectParams(params: typeof setModelParams, values: unknown): { id: number; subjectId: number } {
  const checked = validate(params, values) as { id: number; modelId?: number; unitId?: number };
  return { id: checked.id, subjectId: (checked.modelId ?? checked.unitId)! };
}

const recognitionSchema = Joi.object<{ modelIds?: number[] }, true>({ modelIds: Joi.array().items(id()).max(2000).unique() });

export function evaluationApi(db: Database): Router {
  const router = Router();

  router.get('/criteria-sets', requireLogin, async (req, res) => {
    const sets = await service.listCriteriaSets(db, await callerOf(req, db));
    res.json({ items: sets.map((set) => ({ id: set.id, title: set.title, year: set.year, issuingUnitId: set.issuing_unit_id, issuingUnitName: set.body_name })) });
  });

  router.post('/criteria-sets', committee, async (req, res) => {
    const input = validate(criteriaSetSchema, req.body ?? {}, { labels: 'evaluation' });
    const { set, criteria } = await service.createCriteriaSet(db, await callerOf(req, db), input);
    res.status(201).location(`/api/v1/criteria-sets/${set.id}`).json(setJson(set, criteria));
  });

  router.get('/criteria-sets/:id', requireLogin, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const { set, criteria } = await service.getCriteriaSet(db, await callerOf(req, db), setId);
    res.json(setJson(set, criteria));
  });

  router.post('/criteria-sets/:id/copy', committee, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const target = validate(copySchema, req.body ?? {}, { labels: 'evaluation' });
    const { set, criteria } = await service.copyCriteriaSet(db, await callerOf(req, db), setId, target);
    res.status(201).location(`/api/v1/criteria-sets/${set.id}`).json(setJson(set, criteria));
  });

  // A member's scores and recusals: of a model (a set that scores models) or of a unit (one that scores units).
  for (const [scores, recusals, params, of] of [['scores', 'recusals', setModelParams, 'models'], ['unit-scores', 'unit-recusals', setUnitParams, 'units']] as const) {
    router.put(`/criteria-sets/:id/${scores}/:${of === 'models' ? 'modelId' : 'unitId'}`, requireLogin, async (req, res) => {
      const { id: setId, subjectId } = subjectParams(params, req.params);
      const input = validate(scoresSchema, req.body ?? {}, { labels: 'evaluation' });
      res.json(await service.score(db, await callerOf(req, db), setId, { of, id: subjectId }, input));
    });

    router.post(`/criteria-sets/:id/${recusals}/:${of === 'models' ? 'modelId' : 'unitId'}`, requireLogin, async (req, res) => {
      const { id: setId, subjectId } = subjectParams(params, req.params);
      const { reason } = validate(recusalSchema, req.body ?? {});
      const recusal = await service.recuse(db, await callerOf(req, db), setId, { of, id: subjectId }, reason);
      res.status(201).json({ ...recusal, createdAt: recusal.createdAt.toISOString() });
    });
  }

  // A unit's own assessment, by its staff (a set that scores units).
  router.get('/criteria-sets/:id/self-assessment', requireLogin, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const form = await service.selfAssessmentForm(db, await callerOf(req, db), setId);
    res.json(selfAssessmentJson(form));
  });

  router.put('/criteria-sets/:id/self-assessment', requireLogin, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const input = validate(scoresSchema, req.body ?? {}, { labels: 'evaluation' });
    res.json(await service.assessOwnUnit(db, await callerOf(req, db), setId, input));
  });

  router.get('/criteria-sets/:id/results', requireLogin, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const { set, criteria, items } = await service.setResults(db, await callerOf(req, db), setId);
    res.json({ set: setJson(set, criteria), items: items.map((item) => resultJson(set.subject, item)) });
  });

  // The scoring sheet to fill offline, and sending it back (multipart `file`; ?submit=1 submits every row filled).
  router.get('/criteria-sets/:id/scoresheet.xlsx', requireLogin, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const { set, criteria, rows } = await service.scoresheetFor(db, await callerOf(req, db), setId);
    res.type(XLSX).attachment(`bang-cham-diem-${setId}.xlsx`).send(await scoresheetXlsx(set.subject, criteria, rows));
  });

  router.post('/criteria-sets/:id/scoresheet', requireLogin, receiveSheet, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id: setId } = validate(idParams, req.params);
    const { submit } = validate(sheetQuery, req.query);
    const { criteria } = await service.getCriteriaSet(db, viewer, setId);
    const { rows, problems } = readScoresheet(await sheetRowsOf(req.file?.buffer), criteria);
    res.json(await service.importScoresheet(db, viewer, setId, rows, submit === true, problems));
  });

  router.post('/criteria-sets/:id/recognitions', committee, async (req, res) => {
    const { id: setId } = validate(idParams, req.params);
    const { modelIds } = validate(recognitionSchema, req.body ?? {});
    res.json(await service.recogniseFromResults(db, await callerOf(req, db), setId, modelIds));
  });
  return router;
}
