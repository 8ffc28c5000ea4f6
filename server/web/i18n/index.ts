// Message lookup, numbers in the reader's format, and Vietnamese dates for both languages' pages.
import { AsyncLocalStorage } from 'node:async_hooks';
import { en } from './en.ts';
import { vi, type MessageKey } from './vi.ts';
import { isMessage, type MessageParams } from '../../errors.ts';

export type Language = 'vi' | 'en';
export const LANGUAGES: readonly Language[] = ['vi', 'en'];
export type { MessageKey };

const catalogs: Record<Language, Record<MessageKey, string>> = { vi, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/**
 * The message in `language`; a parameter that is itself a message (a field's label) is translated too,
 * and a list of them (the labels of a field's choices) becomes "A, B, C" ("A, a; B, b" when a label holds a comma).
 */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  const template = catalogs[language][key];
  if (!template.includes('{')) return template; // most labels: no parameter to put in (a page asks for hundreds)
  return template.replace(PLURAL, (whole, name: string, one: string, other: string) => (name in params ? (isOne(params[name]) ? one : other) : whole)).replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = params[name];
    if (!Array.isArray(value)) return shown(language, value);
    const items = value.map((item) => shown(language, item));
    return items.join(items.some((item) => item.includes(',')) ? '; ' : ', ');
  });
}

/**
 * `{count:collective|collectives}`: the word for one, or for any other number, chosen by the parameter
 * (a number, or one already formatted such as "1.200"). English messages need it ("1 collective",
 * "2 collectives"); Vietnamese nouns do not change.
 */
const PLURAL = /\{(\w+):([^{}|]*)\|([^{}]*)\}/g;
function isOne(value: unknown): boolean {
  return String(value).replace(/[\s.,]/g, '') === '1';
}

function shown(language: Language, value: unknown): string {
  return isMessage(value) ? translate(language, value.key, value.params) : String(value);
}

const numberFormats: Record<Language, Intl.NumberFormat> = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-US') };
/** The language of the reader the current request answers (inLanguage); Vietnamese outside any request. */
const reader = new AsyncLocalStorage<Language>();

/**
 * Runs `work` for a reader of `language`: numbers formatted within it, in pages, messages and files,
 * are written that reader's way. One middleware wraps each request (app.ts), so the many places that
 * format a number need not each be handed the language.
 */
export function inLanguage<T>(language: Language, work: () => T): T {
  return reader.run(language, work);
}

/** The reader's language inside a request (inLanguage), Vietnamese outside any. */
export function readerLanguage(): Language {
  return reader.getStore() ?? 'vi';
}

/** 1649 -> "1.649", 12.17 -> "12,17" in Vietnamese; "1,649" and "12.17" for a reader of English. */
export function formatNumber(value: number, language: Language = readerLanguage()): string {
  return numberFormats[language].format(value);
}

/** '2019-05-27' -> '27/05/2019'. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const iso = value instanceof Date ? toIsoDate(value) : value.slice(0, 10);
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/** A timestamp in Vietnam's time zone: '23/11/2026 14:05'. */
// Formatters are made once: building an Intl.DateTimeFormat costs ~0,1 ms, and a unit picker asked for
// today's date once per unit on every page (a fifth of a page's CPU in the profile, issue 23).
const VIETNAM_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
});
const VIETNAM_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatDateTime(value: Date): string {
  const parts = VIETNAM_TIME.formatToParts(value);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')}/${part('year')} ${part('hour')}:${part('minute')}`;
}

export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Accepts '27/05/2019', '27-05-2019' or '2019-05-27' from a form; answers 'YYYY-MM-DD' or undefined. */
export function parseDateInput(text: string): string | undefined {
  const trimmed = text.trim();
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  let year: number, month: number, day: number;
  if (match) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(trimmed);
    if (!match) return undefined;
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return toIsoDate(date);
}

/** Today's date in Vietnam as 'YYYY-MM-DD': closing dates are Vietnamese calendar days. */
export function todayInVietnam(now: Date = new Date()): string {
  return VIETNAM_DAY.format(now);
}
