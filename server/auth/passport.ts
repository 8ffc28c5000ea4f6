// Passport wiring: username and password for the pages (session), bearer tokens for the API.
// The session holds only the user id; the user is reloaded on every request (with the session, in
// the same query, when the session store could).
import type { IncomingMessage } from 'node:http';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { actorOf } from '../web/request.ts';
import type { PostgresSessionStore } from '../web/session-store.ts';
import { findActiveSessionUser } from './repository.ts';
import { authenticate, LoginFailedError, userForToken } from './service.ts';

export type Authenticator = InstanceType<typeof Passport>;

export function createAuthenticator(db: Database, config: Config, sessions?: PostgresSessionStore): Authenticator {
  const authenticator = new Passport();

  authenticator.use(
    'local',
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      authenticate(db, config, { username, password }, actorOf(req)).then(
        (user) => done(null, user),
        (error) => (error instanceof LoginFailedError ? done(null, false) : done(error)),
      );
    }),
  );

  authenticator.use(
    'bearer',
    new BearerStrategy((token, done) => {
      userForToken(db, token).then((user) => done(null, user ?? false), done);
    }),
  );

  authenticator.serializeUser((user, done) => done(null, user.id));
  authenticator.deserializeUser((req: IncomingMessage, id: number, done: (error: unknown, user?: Express.User | false) => void) => {
    // false (not an error) for a deleted or disabled account: passport then drops the login.
    // The session store read the user with the session (one query); otherwise it is read here.
    const read = sessions?.takeUser((req as IncomingMessage & { sessionID: string }).sessionID);
    if (read !== undefined && (read === null || read.id === id)) return done(null, read ?? false);
    findActiveSessionUser(db, id, { withUnread: true }).then((user) => done(null, user ?? false), done);
  });

  return authenticator;
}
