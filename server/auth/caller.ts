// Who is acting, as every service sees it: the account, the units it sees and acts for, the units
// above it, and how its actions are audited. One shape for the web, the command line and the demo
// data; a service never looks at the request, the session or the interface language.
import type { Database } from '../db/database.ts';
import type { Actor } from '../audit/audit.ts';
import { committeeBodiesOf, loadUnitScope, unitAndEverythingAbove, type UnitScope } from './scope.ts';
import type { SessionUser } from './user.ts';

export interface Caller {
  user: SessionUser;
  /** The user's unit and the units under it: what the caller sees and acts for. */
  scope: UnitScope;
  /** The user's unit and the units above it: the issuing bodies whose rounds the caller takes part in. */
  servedUnitIds: readonly number[];
  /** A member's: the bodies whose committee the member sits on (the unit up to its province); none for other roles. */
  committeeBodyIds: readonly number[];
  /** Who the audit log names, and from where. */
  actor: Actor;
}

/**
 * What an administrator's action (units, accounts) needs of its Caller: only whom the audit names.
 * The route has checked the role; the command line acts as the system.
 */
export type AuditedCaller = Pick<Caller, 'actor'>;

/** The caller for an account, its unit tree read now (the web memoises one per request). */
export async function callerFor(db: Database, user: SessionUser, actor: Actor = { userId: user.id, ip: null }): Promise<Caller> {
  const [scope, servedUnitIds, committeeBodyIds] = await Promise.all([loadUnitScope(db, user), unitAndEverythingAbove(db, user.unitId), committeeBodiesFor(db, user)]);
  return { user, scope, servedUnitIds, committeeBodyIds, actor };
}

/** The bodies whose committee the user sits on: a member's unit up to its province; nothing for other roles. */
export function committeeBodiesFor(db: Database, user: Pick<SessionUser, 'role' | 'unitId'>): Promise<readonly number[]> {
  return user.role === 'member' ? committeeBodiesOf(db, user.unitId) : Promise.resolve([]);
}
