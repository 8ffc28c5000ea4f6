// Passport wiring: username and password for the pages (session), bearer tokens for the API.
// The session holds only the user id; the user is reloaded on every request.
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { actorOf } from '../web/request.ts';
import { findActiveSessionUser } from './repository.ts';
import { authenticate, LoginFailedError, userForToken } from './service.ts';

export type Authenticator = InstanceType<typeof Passport>;

export function createAuthenticator(db: Database, config: Config): Authenticator {
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
  authenticator.deserializeUser((id: number, done) => {
    // false (not an error) for a deleted or disabled account: passport then drops the login.
    findActiveSessionUser(db, id, { withUnread: true }).then((user) => done(null, user ?? false), done);
  });

  return authenticator;
}
