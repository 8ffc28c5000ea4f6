// A criteria set and its results as the JSON API answers them: points as numbers with at most two decimals.
import type { CriteriaSet } from './repository.ts';
import { hundredths, points, scaleOf } from './results.ts';

type Criterion = { code: string; name: string; max_score: string; group_name: string };

export function setJson(set: CriteriaSet, criteria: readonly Criterion[]) {
  return {
    id: set.id, title: set.title, year: set.year, issuingUnitId: set.issuing_unit_id, issuingUnitName: set.body_name,
    threshold: points(hundredths(set.threshold)), scale: points(scaleOf(criteria)),
    criteria: criteria.map((criterion) => ({ code: criterion.code, name: criterion.name, maxScore: points(hundredths(criterion.max_score)), group: criterion.group_name || null })),
    fieldCodes: set.field_codes, kinds: set.model_kinds, opensOn: set.opens_on, closesOn: set.closes_on, copiedFromId: set.copied_from_id,
  };
}

export function resultJson(item: { modelId: number; title: string; evaluators: number; average: number | null; spread: number | null; meetsThreshold: boolean; rank: number | null; model: { code: string; unit_name: string; status: string } }) {
  return {
    modelId: item.modelId, title: item.title, code: item.model.code, unitName: item.model.unit_name, status: item.model.status, evaluators: item.evaluators,
    average: item.average === null ? null : points(item.average), spread: item.spread === null ? null : points(item.spread), meetsThreshold: item.meetsThreshold, rank: item.rank,
  };
}
