// Login and logout pages, the language switch, and the session's absolute timeout.
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { ensureCsrfToken } from '../web/csrf.ts';
import { RateLimitedError, UnauthenticatedError, ValidationError } from '../errors.ts';
import { translate } from '../web/i18n/index.ts';
import { translateProblems } from '../web/errors.ts';
import { LANGUAGE_COOKIE, languageOf, takeFlash } from '../web/request.ts';
import { validate } from '../web/validate.ts';
import type { Authenticator } from './passport.ts';
import { loginFormSchema } from './schemas.ts';
import type { SessionUser } from './user.ts';
import { requireLogin } from './guards.ts';

/** Only same-site paths: an open redirect after login would be a phishing aid. */
function safeNextPath(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authPages(db: Database, config: Config, authenticator: Authenticator): Router {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    ensureCsrfToken(req, res);
    const flash = takeFlash(req);
    res.render('auth/login', { title: translate(languageOf(req), 'login.title'), values: { next: typeof req.query.next === 'string' ? req.query.next : '' }, flash });
  });

  router.post('/login', async (req, res) => {
    const language = languageOf(req);
    const renderLogin = (status: number, extra: Record<string, unknown>) => {
      ensureCsrfToken(req, res);
      res.status(status).render('auth/login', { title: translate(language, 'login.title'), values: { username: req.body?.username ?? '', next: req.body?.next ?? '' }, ...extra });
    };
    try {
      const input = validate(loginFormSchema, req.body, { form: true });
      const user = await new Promise<SessionUser | false>((resolve, reject) => {
        req.body = { ...req.body, username: input.username, password: input.password };
        authenticator.authenticate('local', (error: unknown, found: SessionUser | false) => (error ? reject(error) : resolve(found)))(req, res, reject);
      });
      if (!user) return renderLogin(401, { failure: translate(language, 'login.failed') });
      // passport regenerates the session here: a fixed session id cannot survive the login.
      await new Promise<void>((resolve, reject) => req.login(user, (error) => (error ? reject(error) : resolve())));
      req.session.loginAt = Date.now();
      res.redirect(303, safeNextPath(input.next));
    } catch (error) {
      if (error instanceof ValidationError) {
        const details = translateProblems(language, error.details);
        return renderLogin(422, { errors: Object.fromEntries(details.map((d) => [d.field, d.message])), errorList: details });
      }
      if (error instanceof RateLimitedError) {
        res.set('Retry-After', String(error.retryAfterSeconds));
        return renderLogin(429, { failure: translate(language, error.messageKey, error.params) });
      }
      throw error;
    }
  });

  router.post('/logout', requireLogin, async (req, res) => {
    // passport regenerates the session on logout too, dropping everything the old one held.
    await new Promise<void>((resolve, reject) => req.logout((error) => (error ? reject(error) : resolve())));
    req.session.flash = translate(languageOf(req), 'login.loggedOut');
    res.redirect(303, '/login');
  });

  // A display preference only (a cookie, no server state), so a plain link can switch it.
  router.get('/language/:language', (req, res) => {
    const language = req.params.language === 'en' ? 'en' : 'vi';
    res.cookie(LANGUAGE_COOKIE, language, { sameSite: 'lax', httpOnly: true, secure: config.env === 'production', maxAge: 365 * 86_400_000 });
    res.redirect(303, safeNextPath(req.query.next));
  });

  return router;
}

/** Ends sessions older than SESSION_ABSOLUTE_HOURS, however active they have been. */
export function absoluteSessionTimeout(config: Config) {
  const limit = config.sessionAbsoluteHours * 3_600_000;
  return async (req: Request, res: Response, next: (error?: unknown) => void) => {
    if (req.user && req.session && !req.session.loginAt) req.session.loginAt = Date.now(); // a session saved before the login time was written
    const loginAt = req.session?.loginAt;
    if (req.user && req.session && loginAt && Date.now() - loginAt > limit) {
      await new Promise<void>((resolve, reject) => req.logout((error) => (error ? reject(error) : resolve())));
      req.session.flash = translate(languageOf(req), 'login.expired');
      if (req.originalUrl.startsWith('/api/')) return next(new UnauthenticatedError());
      return res.redirect(303, '/login');
    }
    next();
  };
}
