// What a handler needs to know about the caller: language, audit actor, unit scope, the Caller
// the services take.
import type { Request } from 'express';
import type { Database } from '../db/database.ts';
import type { Actor } from '../audit/audit.ts';
import { committeeBodiesFor, type Caller } from '../auth/caller.ts';
import { loadUnitScope, unitAndEverythingAbove, type UnitScope } from '../auth/scope.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { Language } from './i18n/index.ts';
import type { SessionUser } from '../auth/user.ts';

export const LANGUAGE_COOKIE = 'lang';

/** The interface language: the visitor's choice (cookie or API header), then the account's, then Vietnamese. */
export function languageOf(req: Request): Language {
  const chosen = req.cookies?.[LANGUAGE_COOKIE] ?? parseCookie(req.headers.cookie, LANGUAGE_COOKIE);
  if (chosen === 'vi' || chosen === 'en') return chosen;
  if (req.originalUrl.startsWith('/api/')) {
    const header = req.get('accept-language') ?? '';
    if (/^en\b/i.test(header)) return 'en';
    if (/^vi\b/i.test(header)) return 'vi';
  }
  return req.user?.language ?? 'vi';
}

export function actorOf(req: Request): Actor {
  return { userId: req.user?.id ?? null, ip: req.ip ?? null };
}

export function currentUser(req: Request): SessionUser {
  if (!req.user) throw new UnauthenticatedError();
  return req.user;
}

/** The message a redirect left for the next page, shown once. */
export function takeFlash(req: Request): string | undefined {
  const flash = req.session.flash;
  delete req.session.flash;
  return flash;
}

const scopes = new WeakMap<Request, Promise<UnitScope>>();

/** The caller's unit scope, computed once per request. */
export function scopeOf(req: Request, db: Database): Promise<UnitScope> {
  let scope = scopes.get(req);
  if (!scope) {
    scope = loadUnitScope(db, currentUser(req));
    scopes.set(req, scope);
  }
  return scope;
}

const callers = new WeakMap<Request, Promise<Caller>>();

/** The Caller the services take, computed once per request. */
export function callerOf(req: Request, db: Database): Promise<Caller> {
  let caller = callers.get(req);
  if (!caller) {
    const user = currentUser(req);
    caller = Promise.all([scopeOf(req, db), unitAndEverythingAbove(db, user.unitId), committeeBodiesFor(db, user)]).then(([scope, servedUnitIds, committeeBodyIds]) => ({
      user, scope, servedUnitIds, committeeBodyIds, actor: actorOf(req),
    }));
    callers.set(req, caller);
  }
  return caller;
}

function parseCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a broken escape in a cookie must not break the error page that reads it
    }
  }
  return undefined;
}
