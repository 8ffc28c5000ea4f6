// Joi validation at the edge: every bad field is reported at once, in the caller's language,
// unknown keys are refused, and text is NFC-normalised before any rule sees it.
import Joi from 'joi';
import { AppError, ValidationError, type FieldError } from './errors.ts';
import { isMessageKey, parseDateInput, translate, type Language, type MessageKey } from './i18n/index.ts';
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

export function id() {
  return Joi.number().integer().min(1).max(2_147_483_647);
}

/** No form or API body nests deeper than a few levels; 90.000 nested arrays once overflowed the stack here. */
export const MAX_BODY_DEPTH = 32;

/** NFC-normalises every string of a parsed body (forms and JSON alike); a body nested deeper than MAX_BODY_DEPTH is refused with 400. */
export function normaliseText<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (value && typeof value === 'object') {
    if (depth >= MAX_BODY_DEPTH) throw new AppError(400, 'bad_request', 'error.too_deep', { max: MAX_BODY_DEPTH }, 'too_deep');
    if (Array.isArray(value)) return value.map((item) => normaliseText(item, depth + 1)) as T;
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = normaliseText(item, depth + 1);
    return result as T;
  }
  return value;
}

interface ValidateOptions {
  language: Language;
  /** HTML forms send '' for an untouched optional field: treat it as absent. */
  form?: boolean;
  /** Labels are looked up as `field.<labels>.<name>` first, for names that mean different things per feature. */
  labels?: string;
}

/** Validates and converts `input`, or throws a ValidationError listing every bad field. */
export function validate<T>(schema: Joi.ObjectSchema<T>, input: unknown, options: ValidateOptions): T {
  const prepared = options.form ? withoutEmptyStrings(input) : input;
  if (prepared === null || typeof prepared !== 'object' || Array.isArray(prepared)) {
    throw new ValidationError([{ field: 'body', message: translate(options.language, 'validation.object') }]);
  }
  const { value, error } = schema.validate(normaliseText(prepared), { abortEarly: false, convert: true, allowUnknown: false });
  if (error) throw new ValidationError(describe(error, options.language, options.labels));
  return value as T;
}

function withoutEmptyStrings(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => value !== '' && key !== '_csrf'));
}

function describe(error: Joi.ValidationError, language: Language, labels?: string): FieldError[] {
  const seen = new Set<string>();
  const details: FieldError[] = [];
  for (const detail of error.details) {
    const field = detail.path.join('.') || String(detail.context?.key ?? 'body');
    if (seen.has(field)) continue; // one message per field: the first rule it broke
    seen.add(field);
    const reason = REASONS[detail.type];
    details.push({ field, message: messageFor(detail, field, language, labels), ...(reason ? { reason } : {}) });
  }
  return details;
}

function messageFor(detail: Joi.ValidationErrorItem, field: string, language: Language, labels?: string): string {
  const lastSegment = String(detail.path[detail.path.length - 1] ?? field);
  const labelKey = [`field.${labels}.${lastSegment}`, `field.${lastSegment}`].find((key) => isMessageKey(key));
  const label = labelKey && isMessageKey(labelKey) ? translate(language, labelKey) : lastSegment;
  const context = detail.context ?? {};
  const params = { label, limit: context.limit, valids: (context.valids ?? []).join(', '), min: context.min, max: context.max };
  return translate(language, messageKeyFor(detail.type, context), params);
}

/** Stable reasons of the rules this module adds (API.md, Errors). */
const REASONS: Record<string, string> = {
  'string.invalidCharacters': 'invalid_characters',
  'string.unsafe': 'invalid_characters',
  'date.range': 'date_out_of_range',
  'cursor.invalid': 'invalid_cursor',
};

function messageKeyFor(type: string, context: Joi.Context): MessageKey {
  switch (type) {
    case 'any.required':
    case 'string.empty':
      return 'validation.required';
    case 'string.max':
    case 'array.max':
      return 'validation.tooLong';
    case 'string.min':
      return 'validation.tooShort';
    case 'number.base':
      return 'validation.number';
    case 'number.integer':
      return 'validation.integer';
    case 'number.min':
    case 'number.greater':
      return 'validation.min';
    case 'number.max':
    case 'number.less':
      return 'validation.max';
    case 'any.only':
      return 'validation.oneOf';
    case 'date.base':
    case 'date.format':
      return 'validation.date';
    case 'object.unknown':
      return 'validation.unknownField';
    case 'string.unsafe':
      return 'validation.unsafeText';
    case 'string.invalidCharacters':
      return 'validation.invalidCharacters';
    case 'date.range':
      return 'validation.dateRange';
    case 'cursor.invalid':
      return 'validation.cursor';
    case 'date.order':
      return 'validation.dateOrder';
    case 'string.pattern.name': {
      const key = `validation.pattern.${String(context.name)}`;
      return isMessageKey(key) ? key : 'validation.invalid';
    }
    default:
      return 'validation.invalid';
  }
}
