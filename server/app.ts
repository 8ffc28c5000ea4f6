// Builds the Express application from its dependencies: middleware in order, each feature's
// pages and API, and the error handler last. No listening, no process concerns: see main.ts.
import { setPasswordHashCost } from './auth/passwords.ts';
import express, { type Express } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { createAuthenticator } from './auth/passport.ts';
import { authApi } from './auth/api.ts';
import { absoluteSessionTimeout, authPages } from './auth/pages.ts';
import { homePages } from './home/pages.ts';
import { awardPages, publicAwardPages } from './awards/pages.ts';
import { awardApi } from './awards/api.ts';
import { dossierApi } from './dossiers/api.ts';
import { dossierPages } from './dossiers/pages.ts';
import { documentApi } from './documents/api.ts';
import { documentPages } from './documents/pages.ts';
import type { CertificateRenderer } from './certificates/rendering/renderer.ts';
import type { JobQueue } from './jobs/queue.ts';
import { certificateApi } from './certificates/api.ts';
import { certificatePages, verificationRoutes } from './certificates/pages.ts';
import { credentialApi, didRoutes } from './credentials/api.ts';
import { loadSigners } from './signatures/signers.ts';
import { signingApi } from './signatures/api.ts';
import { signingPages } from './signatures/pages.ts';
import { evaluationApi } from './evaluation/api.ts';
import { evaluationPages } from './evaluation/pages.ts';
import { PRINTING_ROLES } from './certificates/policy.ts';
import { reportApi } from './reports/api.ts';
import { reportPages } from './reports/pages.ts';
import { modelApi } from './models/api.ts';
import { modelPages } from './models/pages.ts';
import { ImportGate } from './models/import-runner.ts';
import { modelTransferApi, modelTransferPages } from './models/transfer-routes.ts';
import { unitApi } from './units/api.ts';
import { committeeApi } from './committees/api.ts';
import { taskApi } from './tasks/api.ts';
import { committeePages } from './committees/pages.ts';
import { unitPages } from './units/pages.ts';
import { accountApi } from './account/api.ts';
import { accountPages } from './account/pages.ts';
import { userApi } from './users/api.ts';
import { auditApi } from './audit/api.ts';
import { auditPages } from './audit/pages.ts';
import { userPages } from './users/pages.ts';
import { notificationApi } from './notifications/api.ts';
import { bellCount, notificationPages } from './notifications/pages.ts';
import { csrfProtection } from './web/csrf.ts';
import { errorHandler, notFoundHandler } from './web/error-handler.ts';
import { inLanguage, translate } from './web/i18n/index.ts';
import { languageOf } from './web/request.ts';
import { PostgresSessionStore } from './web/session-store.ts';
import { normaliseText } from './web/validate.ts';
import { createViewEngine, VIEWS_DIR } from './web/views.ts';
import { healthRoutes } from './ops/health.ts';
import { createLogger, requestLogger } from './ops/logging.ts';

export interface AppDependencies {
  config: Config;
  db: Database;
  /** The process's PDF renderer; undefined when no Chromium was found (printing then answers 503). */
  renderer?: CertificateRenderer;
  /** The job queue (pg-boss) print jobs are sent to. */
  queue?: JobQueue;
  /** The e-mail dispatcher (SMTP_URL set): woken after every write that succeeded, to send what it wrote. */
  mail?: { wake(): void };
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createApp({ config, db, renderer, queue, mail }: AppDependencies): Express {
  // Opened once: a wrong password or a broken key file stops the start with a clear line.
  const signers = loadSigners(config.signing);
  const certificates = { db, renderer, queue, publicUrl: config.publicUrl, signers };
  const verification = verificationRoutes(certificates);
  setPasswordHashCost(config.passwordHashCost);
  const imports = new ImportGate(config.imports); // one per process: the pages and the API share its slots
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.engine('hbs', createViewEngine({ cache: config.env === 'production' }));
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  app.set('query parser', 'simple'); // no nested objects from ?a[b]=c
  // Probes first: no session, no cookie, no request log line for each probe.
  app.use(healthRoutes({ db, chromium: () => renderer !== undefined }));
  app.use(requestLogger(createLogger(config)));

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], formAction: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"], upgradeInsecureRequests: config.env === 'production' ? [] : null },
      },
      strictTransportSecurity: config.env === 'production',
    }),
  );
  app.use('/assets', express.static(join(VIEWS_DIR, 'assets'), { maxAge: config.env === 'production' ? '1d' : 0 }));
  // Browsers ask for /favicon.ico on their own; answered here, before the session, it touches no session.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/assets/favicon.svg'));
  app.use(didRoutes({ db, publicUrl: config.publicUrl })); // public, and no session either

  if (mail) {
    // A response goes out after its transaction committed: the notifications it wrote can be e-mailed now.
    app.use((req, res, next) => {
      if (!READS.has(req.method)) res.on('finish', () => res.statusCode < 400 && mail.wake());
      next();
    });
  }

  app.use(express.json({ limit: '200kb' }));
  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use((req, _res, next) => {
    if (req.body) req.body = normaliseText(req.body); // NFC once, at the edge
    next();
  });

  const sessions = new PostgresSessionStore(db, config.sessionIdleMinutes * 60_000);
  const authenticator = createAuthenticator(db, config, sessions);

  // The JSON API: bearer tokens only, so no cookies, sessions or CSRF tokens are involved.
  const api = express.Router();
  api.use((req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (!req.get('authorization')) return next();
    authenticator.authenticate('bearer', { session: false }, (error: unknown, user: Express.User | false) => {
      if (error) return next(error);
      if (user) req.user = user;
      next();
    })(req, res, next);
  });
  api.use((req, _res, next) => inLanguage(languageOf(req), next));
  api.use(authApi(db, config));
  api.use(unitApi(db));
  api.use(committeeApi(db));
  api.use(taskApi(db));
  api.use(notificationApi(db));
  api.use(userApi(db));
  api.use(accountApi(db));
  api.use(auditApi(db));
  api.use(modelTransferApi(db, imports)); // before modelApi, whose /models/:id would take /models/export.csv
  api.use(modelApi(db));
  api.use(awardApi(db));
  api.use(dossierApi(db));
  api.use(documentApi({ db, renderer, signers }));
  api.use(signingApi({ db, renderer, publicUrl: config.publicUrl })); // its two one-time addresses need no token
  api.use(verification.api); // public: no token needed
  api.use(credentialApi({ db, publicUrl: config.publicUrl }));
  api.use(certificateApi(certificates));
  api.use(evaluationApi(db));
  api.use(reportApi(db));
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  // The pages: a session in PostgreSQL, passport, CSRF on every form.
  app.use(
    session({
      name: 'dvk.sid',
      secret: config.sessionSecret,
      store: sessions,
      resave: false,
      saveUninitialized: false,
      // A browser-session cookie, set only when the session is new or changed. The idle timeout lives in
      // the store (every request moves the row's expires_at on: PostgresSessionStore.touch), not in the
      // cookie: a rolling cookie re-sent on every answer let a request still in flight at logout (the
      // tab's favicon, an image) put the destroyed session's id back into the browser after the new one.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.env === 'production' },
    }),
  );
  // Save the session before a redirect leaves: the browser follows a 303 as soon as it sees the
  // headers, and on a pooled PostgreSQL its next request could read the session before the flash
  // message (or the login) was written.
  app.use((req, res, next) => {
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      if (!req.session) return redirect(...args);
      req.session.save((error) => (error ? next(error) : redirect(...args)));
    }) as typeof res.redirect;
    next();
  });
  app.use(authenticator.session());
  app.use(absoluteSessionTimeout(config));
  app.use((req, res, next) => {
    const lang = languageOf(req);
    res.locals.lang = lang;
    res.locals.user = req.user;
    res.locals.isAdmin = req.user?.role === 'admin';
    res.locals.printsCertificates = req.user !== undefined && PRINTING_ROLES.includes(req.user.role); // the print job history in the navigation
    res.locals.currentPath = req.originalUrl;
    res.locals.otherLanguage = lang === 'vi' ? 'en' : 'vi';
    res.locals.appName = translate(lang, 'app.name');
    res.set('Cache-Control', 'no-store');
    inLanguage(lang, next); // numbers read and written the reader's way for the rest of the request
  });
  app.use(bellCount(db));
  app.use(csrfProtection);
  app.use(authPages(db, config, authenticator));
  app.use(notificationPages(db));
  app.use(accountPages(db));
  app.use(homePages(db));
  app.use(unitPages(db));
  app.use(committeePages(db));
  app.use(userPages(db));
  app.use(auditPages(db));
  app.use(modelTransferPages(db, imports));
  app.use(modelPages(db));
  app.use(awardPages(db));
  app.use(dossierPages(db));
  app.use(documentPages({ db, renderer, signers }));
  app.use(signingPages({ db, renderer, publicUrl: config.publicUrl }));
  app.use(publicAwardPages(db));
  app.use(verification.pages);
  app.use(certificatePages(certificates));
  app.use(evaluationPages(db));
  app.use(reportPages(db, renderer));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
