// Who reads the audit trail: administrators only. It names every account and what each did, across
// all units, so no unit's own staff reads it, not even for their own unit.
import type { SessionUser } from '../auth/user.ts';
import { ALLOWED, refuse, type Verdict } from '../policy.ts';

export { enforce } from '../policy.ts';

/** Only the role matters: the trail is the whole country's or nothing. */
export function canReadAudit(caller: { user: Pick<SessionUser, 'role'> }): Verdict {
  return caller.user.role === 'admin' ? ALLOWED : refuse('forbidden', 'forbidden', 'error.forbidden');
}
