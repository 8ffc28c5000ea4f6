// Who has a decision signed with the body's USB token: the secretariat of the issuing body (or an
// administrator), as it has the decision issued; a body outside one's scope is out of sight (404).
import type { Caller } from '../auth/caller.ts';
import { actsFor } from '../awards/viewer.ts';
import { ALLOWED, HIDDEN, refuse, type Verdict } from '../policy.ts';

export function canHaveSigned(caller: Caller, issuingUnitId?: number): Verdict {
  if (caller.user.role !== 'secretary' && caller.user.role !== 'admin') return refuse('forbidden', 'secretary_only', 'awards.secretaryOnly');
  return issuingUnitId === undefined || actsFor(caller, issuingUnitId) ? ALLOWED : HIDDEN;
}
