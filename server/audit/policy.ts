// Who reads the audit trail: administrators only. It names every account and what each did, across
// all units, so no unit's own staff reads it, not even for their own unit.
import type { Caller } from '../auth/caller.ts';
import { ALLOWED, refuse, type Verdict } from '../policy.ts';

export { enforce } from '../policy.ts';

export function canReadAudit(caller: Pick<Caller, 'user'>): Verdict {
  return caller.user.role === 'admin' ? ALLOWED : refuse('forbidden', 'forbidden', 'error.forbidden');
}
