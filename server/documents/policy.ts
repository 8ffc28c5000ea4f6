// Who keeps a body's document settings and who takes its proposal: the body's secretariat (a
// secretary acting for the body, or an administrator), as for managing its rounds; a body above or
// beside is out of sight (404). The decision's documents are read by whoever sees the decision.
import type { Caller } from '../auth/caller.ts';
import { canManageRound } from '../awards/policy.ts';
import type { Verdict } from '../policy.ts';

export { enforce } from '../policy.ts';

export function canKeepDocumentSettings(caller: Caller, bodyId: number): Verdict {
  return canManageRound(caller, { issuing_unit_id: bodyId });
}
