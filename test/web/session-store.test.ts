// The session store's idle end (server/web/session-store.ts): a touch moves expires_at on, but at most
// once a minute per session and process, so most page requests read their session and write nothing.
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type session from 'express-session';
import { PostgresSessionStore } from '../../server/web/session-store.ts';
import { db } from '../support/context.ts';

const IDLE = 60 * 60_000;
const data = { cookie: { originalMaxAge: null } } as unknown as session.SessionData;
const call = (run: (done: (error?: unknown) => void) => void) => new Promise<void>((resolve, reject) => run((error) => (error ? reject(error) : resolve())));
const expiresAt = async (sid: string) => new Date((await db().selectFrom('sessions').select('expires_at').where('sid', '=', sid).executeTakeFirstOrThrow()).expires_at).getTime();

describe('the session store\'s idle end', () => {
  it('moves expires_at on at a touch, then writes nothing for the rest of the interval', async () => {
    const store = new PostgresSessionStore(db(), IDLE, 60_000);
    const sid = randomUUID();
    await call((done) => store.set(sid, data, done));
    const soon = new Date(Date.now() + 5_000);
    await db().updateTable('sessions').set({ expires_at: soon }).where('sid', '=', sid).execute();
    await call((done) => store.touch(sid, data, done));
    expect(await expiresAt(sid), 'a touch right after the save writes nothing').to.equal(soon.getTime());

    const eager = new PostgresSessionStore(db(), IDLE, 0); // another process, or the interval over
    await call((done) => eager.touch(sid, data, done));
    expect(await expiresAt(sid), 'a touch after the interval moves the end on').to.be.greaterThan(Date.now() + IDLE - 60_000);
  });
});
