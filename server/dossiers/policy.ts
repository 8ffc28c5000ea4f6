// Who takes a dossier package away, and how big a package may be. A package holds nothing its taker
// could not already read file by file; it is for whoever acts on the nomination: the secretariat
// (or an administrator) of the body it was submitted to, the secretariat of the lower body that
// forwarded it, and, for one nomination, the staff of its own unit. Anyone else who merely sees it
// (a body above acting for nobody here) is answered as for any action on a body it does not act for: 404.
import type { Caller } from '../auth/caller.ts';
import { scopeIncludes } from '../auth/scope.ts';
import { canManageRound } from '../awards/policy.ts';
import { actsFor } from '../awards/viewer.ts';
import { ALLOWED, HIDDEN, refuse, type Verdict } from '../policy.ts';

export { enforce } from '../policy.ts';

/** The roles that package dossiers at all (the route guards say the same). */
export const NOMINATION_PACKAGERS = ['secretary', 'admin', 'agency'] as const;
export const ROUND_PACKAGERS = ['secretary', 'admin'] as const;

/** The statuses a round's package holds: what reached the body, not drafts nor what it turned down. */
export const PACKAGED_STATUSES = ['submitted', 'returned', 'approved'] as const;

/** Beyond these a round's package is refused (409 package_too_large): one nomination at a time instead. */
export const PACKAGE_LIMITS = { maxNominations: 500, maxBytes: 500 * 1024 * 1024 } as const;
export type PackageLimits = { maxNominations: number; maxBytes: number };

interface PackagedNomination {
  unit_id: number;
  issuing_unit_id: number;
  forwarding_unit_id: number | null;
}

/** One nomination's package: its body's secretariat, the secretariat that forwarded it, its own unit's staff. */
export function canPackageNomination(caller: Caller, nomination: PackagedNomination): Verdict {
  switch (caller.user.role) {
    case 'admin':
      return ALLOWED;
    case 'secretary':
      return actsFor(caller, nomination.issuing_unit_id) || (nomination.forwarding_unit_id !== null && actsFor(caller, nomination.forwarding_unit_id)) ? ALLOWED : HIDDEN;
    case 'agency':
      return scopeIncludes(caller.scope, nomination.unit_id) ? ALLOWED : HIDDEN;
    default:
      return refuse('forbidden', 'forbidden', 'error.forbidden');
  }
}

/** A round's package: whoever manages the round (its body's secretariat, an administrator). */
export function canPackageRound(caller: Caller, round: { issuing_unit_id: number }): Verdict {
  return canManageRound(caller, round);
}

/** Whether a round's package stays within the limits. */
export function packageFits(figures: { nominations: number; bytes: number }, limits: PackageLimits = PACKAGE_LIMITS): boolean {
  return figures.nominations <= limits.maxNominations && figures.bytes <= limits.maxBytes;
}
