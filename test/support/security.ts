// Helpers for the security suites (test/security/): the Big List of Naughty Strings, what a
// stored text should look like after the edge's normalisation, how it must look in HTML, and a
// small failure collector so one `it` can try hundreds of strings and report every bad one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Handlebars from 'handlebars';
import { db } from './context.ts';
import { Browser } from './http.ts';

const require = createRequire(import.meta.url);

/** Every string of big-list-of-naughty-strings (blns.json, ~460), in the list's order. */
export const NAUGHTY: readonly string[] = Object.freeze(require('big-list-of-naughty-strings') as string[]);

/**
 * The list's categories ("Script Injection", "Right-To-Left Strings", ...: the headers of blns.txt,
 * which blns.json is made from), each with its strings in the list's order. The empty string, which
 * blns.json adds at its start, is a category of its own.
 */
export const NAUGHTY_CATEGORIES: ReadonlyMap<string, readonly string[]> = (() => {
  const lines = readFileSync(require.resolve('big-list-of-naughty-strings/blns.txt'), 'utf8').split('\n');
  const categories = new Map<string, string[]>([['Empty string', ['']]]);
  const known = new Set(NAUGHTY);
  let current = 'Uncategorised';
  lines.forEach((line, index) => {
    // A header is a comment line followed by a bare '#' line; the text under it is a comment too.
    if (line.startsWith('#')) {
      if (!/^#\s*$/.test(line) && /^#\s*$/.test(lines[index + 1] ?? '')) current = line.replace(/^#\s*/, '').trim();
      return;
    }
    if (line === '' || !known.has(line)) return;
    if (!categories.has(current)) categories.set(current, []);
    categories.get(current)!.push(line);
  });
  // Any string of blns.json that blns.txt does not hold (a later edit of one but not the other).
  const placed = new Set([...categories.values()].flat());
  const rest = NAUGHTY.filter((s) => !placed.has(s));
  if (rest.length > 0) categories.set('Uncategorised', rest);
  return categories;
})();

/**
 * Which strings the sweeps send: `all` with NAUGHTY_STRINGS=all (CI), otherwise `sample`.
 */
export const NAUGHTY_MODE: 'all' | 'sample' = (() => {
  const value = process.env.NAUGHTY_STRINGS ?? '';
  if (value === 'all') return 'all';
  if (value === '' || value === 'sample') return 'sample';
  throw new Error(`NAUGHTY_STRINGS=${value}: use "all" for every string, or leave it unset for the sample`);
})();

/**
 * The fixed sample for a run without NAUGHTY_STRINGS=all: the first string of every category and each
 * `every`-th one after it (so every category is there, the large ones thinly), plus every string of
 * naughtySample() (the hand-picked markup, quotes, emoji, right-to-left, whitespace, format, SQL,
 * zero-width and template strings the forms get). Deterministic, in the list's order.
 */
export function naughtyCategorySample(every = 5): string[] {
  const picks = new Set<string>(naughtySample());
  for (const strings of NAUGHTY_CATEGORIES.values()) strings.forEach((s, i) => i % every === 0 && picks.add(s));
  return NAUGHTY.filter((s) => picks.has(s));
}

/** The strings each sweep of test/security/naughty-strings-*.test.ts sends, and a phrase that says which. */
export const NAUGHTY_SWEEP: readonly string[] = NAUGHTY_MODE === 'all' ? NAUGHTY : Object.freeze(naughtyCategorySample());
export const NAUGHTY_SWEEP_LABEL =
  NAUGHTY_MODE === 'all'
    ? `NAUGHTY_STRINGS=all: all ${NAUGHTY.length} strings`
    : `a sample of ${NAUGHTY_SWEEP.length} of the ${NAUGHTY.length} strings, all ${NAUGHTY_CATEGORIES.size} categories; NAUGHTY_STRINGS=all for every string`;

/**
 * A representative sample for the HTML forms (each form post costs a page render and a read-back):
 * every string of a few hand-picked kinds (markup, quotes, emoji, right-to-left, whitespace-only,
 * format strings, SQL), then an even stride through the rest, about `size` in all.
 */
export function naughtySample(size = 60): string[] {
  const picks = new Set<string>();
  const firstMatching = (test: (s: string) => boolean, count = 1) => {
    for (const s of NAUGHTY) {
      if (count === 0) break;
      if (test(s) && !picks.has(s)) {
        picks.add(s);
        count -= 1;
      }
    }
  };
  firstMatching((s) => s.includes('<script'), 4);
  firstMatching((s) => s.includes('<img') || s.includes('<svg'), 3);
  firstMatching((s) => s.includes('onfocus'), 2);
  firstMatching((s) => s.includes('"') && s.includes("'"), 2);
  firstMatching((s) => /[\u{1F300}-\u{1FAFF}]/u.test(s), 3);
  firstMatching((s) => /[\u0590-\u08FF]/.test(s), 2); // Hebrew, Arabic
  firstMatching((s) => s.trim() === '', 2);
  firstMatching((s) => /%[sdn]/.test(s), 2);
  firstMatching((s) => /DROP|SELECT|'\s*OR\s/i.test(s), 3);
  firstMatching((s) => /[\u200B-\u200F\u202A-\u202E\u2028\uFEFF]/.test(s), 3);
  firstMatching((s) => /\{\{|\$\{|<%/.test(s), 2);
  firstMatching((s) => s.length > 150, 1);
  const rest = NAUGHTY.filter((s) => !picks.has(s));
  const wanted = Math.max(0, size - picks.size);
  for (let i = 0; i < wanted; i++) picks.add(rest[Math.floor((i * rest.length) / wanted)]!);
  return [...picks];
}

/** What the server stores for a text it accepts: NFC at the edge, then Joi's `trim()` (web/validate.ts). */
export function stored(sent: string): string {
  return sent.normalize('NFC').trim();
}

/** The server's own escaping: the pages are Handlebars `{{ }}` only. */
export function escapeHtml(text: string): string {
  return Handlebars.Utils.escapeExpression(text);
}

/** Why an HTML page that should show `text` as text does not, or undefined when it does. */
export function htmlShowsText(html: string, text: string): string | undefined {
  if (text.includes('<') && html.includes(text)) return 'the raw string (with "<") appears unescaped in the page';
  if (!html.includes(escapeHtml(text))) return 'the HTML-escaped string is not in the page';
  return undefined;
}

/** Why an HTML page reflects a payload unescaped, or undefined when it does not. */
export function htmlReflectsRaw(html: string, payload: string): string | undefined {
  for (const form of new Set([payload, payload.normalize('NFC'), payload.trim()])) {
    if (form.includes('<') && html.includes(form)) return 'the raw payload (with "<") is reflected unescaped';
  }
  return undefined;
}

/** Whether an API error body names `field` in its details. */
export function errorListsField(body: unknown, field: string): boolean {
  const details = (body as { error?: { details?: { field: string }[] } } | undefined)?.error?.details;
  return Array.isArray(details) && details.some((detail) => detail.field === field || detail.field.startsWith(`${field}.`));
}

/** Collects failures per payload so one test reports every bad string at once. */
export class Failures {
  readonly items: string[] = [];
  constructor(readonly label: string) {}

  add(payload: string, problem: string): void {
    this.items.push(`${JSON.stringify(payload)}: ${problem}`);
  }

  /** Throws one error listing every failure (the first 40), or nothing. */
  check(): void {
    if (this.items.length === 0) return;
    const shown = this.items.slice(0, 40).join('\n  ');
    throw new Error(`${this.label}: ${this.items.length} failure(s)\n  ${shown}${this.items.length > 40 ? `\n  ... and ${this.items.length - 40} more` : ''}`);
  }
}

/** Rows in a table matching a simple equality filter: the "nothing was written" check. */
export async function countRows(table: 'units' | 'users' | 'models' | 'model_reports' | 'award_rounds' | 'nominations' | 'votes' | 'decisions' | 'certificates' | 'certificate_reissues' | 'audit_log', where: Record<string, string | number | null> = {}): Promise<number> {
  let query = db().selectFrom(table as 'units').select((eb) => eb.fn.countAll<number>().as('n'));
  for (const [column, value] of Object.entries(where)) {
    query = value === null ? query.where(column as 'id', 'is', null) : query.where(column as 'id', '=', value as number);
  }
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** A browser signed in as the user (its password is the factories' TEST_PASSWORD). */
export async function signedIn(user: { username: string; password: string }): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.login(user.username, user.password);
  if (response.status !== 303) throw new Error(`login of ${user.username} failed with ${response.status}`);
  await browser.get('/'); // a page with the layout, so the CSRF token of the signed-in session is known
  return browser;
}

/** Runs `work` over `items` with at most `limit` at a time, in order of start. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  });
  await Promise.all(runners);
}
