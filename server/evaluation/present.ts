// A criteria set and its results as the JSON API answers them: points as numbers with at most two decimals.
import type { CriteriaSet } from './repository.ts';
import { hundredths, points, scaleOf } from './results.ts';

type Criterion = { code: string; name: string; max_score: string; group_name: string };

export function setJson(set: CriteriaSet, criteria: readonly Criterion[]) {
  return {
    id: set.id, title: set.title, year: set.year, issuingUnitId: set.issuing_unit_id, issuingUnitName: set.body_name,
    threshold: points(hundredths(set.threshold)), scale: points(scaleOf(criteria)),
    criteria: criteria.map((criterion) => ({ code: criterion.code, name: criterion.name, maxScore: points(hundredths(criterion.max_score)), group: criterion.group_name || null })),
    subject: set.subject, fieldCodes: set.field_codes, kinds: set.model_kinds, unitKinds: set.unit_kinds, opensOn: set.opens_on, closesOn: set.closes_on, copiedFromId: set.copied_from_id,
  };
}

type Result = { modelId: number; title: string; evaluators: number; average: number | null; spread: number | null; meetsThreshold: boolean; rank: number | null; selfAssessment: number | null; model: { code: string; unit_name: string; status: string | null } };

/** A model's result (its unit, its status), or a unit's (the unit above it, its self-assessment beside). */
export function resultJson(subject: CriteriaSet['subject'], item: Result) {
  const scored = { evaluators: item.evaluators, average: item.average === null ? null : points(item.average), spread: item.spread === null ? null : points(item.spread), meetsThreshold: item.meetsThreshold, rank: item.rank };
  if (subject === 'units') return { unitId: item.modelId, title: item.title, code: item.model.code, parentName: item.model.unit_name, ...scored, selfAssessment: item.selfAssessment === null ? null : points(item.selfAssessment) };
  return { modelId: item.modelId, title: item.title, code: item.model.code, unitName: item.model.unit_name, status: item.model.status, ...scored };
}

/** A unit's self-assessment as the API answers it: the unit, the status, the total and each criterion's score and comment. */
export function selfAssessmentJson(form: { set: CriteriaSet; criteria: readonly { id: number; code: string }[]; subject: { id: number; title: string }; given: readonly { criterion_id: number; score: string; comment: string; status: string; total: string }[] }) {
  const byCriterion = new Map(form.given.map((row) => [row.criterion_id, row]));
  return {
    setId: form.set.id, unitId: form.subject.id, unitName: form.subject.title, status: form.given[0]?.status ?? null, total: form.given[0] ? points(hundredths(form.given[0].total)) : null,
    scores: form.criteria.filter((criterion) => byCriterion.has(criterion.id)).map((criterion) => ({ code: criterion.code, score: points(hundredths(byCriterion.get(criterion.id)!.score)), comment: byCriterion.get(criterion.id)!.comment })),
  };
}
