// Who keeps a body's committee list: an administrator, or the secretariat of a body inside its own
// scope (the same rule as acting for the body in its rounds). A body above or beside is out of sight.
import type { Caller } from '../auth/caller.ts';
import { actsFor } from '../awards/viewer.ts';
import { ALLOWED, HIDDEN, refuse, type Verdict } from '../policy.ts';

export { enforce } from '../policy.ts';

/** Reading and changing a body's committee: the admin, or a secretary acting for the body. */
export function canKeepCommittee(caller: Caller, bodyId: number): Verdict {
  if (caller.user.role === 'admin') return ALLOWED;
  if (caller.user.role !== 'secretary') return refuse('forbidden', 'secretary_only', 'awards.secretaryOnly');
  return actsFor(caller, bodyId) ? ALLOWED : HIDDEN;
}
