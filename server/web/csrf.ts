// Synchronizer-token CSRF protection for the HTML pages: a random token kept in the session,
// put into every form, and required on every state-changing request. The JSON API takes bearer
// tokens, never cookies, so it needs none.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CsrfError } from './errors.ts';

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
  // A multipart upload is parsed after this check, so its form carries the token in the action URL.
  const fromQuery = req.is('multipart/form-data') ? req.query._csrf : undefined;
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token') ?? fromQuery;
  if (!expected || typeof sent !== 'string' || !sameText(sent, expected)) throw new CsrfError();
  next();
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
