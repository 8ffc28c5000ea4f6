// Evaluation by criteria ("Bộ tiêu chí và thang điểm"): a body's set of criteria for a year, the
// committee members' scores of what it scores — its year's models, or the units under the body (a
// commune's standard, each unit's self-assessment beside) — a draft until submitted, recusals, the
// results (average over evaluators, spread, threshold, rank) and recognising, in one step, the
// models that meet the threshold, with their result as the reason.
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Caller } from '../auth/caller.ts';
import { recordAction } from '../audit/audit.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { compareText } from '../awards/names.ts';
import { nominatingUnits, sitsOnCommittee } from '../awards/repository.ts';
import { ConflictError, NotFoundError, unknownReference, ValidationError, type FieldProblem } from '../errors.ts';
import { findModelFile, insertModelReport, listModelFiles, setModelStatus } from '../models/repository.ts';
import { enforce } from '../policy.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import { assessesOwnUnit, canManageSets, canReadWork, canScore, canSeeSet, windowOpen } from './policy.ts';
import * as repository from './repository.ts';
import { hundredths, points, resultsOf, scaleOf, type ModelResult } from './results.ts';
import { subjectOf, type Candidate } from './repository.ts';
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
      subject: input.subject ?? 'models', unit_kinds: [...new Set(input.unitKinds ?? [])], opens_on: input.opensOn ?? null, closes_on: input.closesOn ?? null, created_by: viewer.user.id,
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
      field_codes: set.field_codes, model_kinds: set.model_kinds, subject: set.subject, unit_kinds: set.unit_kinds, copied_from_id: set.id, created_by: viewer.user.id,
    });
    await repository.insertCriteria(trx, copy.id, criteria.map((criterion) => ({ code: criterion.code, name: criterion.name, maxScore: criterion.max_score, group: criterion.group_name })));
    await recordAction(trx, viewer.actor, { action: 'criteria_set.copy', entityType: 'criteria_set', entityId: copy.id, after: { copiedFrom: set.id, year: target.year } });
    return copy.id;
  });
  return getCriteriaSet(db, viewer, copyId);
}

/** A set the viewer may see (its body's secretariat or committee, or a unit it scores), with its criteria; 404 otherwise. */
export async function getCriteriaSet(db: Database, viewer: Caller, id: number) {
  const set = await repository.findSet(db, id);
  if (!set || !canSeeSet(viewer, set)) throw new NotFoundError();
  return { set, criteria: await repository.listCriteria(db, id) };
}

/** A set whose work (every subject, the scores, the results) the viewer reads: its secretariat and committee only. */
async function committeeSet(db: Database, viewer: Caller, id: number) {
  const found = await getCriteriaSet(db, viewer, id);
  if (!canReadWork(viewer, found.set.issuing_unit_id)) throw new NotFoundError();
  return found;
}

export async function listCriteriaSets(db: Database, viewer: Caller) {
  const all = await repository.listSets(db, viewer.scope.all ? null : [...viewer.scope.unitIds, ...viewer.committeeBodyIds, ...viewer.servedUnitIds]);
  return all.filter((set) => canSeeSet(viewer, set));
}

/** What a set scores: its year's completed (or decided) models of its body's units, or the units in force under its body. */
async function candidatesOf(db: Database, set: repository.CriteriaSet) {
  return repository.listCandidates(db, set, await unitAndEverythingUnder(db, set.issuing_unit_id));
}

/** A model or a unit as a route names it (`models/12`, `units/7`). */
export interface SubjectRef {
  of: 'models' | 'units';
  id: number;
}

/** The subject a route names, if the set scores that kind and that one; 404 otherwise. */
async function subjectOfSet(db: Database, set: repository.CriteriaSet, ref: SubjectRef): Promise<Candidate> {
  const found = set.subject === ref.of ? await repository.findCandidate(db, set, await unitAndEverythingUnder(db, set.issuing_unit_id), ref.id) : undefined;
  if (!found) throw new NotFoundError();
  return found;
}

/** What a member sees of a set: each subject with the member's own status on it (to score, draft, submitted, stood aside, own unit). */
export async function memberWork(db: Database, viewer: Caller, id: number) {
  const { set, criteria } = await committeeSet(db, viewer, id);
  const models = await candidatesOf(db, set);
  const mine = new Map((await repository.listEvaluationsOf(db, id, viewer.user.id)).map((row) => [row.subject_id, row]));
  const recused = new Set(await repository.recusedSubjectIds(db, id, viewer.user.id));
  const ownUnit = ownUnitOf(db, viewer);
  const items = await Promise.all(models.map(async (model) => {
    const own = await ownUnit(model.unit_id);
    const evaluation = mine.get(model.id);
    const state = own ? 'own_unit' : recused.has(model.id) ? 'recused' : evaluation ? evaluation.status : 'to_score';
    return { ...model, state, total: evaluation ? points(hundredths(evaluation.total)) : null };
  }));
  return { set, criteria, items: items.sort((a, b) => compareText(a.title, b.title)) };
}

/**
 * The form of one member's scores of one subject: the criteria, what the member gave, and beside it
 * what the unit says of itself (a model's reports, a unit's self-assessment by criterion).
 */
export async function scoringForm(db: Database, viewer: Caller, id: number, ref: SubjectRef) {
  const { set, criteria } = await committeeSet(db, viewer, id);
  const subject = await subjectOfSet(db, set, ref);
  const at = subjectOf(set, subject.id);
  const [given, reports, files, selfAssessment, recused] = await Promise.all([
    repository.scoresOf(db, id, at, { evaluatorId: viewer.user.id }),
    set.subject === 'models' ? repository.reportsOf(db, subject.id) : [],
    set.subject === 'models' ? listModelFiles(db, subject.id) : [],
    set.subject === 'units' ? repository.scoresOf(db, id, at, { selfAssessment: true }) : [],
    repository.hasRecused(db, id, at, viewer.user.id),
  ]);
  return { set, criteria, subject, given, reports, files, selfAssessment, recused };
}

/** A model's evidence file, to whoever reads the set's work (its committee may not otherwise see the model's unit). */
export async function evidenceFile(db: Database, viewer: Caller, id: number, modelId: number, fileId: number) {
  const { set } = await committeeSet(db, viewer, id);
  await subjectOfSet(db, set, { of: 'models', id: modelId });
  const file = await findModelFile(db, modelId, fileId);
  if (!file) throw new NotFoundError();
  return file;
}

/**
 * A member's scores of a subject: every criterion once, each within 0 and its maximum (all bad ones
 * named at once), saved as a draft or submitted; a submitted evaluation is final (409).
 */
export async function score(db: Database, viewer: Caller, id: number, ref: SubjectRef, input: { scores: ScoreInput[]; submit?: boolean }) {
  const { set, criteria } = await committeeSet(db, viewer, id);
  const subject = await subjectOfSet(db, set, ref);
  enforce(canScore(viewer, { onCommittee: await sitsOnCommittee(db, set.issuing_unit_id, viewer.user.id), modelUnitIds: await nominatingUnits(db, subject.unit_id) }));
  enforce(windowOpen(set, todayInVietnam()));
  const { problems, given } = checkScores(criteria, input.scores);
  if (problems.length > 0) throw new ValidationError(problems);
  const at = subjectOf(set, subject.id);
  return db.transaction().execute(async (trx) => {
    if (await repository.hasRecused(trx, id, at, viewer.user.id)) throw new ConflictError('recused', 'evaluation.recused');
    return saveScores(trx, viewer, set, { subject: at, criteria, given, submit: input.submit === true });
  });
}

/**
 * A unit's own assessment against a set that scores units (a commune's self-assessment): written by
 * its staff, by the same rules as a member's, kept beside the committee's scores, never in the result.
 */
export async function assessOwnUnit(db: Database, viewer: Caller, id: number, input: { scores: ScoreInput[]; submit?: boolean }) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  const unit = await subjectOfSet(db, set, { of: 'units', id: viewer.user.unitId });
  enforce(assessesOwnUnit(viewer, set));
  enforce(windowOpen(set, todayInVietnam()));
  const { problems, given } = checkScores(criteria, input.scores);
  if (problems.length > 0) throw new ValidationError(problems);
  return db.transaction().execute((trx) => saveScores(trx, viewer, set, { subject: subjectOf(set, unit.id), criteria, given, submit: input.submit === true, selfAssessment: true }));
}

/** The self-assessment form of the viewer's own unit: the criteria and what the unit gave so far. */
export async function selfAssessmentForm(db: Database, viewer: Caller, id: number) {
  const { set, criteria } = await getCriteriaSet(db, viewer, id);
  const unit = await subjectOfSet(db, set, { of: 'units', id: viewer.user.unitId });
  enforce(assessesOwnUnit(viewer, set));
  return { set, criteria, subject: unit, given: await repository.scoresOf(db, id, subjectOf(set, unit.id), { selfAssessment: true }) };
}

/** Writes checked scores (a member's, or the unit's own) in the caller's transaction, audited on the subject; a submitted one is final. */
async function saveScores(trx: Transaction<DB>, viewer: Caller, set: repository.CriteriaSet, scoring: { subject: repository.Subject; criteria: readonly Criterion[]; given: ReadonlyMap<number, { score: number; comment: string }>; submit: boolean; selfAssessment?: boolean; from?: string }) {
  const { subject, submit } = scoring;
  const self = scoring.selfAssessment === true;
  const before = await repository.lockEvaluation(trx, set.id, subject, self ? { selfAssessment: true } : { evaluatorId: viewer.user.id });
  if (before?.status === 'submitted') throw new ConflictError('evaluation_submitted', 'evaluation.submitted');
  const { total, scores } = evaluationRows(scoring.criteria, scoring.given);
  const saved = await repository.saveEvaluation(trx, { setId: set.id, subject, evaluatorId: viewer.user.id, selfAssessment: self, submit, total: (total / 100).toFixed(2), scores });
  await recordAction(trx, viewer.actor, {
    action: self ? (submit ? 'evaluation.self_submit' : 'evaluation.self_draft') : submit ? 'evaluation.submit' : 'evaluation.draft',
    entityType: subject.column === 'unit_id' ? 'unit' : 'model', entityId: subject.id,
    before: before ? { status: before.status, total: before.total } : null, after: { setId: set.id, status: saved.status, total: saved.total, ...(scoring.from ? { from: scoring.from } : {}) },
  });
  return { setId: set.id, ...(subject.column === 'unit_id' ? { unitId: subject.id } : { modelId: subject.id }), status: saved.status, total: points(total) };
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

/** A member stands aside on a subject (a conflict of interest), with the reason; a draft is dropped, a submitted score stays (409). */
export async function recuse(db: Database, viewer: Caller, id: number, ref: SubjectRef, reason: string) {
  const { set } = await committeeSet(db, viewer, id);
  const at = subjectOf(set, (await subjectOfSet(db, set, ref)).id);
  enforce(canScore(viewer, { onCommittee: await sitsOnCommittee(db, set.issuing_unit_id, viewer.user.id), modelUnitIds: [] }));
  return db.transaction().execute(async (trx) => {
    const evaluation = await repository.lockEvaluation(trx, id, at, { evaluatorId: viewer.user.id });
    if (evaluation?.status === 'submitted') throw new ConflictError('evaluation_submitted', 'evaluation.submitted');
    await repository.deleteDraft(trx, id, at, viewer.user.id);
    const row = await repository.insertRecusal(trx, { setId: id, subject: at, evaluatorId: viewer.user.id, reason });
    if (!row) throw new ConflictError('recused', 'evaluation.recused');
    await recordAction(trx, viewer.actor, { action: 'evaluation.recuse', entityType: at.column === 'unit_id' ? 'unit' : 'model', entityId: at.id, after: { setId: id, reason } });
    return { setId: id, [at.column === 'unit_id' ? 'unitId' : 'modelId']: at.id, reason, createdAt: row.created_at };
  });
}

/**
 * The results: every subject the set scores, best first, from the members' submitted evaluations
 * only; a unit's self-assessment (in hundredths, null when none is submitted) stands beside its result.
 */
export async function setResults(db: Database, viewer: Caller, id: number) {
  const { set, criteria } = await committeeSet(db, viewer, id);
  const subjects = await candidatesOf(db, set);
  const totals = new Map<number, number[]>();
  for (const row of await repository.submittedTotals(db, id)) totals.set(row.subject_id, [...(totals.get(row.subject_id) ?? []), hundredths(row.total)]);
  const selfTotals = new Map((set.subject === 'units' ? await repository.selfAssessments(db, id) : []).filter((row) => row.status === 'submitted').map((row) => [row.unit_id!, hundredths(row.total)]));
  const results = resultsOf(subjects.map((subject) => ({ modelId: subject.id, title: subject.title, totals: totals.get(subject.id) ?? [] })), hundredths(set.threshold), compareText);
  const byId = new Map(subjects.map((subject) => [subject.id, subject]));
  return { set, criteria, scale: scaleOf(criteria), items: results.map((result) => ({ ...result, model: byId.get(result.modelId)!, selfAssessment: selfTotals.get(result.modelId) ?? null })) };
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
    const given = new Map((await repository.scoresOf(db, id, subjectOf(work.set, item.id), { evaluatorId: viewer.user.id })).map((row) => [row.criterion_id, points(hundredths(row.score))]));
    return { model: item, scores: work.criteria.map((criterion) => given.get(criterion.id) ?? null) };
  }));
  return { set: work.set, criteria: work.criteria, rows };
}

/**
 * Saves a scoring sheet filled offline, all rows or none: every bad cell is named by its line and
 * column (`rows.<line>.<code>`); a row left empty is skipped; each row is saved as a draft, or submitted.
 */
export async function importScoresheet(db: Database, viewer: Caller, id: number, sheet: readonly SheetScores[], submit: boolean, cellProblems: readonly FieldProblem[] = []) {
  const { set, criteria } = await committeeSet(db, viewer, id);
  enforce(canScore(viewer, { onCommittee: await sitsOnCommittee(db, set.issuing_unit_id, viewer.user.id), modelUnitIds: [] }));
  enforce(windowOpen(set, todayInVietnam()));
  const models = new Map((await candidatesOf(db, set)).map((model) => [model.code.toUpperCase(), model]));
  const recused = new Set(await repository.recusedSubjectIds(db, id, viewer.user.id));
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
    const saved = [];
    for (const { modelId, given } of accepted) {
      const { setId: _, ...row } = await saveScores(trx, viewer, set, { subject: subjectOf(set, modelId), criteria, given, submit, from: 'scoresheet' });
      saved.push(row);
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
