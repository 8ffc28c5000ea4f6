// express-session's store in PostgreSQL (the `sessions` table), so any app process can serve any
// request and sessions survive a restart. Expired rows are ignored on read and pruned now and then.
import session from 'express-session';
import type { Database } from '../db/database.ts';
import { findSessionWithUser } from '../auth/repository.ts';
import type { SessionUser } from '../auth/user.ts';

type Callback<T = void> = (error?: unknown, value?: T) => void;

/**
 * How often one session's idle end is moved on: a request within this time of the last move writes
 * nothing (the idle timeout is then up to this much shorter, never longer), so a page costs one read of
 * its session, not a read and a write (issue 23, bench/load.ts).
 */
export const TOUCH_INTERVAL_MS = 60_000;
/** The sessions whose last touch this process remembers; beyond it the memory starts again (a touch too many, never one too few). */
const TOUCHES_REMEMBERED = 20_000;
/** Users read with their sessions and not yet taken (a request that ended before passport ran); beyond it the map starts again. */
const USERS_KEPT = 10_000;

export class PostgresSessionStore extends session.Store {
  private lastPrune = 0;
  /** When this process last moved each session's idle end on. */
  private readonly touchedAt = new Map<string, number>();
  /** The user read with each session, until the request's deserializer takes it. */
  private readonly usersRead = new Map<string, SessionUser | null>();

  constructor(
    private readonly db: Database,
    private readonly idleMilliseconds: number,
    private readonly touchInterval: number = TOUCH_INTERVAL_MS,
  ) {
    super();
  }

  /**
   * Reads the session and, in the same query, its signed-in user (active, with the bell's count): passport's
   * deserializer takes the user from here (takeUser) instead of asking the database again (issue 23).
   */
  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    findSessionWithUser(this.db, sid, new Date()).then((found) => {
      // Only when the row names the same account as its data (a row written before user_id was kept names none).
      if (found && found.userId !== null && found.userId === userIdOf(found.data as session.SessionData)) {
        if (this.usersRead.size >= USERS_KEPT) this.usersRead.clear();
        this.usersRead.set(sid, found.user);
      }
      callback(undefined, (found?.data as session.SessionData | undefined) ?? null);
    }, callback);
  }

  /**
   * The user read with this session in this request (null: disabled or gone), once; undefined when it
   * was not read here (the deserializer then asks the database).
   */
  takeUser(sid: string): SessionUser | null | undefined {
    const user = this.usersRead.get(sid);
    this.usersRead.delete(sid);
    return user;
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    this.touchedAt.set(sid, Date.now()); // a save moves the idle end on too
    const row = { data: JSON.stringify(data), expires_at: this.expiryOf(data), user_id: userIdOf(data) };
    this.db
      .insertInto('sessions')
      .values({ sid, ...row })
      .onConflict((conflict) => conflict.column('sid').doUpdateSet(row))
      .execute()
      .then(() => this.pruneNowAndThen())
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    const now = Date.now();
    if (now - (this.touchedAt.get(sid) ?? 0) < this.touchInterval) return callback?.();
    if (this.touchedAt.size >= TOUCHES_REMEMBERED) this.touchedAt.clear();
    this.touchedAt.set(sid, now);
    this.db
      .updateTable('sessions')
      .set({ expires_at: this.expiryOf(data) })
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.touchedAt.delete(sid);
    this.db
      .deleteFrom('sessions')
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), (error) => callback?.(error));
  }

  private expiryOf(data: session.SessionData): Date {
    const cookieExpiry = data.cookie?.expires ? new Date(data.cookie.expires) : undefined;
    return cookieExpiry ?? new Date(Date.now() + this.idleMilliseconds);
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < 10 * 60_000) return;
    this.lastPrune = Date.now();
    await this.db.deleteFrom('sessions').where('expires_at', '<', new Date()).execute();
  }
}

function userIdOf(data: session.SessionData): number | null {
  const user = (data as { passport?: { user?: unknown } }).passport?.user;
  return typeof user === 'number' ? user : null;
}
