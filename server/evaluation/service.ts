// Evaluation by criteria ("Bộ tiêu chí và thang điểm"): a body's set of criteria for a year, the
// committee members' scores of the models it applies to (a draft until submitted), recusals, the
// results (average over evaluators, spread, threshold, rank) and recognising, in one step, the
// models that meet the threshold, with their result as the reason.
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { recordAction } from '../audit/audit.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { compareText } from '../awards/names.ts';
import { nominatingUnits, sitsOnCommittee } from '../awards/repository.ts';
import { ConflictError, NotFoundError, unknownReference, ValidationError, type FieldProblem } from '../errors.ts';
import { insertModelReport, setModelStatus } from '../models/repository.ts';
import { enforce } from '../policy.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import { canManageSets, canScore, canSeeSet, windowOpen } from './policy.ts';
import * as repository from './repository.ts';
import { hundredths, points, resultsOf, scaleOf, type ModelResult } from './results.ts';
import type { CriteriaSetInput, ScoreInput } from './schemas.ts';

/** Writes a new set with its criteria (codes unique, the threshold within the scale), audited. */
export async function createCriteriaSet(db: Database, viewer: Caller, input: CriteriaSetInput) {
  enforce(canManageSets(viewer));
  // A body outside one's scope is an unknown reference, as for award rounds.
  if (!canManageSets(viewer, input.issuingUnitId).allowed) throw new ValidationError([unknownReference('issuingUnitId', 'field.issuingUnitId')]);
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  input.criteria.forEach((criterion, index) => {
    const code = criterion.code.toUpperCase();
    if (seen.has(code)) problems.push({ field: `criteria.${index}.code`, reason: 'not_unique', key: 'evaluation.codeTwice', params: { code: criterion.code } });
    seen.add(code);
  });
  const scale = input.criteria.reduce((sum, criterion) => sum + hundredths(criterion.maxScore), 0);
  if (hundredths(input.threshold) > scale) problems.push({ field: 'threshold', reason: 'too_large', key: 'evaluation.thresholdOverScale', params: { max: points(scale) } });
  const fieldCodes = [...new Set(input.fieldCodes ?? [])];
  const known = await repository.knownFieldCodes(db, fieldCodes);
  if (fieldCodes.some((code) => !known.includes(code))) problems.push(unknownReference('fieldCodes', 'field.fieldCode'));
  if (input.opensOn && input.closesOn && input.closesOn < input.opensOn) problems.push({ field: 'closesOn', reason: 'date_order', key: 'validation.dateOrder', params: {} });
  if (problems.length > 0) throw new ValidationError(problems);
  const id = await db.transaction().execute(async (trx) => {
    const set = await repository.insertSet(trx, {
      issuing_unit_id: input.issuingUnitId, year: input.year, title: input.title, threshold: String(input.threshold), field_codes: fieldCodes, model_kinds: [...new Set(input.kinds ?? [])],
      opens_on: input.opensOn ?? null, closes_on: input.closesOn ?? null, created_by: viewer.user.id,
    });
    await repository.insertCriteria(trx, set.id, input.criteria);
    await recordAction(trx, viewer.actor, { action: 'criteria_set.create', entityType: 'criteria_set', entityId: set.id, after: { ...input, fieldCodes } });
    return set.id;
  });
  return getCriteriaSet(db, viewer, id);
}

/** Starts next year's set from this one: the same criteria, threshold and scope, no scores. */
export async function copyCriteriaSet(db: Database, viewer: Caller, id: number, target: { year: number; title?: string }) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  enforce(canManageSets(viewer, set.issuing_unit_id));
  const copyId = await db.transaction().execute(async (trx) => {
    const copy = await repository.insertSet(trx, {
      issuing_unit_id: set.issuing_unit_id, year: target.year, title: target.title ?? set.title.replace(String(set.year), String(target.year)), threshold: set.threshold,
      field_codes: set.field_codes, model_kinds: set.model_kinds, copied_from_id: set.id, created_by: viewer.user.id,
    });
    await repository.insertCriteria(trx, copy.id, criteria.map((criterion) => ({ code: criterion.code, name: criterion.name, maxScore: criterion.max_score, group: criterion.group_name })));
    await recordAction(trx, viewer.actor, { action: 'criteria_set.copy', entityType: 'criteria_set', entityId: copy.id, after: { copiedFrom: set.id, year: target.year } });
    return copy.id;
  });
  return getCriteriaSet(db, viewer, copyId);
}

/** A set the viewer may see (its body's secretariat or committee), with its criteria; 404 otherwise. */
export async function getCriteriaSet(db: Database, viewer: Caller, id: number) {
  const set = await repository.findSet(db, id);
  if (!set || !canSeeSet(viewer, set.issuing_unit_id)) throw new NotFoundError();
  return { set, criteria: await repository.listCriteria(db, id) };
}

export async function listCriteriaSets(db: Database, viewer: Caller) {
  const all = await repository.listSets(db, viewer.scope.all ? null : [...viewer.scope.unitIds, ...viewer.committeeBodyIds]);
  return all.filter((set) => canSeeSet(viewer, set.issuing_unit_id));
}

/** The models a set applies to: its year's completed (or decided) models of its body's units. */
async function candidatesOf(db: Database, set: repository.CriteriaSet) {
  return repository.listCandidates(db, set, await unitAndEverythingUnder(db, set.issuing_unit_id));
}

/** What a member sees of a set: each model with the member's own status on it (to score, draft, submitted, stood aside, own unit). */
export async function memberWork(db: Database, viewer: Caller, id: number) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  const models = await candidatesOf(db, set);
  const mine = new Map((await repository.listEvaluationsOf(db, id, viewer.user.id)).map((row) => [row.model_id, row]));
  const recused = new Set(await repository.recusedModelIds(db, id, viewer.user.id));
  const ownUnit = ownUnitOf(db, viewer);
  const items = await Promise.all(models.map(async (model) => {
    const own = await ownUnit(model.unit_id);
    const evaluation = mine.get(model.id);
    const state = own ? 'own_unit' : recused.has(model.id) ? 'recused' : evaluation ? evaluation.status : 'to_score';
    return { ...model, state, total: evaluation ? points(hundredths(evaluation.total)) : null };
  }));
  return { set, criteria, items: items.sort((a, b) => compareText(a.title, b.title)) };
}

/** The form of one member's scores of one model: the criteria, what the member gave, the unit's reports beside. */
export async function scoringForm(db: Database, viewer: Caller, id: number, modelId: number) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  const model = await repository.findCandidate(db, set, await unitAndEverythingUnder(db, set.issuing_unit_id), modelId);
  if (!model) throw new NotFoundError();
  const given = await repository.scoresOf(db, id, modelId, viewer.user.id);
  const evidence = await repository.evidenceOf(db, modelId);
  return { set, criteria, model, given, evidence, recused: await repository.hasRecused(db, id, modelId, viewer.user.id) };
}

/**
 * A member's scores of a model: every criterion once, each within 0 and its maximum (all bad ones
 * named at once), saved as a draft or submitted; a submitted evaluation is final (409).
 */
export async function scoreModel(db: Database, viewer: Caller, id: number, modelId: number, input: { scores: ScoreInput[]; submit?: boolean }) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  const model = await repository.findCandidate(db, set, await unitAndEverythingUnder(db, set.issuing_unit_id), modelId);
  if (!model) throw new NotFoundError();
  enforce(canScore(viewer, { onCommittee: await sitsOnCommittee(db, set.issuing_unit_id, viewer.user.id), modelUnitIds: await nominatingUnits(db, model.unit_id) }));
  enforce(windowOpen(set, todayInVietnam()));
  const { problems, given } = checkScores(criteria, input.scores);
  if (problems.length > 0) throw new ValidationError(problems);
  const { total, scores } = evaluationRows(criteria, given);
  return db.transaction().execute(async (trx) => {
    if (await repository.hasRecused(trx, id, modelId, viewer.user.id)) throw new ConflictError('recused', 'evaluation.recused');
    const before = await repository.lockEvaluation(trx, id, modelId, viewer.user.id);
    if (before?.status === 'submitted') throw new ConflictError('evaluation_submitted', 'evaluation.submitted');
    const saved = await repository.saveEvaluation(trx, { setId: id, modelId, evaluatorId: viewer.user.id, submit: input.submit === true, total: (total / 100).toFixed(2), scores });
    await recordAction(trx, viewer.actor, {
      action: input.submit ? 'evaluation.submit' : 'evaluation.draft', entityType: 'model', entityId: modelId,
      before: before ? { status: before.status, total: before.total } : null, after: { setId: id, status: saved.status, total: saved.total },
    });
    return { setId: id, modelId, status: saved.status, total: points(total) };
  });
}

type Criterion = Awaited<ReturnType<typeof repository.listCriteria>>[number];

/**
 * A member's scores against the set's criteria: each code known and given once, each score within
 * its maximum, every criterion scored. Problems name `scores.<i>.…` or `scores.<CODE>`.
 */
function checkScores(criteria: readonly Criterion[], scores: readonly ScoreInput[]) {
  const problems: FieldProblem[] = [];
  const byCode = new Map(criteria.map((criterion) => [criterion.code.toUpperCase(), criterion]));
  const given = new Map<number, { score: number; comment: string }>();
  scores.forEach((entry, index) => {
    const criterion = byCode.get(entry.code.toUpperCase());
    if (!criterion) return problems.push(unknownReference(`scores.${index}.code`, 'field.evaluation.code'));
    if (given.has(criterion.id)) return problems.push({ field: `scores.${index}.code`, reason: 'not_unique', key: 'evaluation.codeTwice', params: { code: entry.code } });
    if (hundredths(entry.score) > hundredths(criterion.max_score)) problems.push({ field: `scores.${index}.score`, reason: 'too_large', key: 'evaluation.overMax', params: { code: criterion.code, max: points(hundredths(criterion.max_score)) } });
    given.set(criterion.id, { score: entry.score, comment: entry.comment ?? '' });
  });
  const unknownCode = problems.some((problem) => problem.reason === 'unknown_reference');
  for (const criterion of criteria) {
    if (!given.has(criterion.id) && !unknownCode) problems.push({ field: `scores.${criterion.code}`, reason: 'required', key: 'evaluation.missing', params: { code: criterion.code } });
  }
  return { problems, given };
}

/** Checked scores as the rows to store, in the criteria's order, and their total in hundredths. */
function evaluationRows(criteria: readonly Criterion[], given: ReadonlyMap<number, { score: number; comment: string }>) {
  const scores = criteria.map((criterion) => ({ criterionId: criterion.id, score: given.get(criterion.id)!.score.toFixed(2), comment: given.get(criterion.id)!.comment }));
  return { scores, total: scores.reduce((sum, row) => sum + hundredths(row.score), 0) };
}

/** Whether a model's unit is the member's own (or merged into it): asked once per unit, however many models it has. */
function ownUnitOf(db: Database, viewer: Caller) {
  const known = new Map<number, Promise<boolean>>();
  return (unitId: number): Promise<boolean> => {
    let own = known.get(unitId);
    if (!own) {
      own = nominatingUnits(db, unitId).then((units) => units.includes(viewer.user.unitId));
      known.set(unitId, own);
    }
    return own;
  };
}

/** A member stands aside on a model (a conflict of interest), with the reason; a draft is dropped, a submitted score stays (409). */
export async function recuse(db: Database, viewer: Caller, id: number, modelId: number, reason: string) {
  const { set } = await getCriteriaSet(db, viewer, id);
  const model = await repository.findCandidate(db, set, await unitAndEverythingUnder(db, set.issuing_unit_id), modelId);
  if (!model) throw new NotFoundError();
  enforce(canScore(viewer, { onCommittee: await sitsOnCommittee(db, set.issuing_unit_id, viewer.user.id), modelUnitIds: [] }));
  return db.transaction().execute(async (trx) => {
    const evaluation = await repository.lockEvaluation(trx, id, modelId, viewer.user.id);
    if (evaluation?.status === 'submitted') throw new ConflictError('evaluation_submitted', 'evaluation.submitted');
    await repository.deleteDraft(trx, id, modelId, viewer.user.id);
    const row = await repository.insertRecusal(trx, { setId: id, modelId, evaluatorId: viewer.user.id, reason });
    if (!row) throw new ConflictError('recused', 'evaluation.recused');
    await recordAction(trx, viewer.actor, { action: 'evaluation.recuse', entityType: 'model', entityId: modelId, after: { setId: id, reason } });
    return { setId: id, modelId, reason, createdAt: row.created_at };
  });
}

/** The results: every model the set applies to, best first, from submitted evaluations only. */
export async function setResults(db: Database, viewer: Caller, id: number) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  const models = await candidatesOf(db, set);
  const totals = new Map<number, number[]>();
  for (const row of await repository.submittedTotals(db, id)) totals.set(row.model_id, [...(totals.get(row.model_id) ?? []), hundredths(row.total)]);
  const results = resultsOf(models.map((model) => ({ modelId: model.id, title: model.title, totals: totals.get(model.id) ?? [] })), hundredths(set.threshold), compareText);
  const byId = new Map(models.map((model) => [model.id, model]));
  return { set, criteria, scale: scaleOf(criteria), items: results.map((result) => ({ ...result, model: byId.get(result.modelId)! })) };
}

/**
 * Recognises, in one step, the completed models that meet the threshold (all, or those named): each
 * gets a progress report to "recognized" whose note is its result. Those already decided are left.
 */
export async function recogniseFromResults(db: Database, viewer: Caller, id: number, only?: readonly number[]) {
  const { set, items, scale } = await setResults(db, viewer, id);
  enforce(canManageSets(viewer, set.issuing_unit_id));
  const chosen = items.filter((item) => item.meetsThreshold && item.model.status === 'completed' && (!only || only.includes(item.modelId)));
  const today = todayInVietnam();
  return db.transaction().execute(async (trx) => {
    const recognised: { modelId: number; average: number; note: string }[] = [];
    for (const item of chosen) {
      const note = resultNote(set.title, item, scale);
      const report = await insertModelReport(trx, { model_id: item.modelId, from_status: 'completed', to_status: 'recognized', reported_on: today, note, created_by: viewer.user.id, people_reached: null, funds_vnd: null, workdays: null });
      await setModelStatus(trx, item.modelId, 'completed', 'recognized');
      await recordAction(trx, viewer.actor, { action: 'model.report', entityType: 'model', entityId: item.modelId, before: { status: 'completed' }, after: { ...report, criteriaSetId: id } });
      recognised.push({ modelId: item.modelId, average: points(item.average!), note });
    }
    return { recognised };
  });
}

/** "Đạt 86,5/100 điểm theo Bộ tiêu chí … (3 thành viên chấm; xếp thứ 1)": the reason kept with the recognition. */
function resultNote(title: string, result: ModelResult, scale: number): string {
  const number = (value: number) => points(value).toLocaleString('vi-VN', { maximumFractionDigits: 2 });
  return `Đạt ${number(result.average!)}/${number(scale)} điểm theo ${title} (${result.evaluators} thành viên chấm; xếp thứ ${result.rank}).`;
}

/** A row of the scoring sheet filled offline: the model's code and the score typed under each criterion's code. */
export interface SheetScores {
  line: number;
  modelCode: string;
  scores: Record<string, number | undefined>;
}

/** What the member's scoring sheet lists: the models the member may still score, with the draft's scores. */
export async function scoresheetFor(db: Database, viewer: Caller, id: number) {
  const work = await memberWork(db, viewer, id);
  const open = work.items.filter((item) => item.state === 'to_score' || item.state === 'draft');
  const rows = await Promise.all(open.map(async (item) => {
    const given = new Map((await repository.scoresOf(db, id, item.id, viewer.user.id)).map((row) => [row.criterion_id, points(hundredths(row.score))]));
    return { model: item, scores: work.criteria.map((criterion) => given.get(criterion.id) ?? null) };
  }));
  return { set: work.set, criteria: work.criteria, rows };
}

/**
 * Saves a scoring sheet filled offline, all rows or none: every bad cell is named by its line and
 * column (`rows.<line>.<code>`); a row left empty is skipped; each row is saved as a draft, or submitted.
 */
export async function importScoresheet(db: Database, viewer: Caller, id: number, sheet: readonly SheetScores[], submit: boolean, cellProblems: readonly FieldProblem[] = []) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  enforce(canScore(viewer, { onCommittee: await sitsOnCommittee(db, set.issuing_unit_id, viewer.user.id), modelUnitIds: [] }));
  enforce(windowOpen(set, todayInVietnam()));
  const models = new Map((await candidatesOf(db, set)).map((model) => [model.code.toUpperCase(), model]));
  const recused = new Set(await repository.recusedModelIds(db, id, viewer.user.id));
  const ownUnit = ownUnitOf(db, viewer);
  // Cells the sheet's reader could not take (text where a number goes) come first, with the rest.
  const problems: FieldProblem[] = [...cellProblems];
  const accepted: { modelId: number; given: Map<number, { score: number; comment: string }> }[] = [];
  for (const row of sheet) {
    const entries = criteria.filter((criterion) => row.scores[criterion.code] !== undefined).map((criterion) => ({ code: criterion.code, score: row.scores[criterion.code]! }));
    if (entries.length === 0) continue; // a model the member leaves for later
    const model = models.get(row.modelCode.trim().toUpperCase());
    const at = `rows.${row.line}`;
    if (!model) {
      problems.push(unknownReference(`${at}.modelCode`, 'field.evaluation.modelCode'));
      continue;
    }
    if (await ownUnit(model.unit_id)) problems.push({ field: `${at}.modelCode`, reason: 'not_allowed_value', key: 'evaluation.ownUnit' });
    if (recused.has(model.id)) problems.push({ field: `${at}.modelCode`, reason: 'not_allowed_value', key: 'evaluation.recused' });
    const checked = checkScores(criteria, entries);
    // `scores.<i>.score` and `scores.<CODE>` become the cell: `rows.<line>.<CODE>`.
    for (const problem of checked.problems) {
      const index = /^scores\.(\d+)\./.exec(problem.field)?.[1];
      const code = index === undefined ? problem.field.slice('scores.'.length) : entries[Number(index)]!.code;
      const field = `${at}.${code}`;
      if (!cellProblems.some((cell) => cell.field === field)) problems.push({ ...problem, field });
    }
    accepted.push({ modelId: model.id, given: checked.given });
  }
  if (problems.length > 0) throw new ValidationError(sheetOrder(problems, criteria));
  return db.transaction().execute(async (trx) => {
    const saved: { modelId: number; status: string; total: number }[] = [];
    for (const { modelId, given } of accepted) {
      const before = await repository.lockEvaluation(trx, id, modelId, viewer.user.id);
      if (before?.status === 'submitted') throw new ConflictError('evaluation_submitted', 'evaluation.submitted');
      const { total, scores } = evaluationRows(criteria, given);
      const row = await repository.saveEvaluation(trx, { setId: id, modelId, evaluatorId: viewer.user.id, submit, total: (total / 100).toFixed(2), scores });
      await recordAction(trx, viewer.actor, { action: submit ? 'evaluation.submit' : 'evaluation.draft', entityType: 'model', entityId: modelId, before: before ? { status: before.status, total: before.total } : null, after: { setId: id, status: row.status, total: row.total, from: 'scoresheet' } });
      saved.push({ modelId, status: row.status, total: points(total) });
    }
    return { saved };
  });
}

/** Problems as the clerk reads the sheet: by line, then left to right (the model's code, then the criteria). */
function sheetOrder(problems: readonly FieldProblem[], criteria: readonly Criterion[]): FieldProblem[] {
  const place = (field: string) => {
    const match = /^rows\.(\d+)\.(.+)$/.exec(field);
    if (!match) return [-1, -1];
    return [Number(match[1]), match[2] === 'modelCode' ? -1 : criteria.findIndex((criterion) => criterion.code === match[2])];
  };
  return [...problems].sort((a, b) => {
    const [lineA, columnA] = place(a.field);
    const [lineB, columnB] = place(b.field);
    return lineA! - lineB! || columnA! - columnB!;
  });
}
