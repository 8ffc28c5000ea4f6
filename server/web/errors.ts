// Typed errors with a stable code and HTTP status; the one error handler turns them into a page
// or the API's JSON error. Messages are catalog keys, translated when the response is written.
import type { MessageKey } from './i18n/index.ts';

export interface FieldError {
  field: string;
  /** Already translated for the caller's language. */
  message: string;
  /** Which rule refused, a stable snake_case word (API.md, Errors). */
  reason?: string;
}

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
    readonly status: number,
    readonly code: ErrorCode,
    readonly messageKey: MessageKey,
    readonly params: Record<string, unknown> = {},
    /** Which rule refused, a stable snake_case word (API.md, Errors). */
    readonly reason?: string,
  ) {
    super(messageKey);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor() {
    super(404, 'not_found', 'error.not_found');
  }
}

export class UnauthenticatedError extends AppError {
  constructor() {
    super(401, 'unauthenticated', 'error.unauthenticated');
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey: MessageKey = 'error.forbidden') {
    super(403, 'forbidden', messageKey);
  }
}

export class ConflictError extends AppError {
  constructor(messageKey: MessageKey = 'error.conflict', params: Record<string, unknown> = {}, reason?: string) {
    super(409, 'conflict', messageKey, params, reason);
  }
}

export class CsrfError extends AppError {
  constructor() {
    super(403, 'csrf_invalid', 'error.csrf_invalid');
  }
}

export class RateLimitedError extends AppError {
  constructor(messageKey: MessageKey = 'error.rate_limited', params: Record<string, unknown> = {}, readonly retryAfterSeconds = 60) {
    super(429, 'rate_limited', messageKey, params);
  }
}

export class ValidationError extends AppError {
  constructor(readonly details: FieldError[]) {
    super(422, 'validation_failed', 'error.validation_failed');
  }
}
