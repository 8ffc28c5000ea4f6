// Where the domain's errors (../errors.ts) meet HTTP: the status each code answers with, the
// errors only the web layer raises (CSRF, a status passed up by body-parser or the router), and
// field problems turned into the API's `details` in the caller's language.
import { AppError, UnavailableError, type ErrorCode, type FieldProblem } from '../errors.ts';
import { translate, type Language, type MessageKey } from './i18n/index.ts';

/** A field problem as the API and the forms show it (API.md, Errors). */
export interface FieldError {
  field: string;
  reason: string;
  message: string;
}

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_invalid: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
};

export function statusOf(error: AppError): number {
  if (error instanceof HttpError) return error.status;
  if (error instanceof UnavailableError) return 503;
  return STATUS[error.code];
}

export function translateProblems(language: Language, problems: readonly FieldProblem[]): FieldError[] {
  return problems.map(({ field, reason, key, params }) => ({ field, reason, message: translate(language, key, params) }));
}

export class CsrfError extends AppError {
  constructor() {
    super('csrf_invalid', 'error.csrf_invalid');
  }
}

/** A 4xx the HTTP plumbing decided (a body-parser or router status); the message is always ours. */
export class HttpError extends AppError {
  constructor(
    readonly status: number,
    code: ErrorCode = 'bad_request',
    messageKey: MessageKey = 'error.bad_request',
  ) {
    super(code, messageKey, {}, code === 'bad_request' ? 'bad_request' : undefined);
  }
}
