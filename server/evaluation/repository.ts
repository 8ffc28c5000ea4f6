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
      'criteria_sets.opens_on', 'criteria_sets.closes_on', 'criteria_sets.copied_from_id', 'criteria_sets.created_at', 'body.name as body_name', 'body.kind as body_kind',
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
    .select(['criteria_sets.id', 'criteria_sets.title', 'criteria_sets.year', 'criteria_sets.threshold', 'criteria_sets.issuing_unit_id', 'body.name as body_name', 'body.kind as body_kind'])
    .orderBy('criteria_sets.year', 'desc')
    .orderBy('criteria_sets.id', 'desc');
  if (bodyIds !== null) query = query.where('criteria_sets.issuing_unit_id', '=', anyOf(bodyIds));
  return query.limit(200).execute();
}

export async function knownFieldCodes(db: Database, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  return (await db.selectFrom('fields').select('code').where('code', '=', anyText(codes)).execute()).map((row) => row.code);
}

// ------------------------------------------------------------------ the models a set applies to

/** Completed (and already decided) models of the set's year, of the body's units, in its fields and kinds. */
function candidates(db: Database, set: CriteriaSet, unitIds: readonly number[]) {
  let query = db
    .selectFrom('models')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .innerJoin('fields', 'fields.code', 'models.field_code')
    .select(['models.id', 'models.code', 'models.title', 'models.status', 'models.unit_id', 'models.kind', 'models.block_code', 'models.summary', 'units.name as unit_name', 'fields.name as field_name'])
    .where('models.year', '=', set.year)
    .where('models.unit_id', '=', anyOf(unitIds))
    .where('models.status', 'in', ['completed', 'recognized', 'not_recognized']);
  if (set.field_codes.length > 0) query = query.where('models.field_code', '=', anyText(set.field_codes));
  if (set.model_kinds.length > 0) query = query.where('models.kind', '=', anyText(set.model_kinds) as never);
  return query;
}

export async function listCandidates(db: Database, set: CriteriaSet, unitIds: readonly number[]) {
  return candidates(db, set, unitIds).orderBy('models.id').limit(2000).execute();
}

export async function findCandidate(db: Database, set: CriteriaSet, unitIds: readonly number[], modelId: number) {
  return candidates(db, set, unitIds).where('models.id', '=', modelId).executeTakeFirst();
}

/** The model's latest report note and files: the unit's self-assessment and evidence beside the form. */
export async function evidenceOf(db: Database, modelId: number) {
  const reports = await db.selectFrom('model_reports').select(['to_status', 'reported_on', 'note']).where('model_id', '=', modelId).orderBy('id', 'desc').limit(5).execute();
  return { reports };
}

// ------------------------------------------------------------------ evaluations

export async function lockEvaluation(trx: Database, setId: number, modelId: number, evaluatorId: number) {
  return trx.selectFrom('evaluations').select(['id', 'status', 'total']).where('set_id', '=', setId).where('model_id', '=', modelId).where('evaluator_id', '=', evaluatorId).forUpdate().executeTakeFirst();
}

/** Writes a member's scores of a model (a new evaluation or the draft again) and its total. */
export async function saveEvaluation(trx: Database, evaluation: { setId: number; modelId: number; evaluatorId: number; submit: boolean; total: string; scores: readonly { criterionId: number; score: string; comment: string }[] }) {
  const now = new Date();
  const row = await trx
    .insertInto('evaluations')
    .values({ set_id: evaluation.setId, model_id: evaluation.modelId, evaluator_id: evaluation.evaluatorId, status: evaluation.submit ? 'submitted' : 'draft', total: evaluation.total, submitted_at: evaluation.submit ? now : null })
    .onConflict((oc) => oc.columns(['set_id', 'model_id', 'evaluator_id']).doUpdateSet({ status: evaluation.submit ? 'submitted' : 'draft', total: evaluation.total, updated_at: now, submitted_at: evaluation.submit ? now : null }))
    .returning(['id', 'status', 'total', 'submitted_at'])
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('evaluation_scores').where('evaluation_id', '=', row.id).execute();
  await trx.insertInto('evaluation_scores').values(evaluation.scores.map((score) => ({ evaluation_id: row.id, criterion_id: score.criterionId, score: score.score, comment: score.comment }))).execute();
  return row;
}

/** One member's evaluations of a set: status and total per model. */
export async function listEvaluationsOf(db: Database, setId: number, evaluatorId: number) {
  return db.selectFrom('evaluations').select(['model_id', 'status', 'total']).where('set_id', '=', setId).where('evaluator_id', '=', evaluatorId).execute();
}

/** A member's scores of a model, by criterion. */
export async function scoresOf(db: Database, setId: number, modelId: number, evaluatorId: number) {
  return db
    .selectFrom('evaluation_scores')
    .innerJoin('evaluations', 'evaluations.id', 'evaluation_scores.evaluation_id')
    .select(['evaluation_scores.criterion_id', 'evaluation_scores.score', 'evaluation_scores.comment', 'evaluations.status'])
    .where('evaluations.set_id', '=', setId)
    .where('evaluations.model_id', '=', modelId)
    .where('evaluations.evaluator_id', '=', evaluatorId)
    .execute();
}

/** Every submitted total of a set, by model: what the results are computed from. */
export async function submittedTotals(db: Database, setId: number) {
  return db.selectFrom('evaluations').select(['model_id', 'total']).where('set_id', '=', setId).where('status', '=', 'submitted').execute();
}

/** The average score per criterion over submitted evaluations, for the results' columns. */
export async function criterionAverages(db: Database, setId: number) {
  return db
    .selectFrom('evaluation_scores')
    .innerJoin('evaluations', 'evaluations.id', 'evaluation_scores.evaluation_id')
    .select(['evaluations.model_id', 'evaluation_scores.criterion_id', sql<string>`avg(evaluation_scores.score)`.as('average')])
    .where('evaluations.set_id', '=', setId)
    .where('evaluations.status', '=', 'submitted')
    .groupBy(['evaluations.model_id', 'evaluation_scores.criterion_id'])
    .execute();
}

// ------------------------------------------------------------------ recusals

export async function insertRecusal(trx: Database, recusal: { setId: number; modelId: number; evaluatorId: number; reason: string }) {
  return trx
    .insertInto('evaluation_recusals')
    .values({ set_id: recusal.setId, model_id: recusal.modelId, evaluator_id: recusal.evaluatorId, reason: recusal.reason })
    .onConflict((oc) => oc.columns(['set_id', 'model_id', 'evaluator_id']).doNothing())
    .returning(['created_at'])
    .executeTakeFirst();
}

export async function hasRecused(db: Database, setId: number, modelId: number, evaluatorId: number): Promise<boolean> {
  return (await db.selectFrom('evaluation_recusals').select('model_id').where('set_id', '=', setId).where('model_id', '=', modelId).where('evaluator_id', '=', evaluatorId).executeTakeFirst()) !== undefined;
}

export async function recusedModelIds(db: Database, setId: number, evaluatorId: number): Promise<number[]> {
  return (await db.selectFrom('evaluation_recusals').select('model_id').where('set_id', '=', setId).where('evaluator_id', '=', evaluatorId).execute()).map((row) => row.model_id);
}

/** Drops a member's draft on a model once the member stands aside on it. */
export async function deleteDraft(trx: Database, setId: number, modelId: number, evaluatorId: number): Promise<void> {
  await trx.deleteFrom('evaluations').where('set_id', '=', setId).where('model_id', '=', modelId).where('evaluator_id', '=', evaluatorId).where('status', '=', 'draft').execute();
}
