// Timing helpers: samples in milliseconds, their median and 95th percentile, and a plain-text table.

export interface Summary {
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentiles over the samples. */
export function summarise(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: NaN, p95: NaN, min: NaN, max: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
  return { median: rank(0.5), p95: rank(0.95), min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** Milliseconds taken by `fn`. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs each contender `warmup` times, then `repetitions` rounds in which every contender runs once,
 * in turn, so that drift on a noisy machine affects all of them alike.
 */
export async function interleaved<K extends string>(contenders: Record<K, () => Promise<unknown>>, warmup: number, repetitions: number): Promise<Record<K, Summary>> {
  const names = Object.keys(contenders) as K[];
  for (let i = 0; i < warmup; i++) for (const name of names) await contenders[name]();
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < repetitions; i++) for (const name of names) samples[name].push(await time(contenders[name]));
  return Object.fromEntries(names.map((name) => [name, summarise(samples[name])])) as Record<K, Summary>;
}

export const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '-');

/** A left-aligned first column and right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
