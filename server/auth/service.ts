// Signing in: checking credentials under throttling, and issuing API tokens.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { recordAction, type Actor } from '../audit/audit.ts';
import { AppError, RateLimitedError, UnauthenticatedError } from '../errors.ts';
import { hashForUnknownUser, verifyPassword } from './passwords.ts';
import * as repository from './repository.ts';
import { loginWaitSeconds } from './throttle.ts';
import type { SessionUser } from './user.ts';

export interface Credentials {
  username: string;
  password: string;
}

export class LoginFailedError extends AppError {
  constructor() {
    super('unauthenticated', 'login.failed', {}, 'login_failed');
  }
}

/**
 * Answers the user for valid credentials. The attempt is counted before its password is checked,
 * in one locked step, so simultaneous attempts cannot all slip under a limit; over a limit it is
 * refused with 429 unchecked. An unknown user and a wrong password are answered the same way and
 * in the same time.
 */
export async function authenticate(db: Database, config: Config, credentials: Credentials, actor: Actor): Promise<SessionUser> {
  const username = credentials.username.trim().toLowerCase();
  const ip = actor.ip ?? 'unknown';
  const limits = config.loginThrottle;
  const waitSeconds = await db.transaction().execute(async (trx) => {
    await repository.lockLoginKeys(trx, username, ip);
    const wait = loginWaitSeconds(await repository.recentLoginFailures(trx, username, ip, limits), limits);
    if (wait === 0) await repository.insertLoginAttempt(trx, username, ip);
    return wait;
  });
  if (waitSeconds > 0) throw new RateLimitedError('login_throttled', 'login.throttled', { minutes: Math.ceil(waitSeconds / 60) }, waitSeconds);

  // From here the attempt is a failure unless the password proves otherwise.
  const account = await repository.findUserForLogin(db, username);
  const passwordMatches = await verifyPassword(credentials.password, account?.password_hash ?? (await hashForUnknownUser()));
  const user = account && passwordMatches && !account.disabled_at ? await repository.findActiveSessionUser(db, account.id) : undefined;
  if (!user) throw new LoginFailedError();
  await db.transaction().execute(async (trx) => {
    await repository.recordLoginSuccess(trx, username, ip, limits.knownAddressDays);
    await recordAction(trx, { ...actor, userId: user.id }, { action: 'auth.login', entityType: 'user', entityId: user.id });
  });
  return user;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A bearer token for the API: 256 random bits, stored only as its SHA-256, valid API_TOKEN_DAYS. */
export async function issueApiToken(db: Database, config: Config, credentials: Credentials, actor: Actor) {
  const user = await authenticate(db, config, credentials, actor);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + config.apiTokenDays * 86_400_000);
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await repository.insertApiToken(trx, user.id, hashToken(token), expiresAt);
    await recordAction(trx, { ...actor, userId: user.id }, { action: 'token.create', entityType: 'api_token', entityId: inserted.id, after: { userId: user.id, expiresAt } });
    return inserted;
  });
  return { token, expiresAt: row.expires_at, user };
}

/**
 * The user of a valid token. Its last use is written at most once a minute: a write on every API
 * request would cost more than the rest of the lookup, and a minute is precise enough to audit.
 */
export async function userForToken(db: Database, token: string): Promise<SessionUser | undefined> {
  const found = await repository.findActiveToken(db, hashToken(token));
  if (!found) return undefined;
  if (!found.last_used_at || Date.now() - found.last_used_at.getTime() >= TOKEN_TOUCH_MS) await repository.touchApiToken(db, found.id);
  return found.user ?? undefined;
}

const TOKEN_TOUCH_MS = 60_000;

export async function revokeToken(db: Database, token: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await repository.revokeApiToken(trx, hashToken(token));
    if (!revoked) throw new UnauthenticatedError();
    await recordAction(trx, actor, { action: 'token.revoke', entityType: 'api_token', entityId: revoked.id });
  });
}
