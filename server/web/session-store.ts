// express-session's store in PostgreSQL (the `sessions` table), so any app process can serve any
// request and sessions survive a restart. Expired rows are ignored on read and pruned now and then.
import session from 'express-session';
import type { Database } from '../db/database.ts';

type Callback<T = void> = (error?: unknown, value?: T) => void;

export class PostgresSessionStore extends session.Store {
  private lastPrune = 0;

  constructor(
    private readonly db: Database,
    private readonly idleMilliseconds: number,
  ) {
    super();
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    this.db
      .selectFrom('sessions')
      .select('data')
      .where('sid', '=', sid)
      .where('expires_at', '>', new Date())
      .executeTakeFirst()
      .then((row) => callback(undefined, (row?.data as session.SessionData | undefined) ?? null), callback);
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
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
    this.db
      .updateTable('sessions')
      .set({ expires_at: this.expiryOf(data) })
      .where('sid', '=', sid)
      .execute()
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
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
