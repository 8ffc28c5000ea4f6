// The domain's errors. Each says which rule refused (a stable snake_case `reason`, API.md Errors)
// and carries a message *key* with its parameters, never a sentence: services speak neither HTTP
// nor a language. The edge (web/error-handler.ts, web/forms.ts) picks the status from the code and
// translates the message once, in the caller's language.
import type { MessageKey } from './web/i18n/vi.ts';
import type { Reason, RefusalReason } from './reasons.ts';

export type { FieldReason, Reason, RefusalReason } from './reasons.ts';

/** A message to be translated at the edge. A parameter may itself be a message (a field's label). */
export interface Message {
  key: MessageKey;
  params?: MessageParams;
}

/** Values are shown as they are (numbers and dates already in Vietnamese form), a Message is translated. */
export type MessageParams = Record<string, unknown>;

export function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as Message).key === 'string';
}

/** One bad field: which field, which rule (`reason`), and what to tell the person. */
export interface FieldProblem extends Message {
  field: string;
  reason: Reason;
}

/** The API's error codes (API.md, Errors); the edge maps each to its HTTP status. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'validation_failed'
  | 'rate_limited'
  | 'csrf_invalid'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly params: MessageParams = {},
    /** Which rule refused, a stable snake_case word from reasons.ts (API.md, Errors). */
    readonly reason?: Reason,
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(reason: Reason = 'bad_request', messageKey: MessageKey = 'error.bad_request', params: MessageParams = {}) {
    super('bad_request', messageKey, params, reason);
  }
}

export class NotFoundError extends AppError {
  constructor() {
    super('not_found', 'error.not_found');
  }
}

export class UnauthenticatedError extends AppError {
  constructor() {
    super('unauthenticated', 'error.unauthenticated');
  }
}

export class ForbiddenError extends AppError {
  constructor(reason: RefusalReason = 'forbidden', messageKey: MessageKey = 'error.forbidden') {
    super('forbidden', messageKey, {}, reason);
  }
}

/** Every 409 says which rule refused. */
export class ConflictError extends AppError {
  constructor(
    override readonly reason: RefusalReason = 'conflict',
    messageKey: MessageKey = 'error.conflict',
    params: MessageParams = {},
  ) {
    super('conflict', messageKey, params, reason);
  }
}

/** A duplicate, reported on the field it concerns (the nominee's name, a decision number already used). */
export class FieldConflictError extends ConflictError {
  constructor(
    readonly field: string,
    reason: RefusalReason,
    messageKey: MessageKey,
    params: MessageParams = {},
  ) {
    super(reason, messageKey, params);
  }
}

export class RateLimitedError extends AppError {
  constructor(reason: RefusalReason = 'rate_limited', messageKey: MessageKey = 'error.rate_limited', params: MessageParams = {}, readonly retryAfterSeconds = 60) {
    super('rate_limited', messageKey, params, reason);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor() {
    super('payload_too_large', 'error.payload_too_large');
  }
}

/**
 * Something the application needs is not there or is full (no Chromium, the renderer's queue):
 * the request may succeed later (503). `code` stays what the API has always answered for it.
 */
export class UnavailableError extends AppError {
  constructor(reason: RefusalReason, messageKey: MessageKey, code: 'internal' | 'rate_limited' = 'internal') {
    super(code, messageKey, {}, reason);
  }
}

/** 422: every bad field at once. */
export class ValidationError extends AppError {
  constructor(readonly details: FieldProblem[]) {
    super('validation_failed', 'error.validation_failed');
  }
}

/** The problem for a reference to a record that does not exist or is out of reach (a unit, a field). */
export function unknownReference(field: string, label: MessageKey): FieldProblem {
  return { field, reason: 'unknown_reference', key: 'error.unknown_reference', params: { field: { key: label } } };
}
