// Who prints, reissues and revokes certificates: the printing roles, for an issuing body inside the
// caller's own scope (a body above the caller's unit is out of sight: 404).
import type { Caller } from '../auth/caller.ts';
import type { Role } from '../auth/user.ts';
import { actsFor } from '../awards/viewer.ts';
import { ALLOWED, HIDDEN, refuse, type Verdict } from '../policy.ts';

export const PRINTING_ROLES: readonly Role[] = ['printer', 'secretary', 'admin'];

/** Whether the role prints at all (a model's certificate, the print buttons). */
export function canPrint(caller: Pick<Caller, 'user'>): Verdict {
  return PRINTING_ROLES.includes(caller.user.role) ? ALLOWED : refuse('forbidden', 'printers_only', 'certificates.printersOnly');
}

/** Revoking withdraws an award: the secretariat's act (or an administrator's), never the printing room's. */
export function canRevoke(caller: Pick<Caller, 'user'>): Verdict {
  return caller.user.role === 'secretary' || caller.user.role === 'admin' ? ALLOWED : refuse('forbidden', 'revoke_secretary_only', 'certificates.revokeSecretaryOnly');
}

/** Correcting (đính chính) changes what an award says: the secretariat's act, like revoking. */
export function canCorrect(caller: Pick<Caller, 'user'>): Verdict {
  return caller.user.role === 'secretary' || caller.user.role === 'admin' ? ALLOWED : refuse('forbidden', 'secretary_only', 'awards.secretaryOnly');
}

/** Printing, reissuing and revoking a body's certificates: the printing roles, for a body in scope. */
export function canPrintFor(caller: Caller, issuingUnitId: number): Verdict {
  const role = canPrint(caller);
  if (!role.allowed) return role;
  return actsFor(caller, issuingUnitId) ? ALLOWED : HIDDEN;
}
