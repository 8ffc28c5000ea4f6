// The arithmetic of a criteria set's results, in hundredths of a point so that sums and averages are
// exact: a model's score is the mean over its evaluators of their totals, rounded half up to two
// decimals; the spread is the highest total less the lowest; ranked best first.

/** "86.50" (numeric from the database) or 86.5 → 8650. */
export function hundredths(value: string | number): number {
  return Math.round(Number(value) * 100);
}

/** 8650 → 86.5 (a JSON number with at most two decimals). */
export const points = (value: number): number => value / 100;

/** A set's scale: the sum of its criteria's maxima, in hundredths. */
export function scaleOf(criteria: readonly { max_score: string }[]): number {
  return criteria.reduce((sum, criterion) => sum + hundredths(criterion.max_score), 0);
}

export interface ModelTotals {
  modelId: number;
  title: string;
  /** Each submitting evaluator's total, in hundredths. */
  totals: readonly number[];
}

export interface ModelResult {
  modelId: number;
  title: string;
  evaluators: number;
  /** Hundredths; null before any evaluator submitted. */
  average: number | null;
  spread: number | null;
  meetsThreshold: boolean;
  rank: number | null;
}

export function resultsOf(models: readonly ModelTotals[], threshold: number, compareTitles: (a: string, b: string) => number): ModelResult[] {
  const scored = models.map((model) => {
    const n = model.totals.length;
    const sum = model.totals.reduce((a, b) => a + b, 0);
    // Half up: the sum and the count are whole hundredths, so this division is the only rounding.
    const average = n === 0 ? null : Math.floor((2 * sum + n) / (2 * n));
    const spread = n === 0 ? null : Math.max(...model.totals) - Math.min(...model.totals);
    return { modelId: model.modelId, title: model.title, evaluators: n, average, spread, meetsThreshold: average !== null && average >= threshold, rank: null as number | null };
  });
  scored.sort((a, b) => (b.average ?? -1) - (a.average ?? -1) || compareTitles(a.title, b.title));
  // Equal averages share a rank (1, 2, 2, 4).
  scored.forEach((result, index) => {
    if (result.average === null) return;
    const previous = scored[index - 1];
    result.rank = previous && previous.average === result.average ? previous.rank : index + 1;
  });
  return scored;
}
