// Synchronizer-token CSRF protection for the HTML pages: a random token kept in the session,
// put into every form, and required on every state-changing request. The JSON API takes bearer
// tokens, never cookies, so it needs none.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CsrfError } from './errors.ts';
import { isUploadRoute } from './upload.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Gives the session a token (creating the session if need be) and exposes it to the views. */
export function ensureCsrfToken(req: Request, res: Response): string {
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  res.locals.csrfToken = req.session.csrfToken;
  return req.session.csrfToken;
}

export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  // Anonymous pages without forms (the public verify page) need no token and create no session.
  if (req.user || req.session.csrfToken) ensureCsrfToken(req, res);
  if (SAFE_METHODS.has(req.method)) return next();
  const expected = req.session.csrfToken;
  const multipart = Boolean(req.is('multipart/form-data'));
  // A multipart upload is parsed after this check (by its route's receiveFile). Its form sends the token
  // as a field, which receiveFile checks once the body is read (verifyCsrfField); only a route declared
  // with uploadRoute() may defer so. An older form's token in the action URL still passes here.
  const fromQuery = multipart ? req.query._csrf : undefined;
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token') ?? fromQuery;
  if (sent === undefined && multipart && expected && isUploadRoute(req.method, req.path)) {
    res.locals.csrfPending = true;
    return next();
  }
  if (!expected || typeof sent !== 'string' || !sameText(sent, expected)) throw new CsrfError();
  next();
}

/** After a deferred upload's body is read: its `_csrf` field must be the session's token; the field is then dropped. */
export function verifyCsrfField(req: Request, res: Response): void {
  const body = req.body as Record<string, unknown> | undefined;
  const sent = body?._csrf;
  if (!res.locals.csrfPending) {
    // Checked already (a header, or an older form's token in the URL): the field is no input of the route.
    if (body) delete body._csrf;
    return;
  }
  const expected = req.session.csrfToken;
  if (!expected || typeof sent !== 'string' || !sameText(sent, expected)) throw new CsrfError();
  delete body!._csrf;
  res.locals.csrfPending = false;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
