// Who is looking at awards, and which records that lets them see or act on. Everyone sees the rounds
// of the bodies above their unit (to take part in them) and of the bodies in their scope. Acting for
// an issuing body (managing its rounds, deciding, printing) needs the body inside the viewer's own
// scope: its unit or one under it, never one above. A nomination is read by its own units, by whoever
// acts for its body, and by the body's committee, never another unit's draft. Administrators see everything.
// The rules answer unit ids; awards/repository.ts writes them as SQL conditions (roundVisible, ...).
import type { Caller } from '../auth/caller.ts';
import { scopedUnitIds, scopeIncludes } from '../auth/scope.ts';

/** The issuing units whose rounds the viewer sees: those it serves and those under it; null for all. */
export function roundUnitIds(viewer: Caller): readonly number[] | null {
  const scoped = scopedUnitIds(viewer.scope);
  return scoped === null ? null : [...new Set([...viewer.servedUnitIds, ...scoped])];
}

/** The one rule for acting in an issuing body's name: the body is the viewer's unit or under it. */
export function actsFor(viewer: Caller, issuingUnitId: number): boolean {
  return scopeIncludes(viewer.scope, issuingUnitId);
}

/**
 * A member sits on the committee of the bodies at or above their unit up to their province (the
 * body's committee units hold the member), not on the centre's: a province is a level of its own.
 */
function onCommitteeOf(viewer: Caller): readonly number[] {
  return viewer.user.role === 'member' ? viewer.committeeBodyIds : [];
}

/**
 * Which nominations the viewer reads; null for all. An agency reads its own units' nominations,
 * drafts included (`submittedToBodyIds` null). Anyone else reads, beyond its own units, what was
 * submitted to a body it acts for or sits on the committee of, and no draft: a unit's draft is its
 * own until submitted.
 */
export function nominationReach(viewer: Caller): { ownUnitIds: readonly number[]; submittedToBodyIds: readonly number[] | null } | null {
  const scoped = scopedUnitIds(viewer.scope);
  if (scoped === null) return null;
  if (viewer.user.role === 'agency') return { ownUnitIds: scoped, submittedToBodyIds: null };
  return { ownUnitIds: scoped, submittedToBodyIds: [...scoped, ...onCommitteeOf(viewer)] };
}
