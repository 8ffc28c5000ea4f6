// Joi validation at the edge: every bad field is reported at once, each with its reason,
// unknown keys are refused, and text is NFC-normalised before any rule sees it.
import Joi from 'joi';
import { BadRequestError, ValidationError, type FieldProblem, type FieldReason, type Message } from '../errors.ts';
import { isMessageKey, parseDateInput, readerLanguage, type Language, type MessageKey } from './i18n/index.ts';
import { hasInvalidNameCharacters } from './names.ts';

/** Bidirectional overrides and zero-width characters let a name display as something it is not. */
const INVISIBLE_OR_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/**
 * Joi's `.min()` counts UTF-16 code units, PostgreSQL's `length()` counts characters: "😍" passes
 * `.min(2)` and then breaks a `CHECK (length(...) >= 2)` with a 500. Count characters as the database does.
 */
function atLeastMinCharacters(value: string, helpers: Joi.CustomHelpers) {
  const min = (helpers.schema.$_getRule('min') as { args?: { limit?: unknown } } | undefined)?.args?.limit;
  if (typeof min === 'number' && [...value].length < min) return helpers.error('string.min', { limit: min, value });
  return value;
}

/** A single-line text (a name, a title): trimmed, no control, bidi or zero-width characters. */
export function text(max: number) {
  return Joi.string().trim().max(max).custom((value: string, helpers) => {
    if (INVISIBLE_OR_CONTROL.test(value) || /[\r\n\t]/.test(value)) return helpers.error('string.unsafe');
    return atLeastMinCharacters(value, helpers);
  });
}

/** Multi-line text (a summary, an achievement): line breaks allowed, other invisible characters not. */
export function longText(max: number) {
  return Joi.string().trim().max(max).custom((value: string, helpers) => {
    if (INVISIBLE_OR_CONTROL.test(value)) return helpers.error('string.unsafe');
    return atLeastMinCharacters(value, helpers);
  });
}

/**
 * A person's or a unit's name (nominee, user, unit, signer): a single-line text that also refuses
 * every hidden character, stacks of combining marks and look-alike letters of another script
 * (names.ts), so a disguised copy of a name cannot pass for a new one.
 */
export function nameText(max: number) {
  return Joi.string().trim().max(max).custom((value: string, helpers) => {
    // Both answer reason invalid_characters; the older message stays for what text() already refused.
    if (INVISIBLE_OR_CONTROL.test(value) || /[\r\n\t]/.test(value)) return helpers.error('string.unsafe');
    if (hasInvalidNameCharacters(value)) return helpers.error('string.invalidCharacters');
    return atLeastMinCharacters(value, helpers);
  });
}

/** Records of the emulation movement begin in 1945; a date after next year is a typing slip (9999-12-31). */
export const EARLIEST_YEAR = 1945;
export const latestYear = () => new Date().getFullYear() + 1;

/** A calendar date given as YYYY-MM-DD (API) or dd/mm/yyyy (forms); the value becomes YYYY-MM-DD. */
export function calendarDate() {
  return Joi.string().trim().custom((value: string, helpers) => {
    const date = parseDateInput(value);
    if (!date) return helpers.error('date.base');
    const year = Number(date.slice(0, 4));
    if (year < EARLIEST_YEAR || year > latestYear()) return helpers.error('date.range', { min: EARLIEST_YEAR, max: latestYear() });
    return date;
  });
}

/**
 * A number as people in Viet Nam type it, or as a program writes it: the dot groups thousands and the
 * comma marks the decimals ("1.200", "15.000.000", "2,5", "1.234,5"), and the plain forms still pass
 * ("1200", "2.5", "-4.5"). Spaces (also non-breaking ones) may group thousands ("15 000 000").
 * The rule for a dot without a comma: several dots, or a single dot followed by exactly three digits
 * after 1–3 digits, group thousands ("1.200" = 1200, "1.200.000"); any other single dot is a decimal
 * point ("2.5", "12.50", "1234.567"). A comma is always the decimal mark, so at most one, with nothing
 * but digits after it. Groups after the first have exactly three digits: "1.2.3", "1,2,3", "12.34.5"
 * and everything else (exponents "1e3", "0x10", units "29,7 cm") give undefined.
 */
export function parseVietnameseNumber(input: string): number | undefined {
  const match = /^([+\-\u2212]?)\s*([0-9., \s]*[0-9])$/u.exec(input.trim().replace(/\s+/gu, ' '));
  if (!match) return undefined;
  const negative = match[1] === '-' || match[1] === '\u2212';
  const body = match[2]!;
  const grouped = /^[0-9]{1,3}(?:[. ][0-9]{3})+$/;
  let whole: string;
  let fraction = '';
  const commas = body.split(',').length - 1;
  if (commas > 1) return undefined;
  if (commas === 1) {
    [whole, fraction] = body.split(',') as [string, string];
    if (!/^[0-9]+$/.test(fraction)) return undefined;
  } else if (body.split('.').length - 1 === 1 && !grouped.test(body)) {
    [whole, fraction] = body.split('.') as [string, string]; // a single dot that cannot group thousands
    if (!/^[0-9]+$/.test(fraction)) return undefined;
  } else {
    whole = body;
  }
  if (!/^[0-9]+$/.test(whole) && !grouped.test(whole)) return undefined;
  const value = Number(`${whole.replace(/[. ]/g, '')}${fraction ? `.${fraction}` : ''}`);
  if (!Number.isFinite(value)) return undefined;
  return negative && value !== 0 ? -value : value;
}

/**
 * A number typed by a reader of `language`: Vietnamese as above; in English the comma groups thousands and
 * the dot marks decimals ("1,200", "15,000,000", "2.5"), read by swapping the two marks.
 */
export function parseTypedNumber(input: string, language: Language): number | undefined {
  return parseVietnameseNumber(language === 'en' ? input.replace(/[.,]/g, (mark) => (mark === '.' ? ',' : '.')) : input);
}

/** Joi's number with parseTypedNumber in front (the request's reader): a string it cannot read is `number.base` (not_a_number). */
const vietnameseNumbers = Joi.extend((joi) => ({
  type: 'vnNumber',
  base: joi.number(),
  prepare(value: unknown, helpers: Joi.CustomHelpers) {
    if (typeof value !== 'string') return undefined;
    const parsed = parseTypedNumber(value, readerLanguage());
    return parsed === undefined ? { value, errors: [helpers.error('number.base')] } : { value: parsed };
  },
})) as Joi.Root & { vnNumber(): Joi.NumberSchema };

/**
 * Every number a person types (counts, money, millimetres), in forms and in the API alike: JSON numbers
 * pass as before, strings are read by parseVietnameseNumber. Years and ids stay plain Joi numbers.
 */
export function vnNumber(): Joi.NumberSchema {
  return vietnameseNumbers.vnNumber();
}

export function id() {
  return Joi.number().integer().min(1).max(2_147_483_647);
}

/**
 * One of `values`, each labelled by the message `<labels>.<value>` (gender.female, nomineeKind.individual):
 * a refused value is told the labels of the choices, not their codes (the reason stays not_allowed_value).
 */
export function choice(values: readonly string[], labels: string) {
  return Joi.string().valid(...values).meta({ choiceLabels: labels });
}

/** The `:id` of a route. */
export const idParams = Joi.object({ id: id().required() });

/** The box a page's irreversible step asks to be ticked (closing, issuing, revoking): only "on" passes. */
export function confirmation() {
  return Joi.boolean().truthy('on').valid(true).required();
}

/** No form or API body nests deeper than a few levels; 90.000 nested arrays once overflowed the stack here. */
export const MAX_BODY_DEPTH = 32;

/** NFC-normalises every string of a parsed body (forms and JSON alike); a body nested deeper than MAX_BODY_DEPTH is refused with 400. */
export function normaliseText<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (value && typeof value === 'object') {
    if (depth >= MAX_BODY_DEPTH) throw new BadRequestError('too_deep', 'error.too_deep', { max: MAX_BODY_DEPTH });
    if (Array.isArray(value)) return value.map((item) => normaliseText(item, depth + 1)) as T;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = normaliseText(item, depth + 1);
    return result as T;
  }
  return value;
}

interface ValidateOptions {
  /** HTML forms send '' for an untouched optional field: treat it as absent. */
  form?: boolean;
  /** Labels are looked up as `field.<labels>.<name>` first, for names that mean different things per feature. */
  labels?: string;
}

/**
 * Validates and converts `input`, or throws a ValidationError listing every bad field, each with
 * its reason and an untranslated message (the edge translates it for the caller).
 */
export function validate<T>(schema: Joi.ObjectSchema<T>, input: unknown, options: ValidateOptions = {}): T {
  const prepared = options.form ? withoutEmptyStrings(input) : input;
  if (prepared === null || typeof prepared !== 'object' || Array.isArray(prepared)) {
    throw new ValidationError([{ field: 'body', reason: 'not_an_object', key: 'validation.object' }]);
  }
  const { value, error } = schema.validate(normaliseText(prepared), { abortEarly: false, convert: true, allowUnknown: false });
  if (error) throw new ValidationError(describe(error, schema, options.labels));
  return value as T;
}

function withoutEmptyStrings(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => value !== '' && key !== '_csrf'));
}

function describe(error: Joi.ValidationError, schema: Joi.ObjectSchema, labels?: string): FieldProblem[] {
  const seen = new Set<string>();
  const problems: FieldProblem[] = [];
  for (const detail of error.details) {
    const field = detail.path.join('.') || String(detail.context?.key ?? 'body');
    if (seen.has(field)) continue; // one message per field: the first rule it broke
    seen.add(field);
    const rule = RULES[detail.type] ?? patternRule(detail) ?? { reason: 'invalid', key: 'validation.invalid' };
    problems.push({ field, reason: rule.reason, key: rule.key, params: paramsFor(detail, field, labels, schema) });
  }
  return problems;
}

/** The field's label: `field.<labels>.<name>`, then `field.<name>`, else the name itself. */
function labelOf(name: string, labels?: string): string | Message {
  const labelKey = [`field.${labels}.${name}`, `field.${name}`].find((key) => isMessageKey(key));
  return labelKey && isMessageKey(labelKey) ? { key: labelKey } : name;
}

function paramsFor(detail: Joi.ValidationErrorItem, field: string, labels: string | undefined, schema: Joi.ObjectSchema) {
  const context = detail.context ?? {};
  const label = labelOf(String(detail.path[detail.path.length - 1] ?? field), labels);
  // A null that `.allow(null)` added is not a choice to offer.
  const valids = ((context.valids ?? []) as unknown[]).filter((value) => value !== null);
  const prefix = detail.type === 'any.only' ? choiceLabelsOf(schema, detail.path) : undefined;
  const named = prefix ? valids.map((value) => `${prefix}.${String(value)}`) : [];
  const shown = prefix && named.every(isMessageKey) ? named.map((key) => ({ key })) : valids.join(', ');
  return { label, limit: context.limit, valids: shown, min: context.min, max: context.max };
}

/** The label prefix a `choice()` carries, for the field at `path` (an array's item answers for the array). */
function choiceLabelsOf(schema: Joi.ObjectSchema, path: (string | number)[]): string | undefined {
  try {
    let field: Joi.Schema = schema.extract(path.filter((part) => typeof part === 'string'));
    if (field.type === 'array') field = ((field as Joi.Schema & { $_terms: { items?: Joi.Schema[] } }).$_terms.items ?? [])[0] ?? field;
    const metas = (field.describe().metas ?? []) as { choiceLabels?: string }[];
    return metas.find((meta) => typeof meta.choiceLabels === 'string')?.choiceLabels;
  } catch {
    return undefined;
  }
}

/** Each Joi rule (and the ones this module adds): its stable reason (API.md, Errors) and its message. */
const RULES: Record<string, { reason: FieldReason; key: MessageKey }> = {
  'any.required': { reason: 'required', key: 'validation.required' },
  'string.empty': { reason: 'required', key: 'validation.required' },
  'string.base': { reason: 'invalid', key: 'validation.invalid' },
  'string.max': { reason: 'too_long', key: 'validation.tooLong' },
  'array.max': { reason: 'too_long', key: 'validation.tooLong' },
  'string.min': { reason: 'too_short', key: 'validation.tooShort' },
  'number.base': { reason: 'not_a_number', key: 'validation.number' },
  'number.integer': { reason: 'not_an_integer', key: 'validation.integer' },
  'number.unsafe': { reason: 'too_large', key: 'validation.max' },
  'number.min': { reason: 'too_small', key: 'validation.min' },
  'number.greater': { reason: 'too_small', key: 'validation.min' },
  'number.max': { reason: 'too_large', key: 'validation.max' },
  'number.less': { reason: 'too_large', key: 'validation.max' },
  'any.only': { reason: 'not_allowed_value', key: 'validation.oneOf' },
  'date.base': { reason: 'invalid_date', key: 'validation.date' },
  'date.format': { reason: 'invalid_date', key: 'validation.date' },
  'date.range': { reason: 'date_out_of_range', key: 'validation.dateRange' },
  'date.order': { reason: 'date_order', key: 'validation.dateOrder' },
  'date.fromTo': { reason: 'date_order', key: 'validation.dateFromTo' },
  'object.unknown': { reason: 'unknown_field', key: 'validation.unknownField' },
  'string.unsafe': { reason: 'invalid_characters', key: 'validation.unsafeText' },
  'string.invalidCharacters': { reason: 'invalid_characters', key: 'validation.invalidCharacters' },
  'cursor.invalid': { reason: 'invalid_cursor', key: 'validation.cursor' },
  'string.email': { reason: 'invalid_format', key: 'validation.email' },
};

/** A named pattern (`username`, `unitCode`) has its own message; every pattern answers `invalid_format`. */
function patternRule(detail: Joi.ValidationErrorItem): { reason: FieldReason; key: MessageKey } | undefined {
  if (detail.type !== 'string.pattern.name' && detail.type !== 'string.pattern.base') return undefined;
  const key = `validation.pattern.${String(detail.context?.name)}`;
  return { reason: 'invalid_format', key: isMessageKey(key) ? key : 'validation.invalid' };
}
