// All SQL of evaluation by criteria: the sets and their criteria, the models a set applies to, the
// members' evaluations with their scores, and recusals. Every function takes the database, or the
// transaction, first.
import { sql, type Insertable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { CriteriaSetsTable } from '../db/schema.ts';
import { anyOf } from '../awards/repository.ts';

const anyText = (values: readonly string[]) => sql<string>`ANY(${sql.val(values)}::text[])`;

// ------------------------------------------------------------------ sets

export async function insertSet(trx: Database, row: Insertable<CriteriaSetsTable>) {
  return trx.insertInto('criteria_sets').values(row).returning(['id']).executeTakeFirstOrThrow();
}

export async function insertCriteria(trx: Database, setId: number, criteria: readonly { code: string; name: string; maxScore: number | string; group?: string }[]): Promise<void> {
  if (criteria.length === 0) return;
  await trx
    .insertInto('criteria')
    .values(criteria.map((criterion, index) => ({ set_id: setId, position: index + 1, code: criterion.code, name: criterion.name, max_score: String(criterion.maxScore), group_name: criterion.group ?? '' })))
    .execute();
}

/** A set with its body's name; undefined for an unknown id. */
export async function findSet(db: Database, id: number) {
  return db
    .selectFrom('criteria_sets')
    .innerJoin('units as body', 'body.id', 'criteria_sets.issuing_unit_id')
    .select([
      'criteria_sets.id', 'criteria_sets.issuing_unit_id', 'criteria_sets.year', 'criteria_sets.title', 'criteria_sets.threshold', 'criteria_sets.field_codes', 'criteria_sets.model_kinds',
      'criteria_sets.opens_on', 'criteria_sets.closes_on', 'criteria_sets.copied_from_id', 'criteria_sets.created_at', 'criteria_sets.subject', 'criteria_sets.unit_kinds', 'body.name as body_name', 'body.kind as body_kind',
    ])
    .where('criteria_sets.id', '=', id)
    .executeTakeFirst();
}

export type CriteriaSet = NonNullable<Awaited<ReturnType<typeof findSet>>>;

export async function listCriteria(db: Database, setId: number) {
  return db.selectFrom('criteria').select(['id', 'code', 'name', 'max_score', 'group_name', 'position']).where('set_id', '=', setId).orderBy('position').execute();
}

/** The sets of the given bodies (all when null), newest year first. */
export async function listSets(db: Database, bodyIds: readonly number[] | null) {
  let query = db
    .selectFrom('criteria_sets')
    .innerJoin('units as body', 'body.id', 'criteria_sets.issuing_unit_id')
    .select(['criteria_sets.id', 'criteria_sets.title', 'criteria_sets.year', 'criteria_sets.threshold', 'criteria_sets.issuing_unit_id', 'criteria_sets.subject', 'body.name as body_name', 'body.kind as body_kind'])
    .orderBy('criteria_sets.year', 'desc')
    .orderBy('criteria_sets.id', 'desc');
  if (bodyIds !== null) query = query.where('criteria_sets.issuing_unit_id', '=', anyOf(bodyIds));
  return query.limit(200).execute();
}

export async function knownFieldCodes(db: Database, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  return (await db.selectFrom('fields').select('code').where('code', '=', anyText(codes)).execute()).map((row) => row.code);
}

// ------------------------------------------------------------------ what a set scores

/** A model or a unit a set scores, by the column that holds it in evaluations and recusals. */
export interface Subject {
  column: 'model_id' | 'unit_id';
  id: number;
}

export const subjectOf = (set: { subject: 'models' | 'units' }, id: number): Subject => ({ column: set.subject === 'units' ? 'unit_id' : 'model_id', id });

/** Completed (and already decided) models of the set's year, of the body's units (of its kinds of unit), in its fields and kinds. */
function candidateModels(db: Database, set: CriteriaSet, unitIds: readonly number[]) {
  let query = db
    .selectFrom('models')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .innerJoin('fields', 'fields.code', 'models.field_code')
    .select(['models.id', 'models.code', 'models.title', 'models.status', 'models.unit_id', 'models.summary', 'units.name as unit_name', 'fields.name as field_name'])
    .where('models.year', '=', set.year)
    .where('models.unit_id', '=', anyOf(unitIds))
    .where('models.status', 'in', ['completed', 'recognized', 'not_recognized']);
  if (set.field_codes.length > 0) query = query.where('models.field_code', '=', anyText(set.field_codes));
  if (set.model_kinds.length > 0) query = query.where('models.kind', '=', anyText(set.model_kinds) as never);
  // The kinds of unit whose models it scores (only the communes' models, say); empty: every unit's.
  if (set.unit_kinds.length > 0) query = query.where('units.kind', '=', anyText(set.unit_kinds) as never);
  return query;
}

/** The units in force under the body (not the body itself), of the set's kinds: each scored as itself. */
function candidateUnits(db: Database, set: CriteriaSet, unitIds: readonly number[]) {
  let query = db
    .selectFrom('units')
    .innerJoin('units as parent', 'parent.id', 'units.parent_id')
    .select([
      'units.id', 'units.code', 'units.name as title', sql<null>`NULL::text`.as('status'), 'units.id as unit_id', sql<null>`NULL::text`.as('summary'),
      'parent.name as unit_name', sql<null>`NULL::text`.as('field_name'),
    ])
    .where('units.id', '=', anyOf(unitIds))
    .where('units.id', '<>', set.issuing_unit_id)
    .where('units.valid_to', 'is', null);
  if (set.unit_kinds.length > 0) query = query.where('units.kind', '=', anyText(set.unit_kinds) as never);
  return query;
}

/** What a set scores, one shape for models and units (a unit is its own unit; it has no status). */
export type Candidate = { id: number; code: string; title: string; status: 'completed' | 'recognized' | 'not_recognized' | null; unit_id: number; summary: string | null; unit_name: string; field_name: string | null };

export async function listCandidates(db: Database, set: CriteriaSet, unitIds: readonly number[]): Promise<Candidate[]> {
  if (set.subject === 'units') return candidateUnits(db, set, unitIds).orderBy('units.id').limit(5000).execute();
  return (await candidateModels(db, set, unitIds).orderBy('models.id').limit(2000).execute()) as Candidate[];
}

export async function findCandidate(db: Database, set: CriteriaSet, unitIds: readonly number[], id: number): Promise<Candidate | undefined> {
  if (set.subject === 'units') return candidateUnits(db, set, unitIds).where('units.id', '=', id).executeTakeFirst();
  return (await candidateModels(db, set, unitIds).where('models.id', '=', id).executeTakeFirst()) as Candidate | undefined;
}

/** The model's latest report notes: the unit's account of its work beside the form. */
export async function reportsOf(db: Database, modelId: number) {
  return db.selectFrom('model_reports').select(['to_status', 'reported_on', 'note']).where('model_id', '=', modelId).orderBy('id', 'desc').limit(5).execute();
}

// ------------------------------------------------------------------ evaluations

/** A member's evaluation of a subject, or a unit's self-assessment (whoever of its staff wrote it). */
export type Author = { evaluatorId: number } | { selfAssessment: true };

export async function lockEvaluation(trx: Database, setId: number, subject: Subject, author: Author) {
  const query = trx.selectFrom('evaluations').select(['id', 'status', 'total']).where('set_id', '=', setId).where(subject.column, '=', subject.id);
  const mine = 'evaluatorId' in author ? query.where('evaluator_id', '=', author.evaluatorId).where('self_assessment', '=', false) : query.where('self_assessment', '=', true);
  return mine.forUpdate().executeTakeFirst();
}

/** Writes scores of a subject (a new evaluation or the draft again) and their total. */
export async function saveEvaluation(trx: Database, evaluation: { setId: number; subject: Subject; evaluatorId: number; selfAssessment?: boolean; submit: boolean; total: string; scores: readonly { criterionId: number; score: string; comment: string }[] }) {
  const now = new Date();
  const status = evaluation.submit ? 'submitted' : 'draft';
  const submittedAt = evaluation.submit ? now : null;
  const self = evaluation.selfAssessment === true;
  const row = await trx
    .insertInto('evaluations')
    .values({ set_id: evaluation.setId, [evaluation.subject.column]: evaluation.subject.id, evaluator_id: evaluation.evaluatorId, self_assessment: self, status, total: evaluation.total, submitted_at: submittedAt })
    .onConflict((oc) => {
      // A unit has one self-assessment, whoever writes it; a member one evaluation of each subject.
      const target = self ? oc.columns(['set_id', 'unit_id']).where('self_assessment', '=', true) : oc.columns(['set_id', evaluation.subject.column, 'evaluator_id']);
      return target.doUpdateSet({ status, total: evaluation.total, evaluator_id: evaluation.evaluatorId, updated_at: now, submitted_at: submittedAt });
    })
    .returning(['id', 'status', 'total', 'submitted_at'])
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('evaluation_scores').where('evaluation_id', '=', row.id).execute();
  await trx.insertInto('evaluation_scores').values(evaluation.scores.map((score) => ({ evaluation_id: row.id, criterion_id: score.criterionId, score: score.score, comment: score.comment }))).execute();
  return row;
}

/** One member's evaluations of a set: status and total per subject. */
export async function listEvaluationsOf(db: Database, setId: number, evaluatorId: number) {
  return db
    .selectFrom('evaluations')
    .select([sql<number>`coalesce(model_id, unit_id)`.as('subject_id'), 'status', 'total'])
    .where('set_id', '=', setId)
    .where('evaluator_id', '=', evaluatorId)
    .where('self_assessment', '=', false)
    .execute();
}

/** The scores of a subject by one member, or the unit's self-assessment, by criterion. */
export async function scoresOf(db: Database, setId: number, subject: Subject, author: Author) {
  const query = db
    .selectFrom('evaluation_scores')
    .innerJoin('evaluations', 'evaluations.id', 'evaluation_scores.evaluation_id')
    .select(['evaluation_scores.criterion_id', 'evaluation_scores.score', 'evaluation_scores.comment', 'evaluations.status', 'evaluations.total'])
    .where('evaluations.set_id', '=', setId)
    .where(`evaluations.${subject.column}`, '=', subject.id);
  const mine = 'evaluatorId' in author ? query.where('evaluations.evaluator_id', '=', author.evaluatorId).where('evaluations.self_assessment', '=', false) : query.where('evaluations.self_assessment', '=', true);
  return mine.execute();
}

/** Every submitted member's total of a set, by subject: what the results are computed from. */
export async function submittedTotals(db: Database, setId: number) {
  return db
    .selectFrom('evaluations')
    .select([sql<number>`coalesce(model_id, unit_id)`.as('subject_id'), 'total'])
    .where('set_id', '=', setId)
    .where('status', '=', 'submitted')
    .where('self_assessment', '=', false)
    .execute();
}

/** The units' self-assessments of a set (drafts too, marked): shown beside the committee's result. */
export async function selfAssessments(db: Database, setId: number) {
  return db.selectFrom('evaluations').select(['unit_id', 'total', 'status']).where('set_id', '=', setId).where('self_assessment', '=', true).execute();
}

// ------------------------------------------------------------------ recusals

export async function insertRecusal(trx: Database, recusal: { setId: number; subject: Subject; evaluatorId: number; reason: string }) {
  return trx
    .insertInto('evaluation_recusals')
    .values({ set_id: recusal.setId, [recusal.subject.column]: recusal.subject.id, evaluator_id: recusal.evaluatorId, reason: recusal.reason })
    .onConflict((oc) => oc.columns(['set_id', recusal.subject.column, 'evaluator_id']).doNothing())
    .returning(['created_at'])
    .executeTakeFirst();
}

export async function hasRecused(db: Database, setId: number, subject: Subject, evaluatorId: number): Promise<boolean> {
  return (await db.selectFrom('evaluation_recusals').select('set_id').where('set_id', '=', setId).where(subject.column, '=', subject.id).where('evaluator_id', '=', evaluatorId).executeTakeFirst()) !== undefined;
}

export async function recusedSubjectIds(db: Database, setId: number, evaluatorId: number): Promise<number[]> {
  return (await db.selectFrom('evaluation_recusals').select(sql<number>`coalesce(model_id, unit_id)`.as('id')).where('set_id', '=', setId).where('evaluator_id', '=', evaluatorId).execute()).map((row) => row.id);
}

/** Drops a member's draft on a subject once the member stands aside on it. */
export async function deleteDraft(trx: Database, setId: number, subject: Subject, evaluatorId: number): Promise<void> {
  await trx.deleteFrom('evaluations').where('set_id', '=', setId).where(subject.column, '=', subject.id).where('evaluator_id', '=', evaluatorId).where('self_assessment', '=', false).where('status', '=', 'draft').execute();
}
