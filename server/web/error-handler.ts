// The one error handler: typed errors become the API's JSON error or an error page, in the
// caller's language; anything else is logged with a reference and answered as a plain 500,
// never with a stack trace.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError, FieldConflictError, NotFoundError, PayloadTooLargeError, RateLimitedError, ValidationError } from '../errors.ts';
import { HttpError, statusOf, translateProblems } from './errors.ts';
import { translate, type Language } from './i18n/index.ts';
import { languageOf } from './request.ts';
import { logUnexpectedError } from '../ops/logging.ts';

interface PlumbingError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError());
}

/** The error page's title says what happened (issue 22): "Không tìm thấy", "Không có quyền"..., not only "Có lỗi xảy ra". */
const TITLED = [403, 404, 409, 413, 422, 429, 503] as const;
function titleOf(language: Language, status: number): string {
  const titled = TITLED.find((s) => s === status);
  return translate(language, titled ? `error.title.${titled}` : 'error.title');
}

export function errorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const language = languageOf(req);
  const appError = toAppError(error);
  const isApi = req.originalUrl.startsWith('/api/');

  if (!appError) {
    const ref = randomUUID().slice(0, 8);
    logUnexpectedError(req, res, ref, error);
    const message = translate(language, 'error.internal', { ref });
    if (isApi) res.status(500).json({ error: { code: 'internal', message } });
    else res.status(500).render('errors/error', { lang: language, title: translate(language, 'error.title'), message, status: 500 });
    return;
  }

  if (appError instanceof RateLimitedError) res.set('Retry-After', String(appError.retryAfterSeconds));
  const message = translate(language, appError.messageKey, appError.params);
  const status = statusOf(appError);
  const details = appError instanceof ValidationError ? translateProblems(language, appError.details) : undefined;
  if (isApi) {
    // A duplicate names its field too (409 on the nominee's name, on a decision number already used).
    const reason = appError.reason;
    const fieldDetails = details ?? (appError instanceof FieldConflictError ? [{ field: appError.field, reason: appError.reason, message }] : undefined);
    res.status(status).json({ error: { code: appError.code, ...(reason ? { reason } : {}), message, ...(fieldDetails ? { details: fieldDetails } : {}) } });
    return;
  }
  if (status === 401) {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  res.status(status).render('errors/error', { lang: language, title: titleOf(language, status), message, status, details });
}

/**
 * Errors thrown by body-parser, the router and friends carry a status; a 4xx is the caller's doing
 * and keeps its status. The router's URIError for a broken percent-escape in a path (/verify/%E0%A4%A)
 * says 400 without `expose`, so the status alone decides. The message is always ours, never theirs.
 */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const http = error as PlumbingError;
  const status = http.status ?? http.statusCode;
  if (status === 413) return new PayloadTooLargeError();
  if (status === 404) return new NotFoundError();
  if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500) return new HttpError(status);
  if (error instanceof URIError) return new HttpError(400);
  return undefined;
}
