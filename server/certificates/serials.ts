// The serials of the blank forms (phôi) a print job used, as offices account for their blank stock:
// the first and the last serial of one run, e.g. "AG-000123" to "AG-000130". Both or neither; the
// same prefix and the same number of digits; the last not below the first; no more forms than the
// job prints. The rule is here, without a database, so it is tested on its own.
import type { FieldProblem } from '../errors.ts';
import type { PrintMode } from './rendering/templates.ts';

export interface BlankSerials {
  blankSerialFrom?: string;
  blankSerialTo?: string;
}

/** A serial: any prefix (letters, digits, '-', '/', '.', spaces) then the running number, its digits at the end. */
const SERIAL = /^(.*?)(\d+)$/u;

/** The forms a run counts, or the problems with it (fields blankSerialFrom, blankSerialTo); null for no serials. */
export function blankSerialRange(input: BlankSerials, mode: PrintMode, certificates: number): { from: string; to: string; count: number } | null | FieldProblem[] {
  const { blankSerialFrom: from, blankSerialTo: to } = input;
  if (from === undefined && to === undefined) return null;
  const problems: FieldProblem[] = [];
  if (mode !== 'overlay') problems.push({ field: 'blankSerialFrom', reason: 'not_allowed_value', key: 'printJobs.serials.overlayOnly' });
  if (from === undefined || to === undefined) {
    problems.push({ field: from === undefined ? 'blankSerialFrom' : 'blankSerialTo', reason: 'required', key: 'printJobs.serials.pair' });
    return problems;
  }
  const [first, last] = [SERIAL.exec(from), SERIAL.exec(to)];
  if (!first || !last || first[1] !== last[1] || first[2]!.length !== last[2]!.length || BigInt(last[2]!) < BigInt(first[2]!)) {
    problems.push({ field: 'blankSerialTo', reason: 'serial_range', key: 'printJobs.serials.range' });
    return problems;
  }
  const count = BigInt(last[2]!) - BigInt(first[2]!) + 1n;
  if (count > BigInt(certificates)) problems.push({ field: 'blankSerialTo', reason: 'serial_count', key: 'printJobs.serials.count', params: { count: String(count), total: certificates } });
  return problems.length > 0 ? problems : { from, to, count: Number(count) };
}

/** How many forms a stored run counts (the job page and the history show it). */
export function blankSerialCount(from: string, to: string): number {
  const [first, last] = [SERIAL.exec(from), SERIAL.exec(to)];
  return first && last ? Number(BigInt(last[2]!) - BigInt(first[2]!) + 1n) : 0;
}
