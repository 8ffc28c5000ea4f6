// Who does what with criteria sets: the body's secretariat (or an administrator) writes sets and
// recognises from the results; the body's committee members score, never a model of their own unit
// (or of a unit merged into it), never their own unit; the secretariat and the committee read the
// work and the results. A unit a set scores sees the set and writes its own self-assessment, and
// nothing of the others'. Others do not see a set (404).
import type { Caller } from '../auth/caller.ts';
import { actsFor } from '../awards/viewer.ts';
import { ALLOWED, HIDDEN, refuse, type Verdict } from '../policy.ts';

export function canManageSets(caller: Caller, issuingUnitId?: number): Verdict {
  if (caller.user.role !== 'secretary' && caller.user.role !== 'admin') return refuse('forbidden', 'secretary_only', 'awards.secretaryOnly');
  return issuingUnitId === undefined || actsFor(caller, issuingUnitId) ? ALLOWED : HIDDEN;
}

/** The secretariat and the committee: every subject, every score, the results. */
export function canReadWork(caller: Caller, issuingUnitId: number): boolean {
  return actsFor(caller, issuingUnitId) || caller.committeeBodyIds.includes(issuingUnitId);
}

/** A unit's staff under a body whose set scores units: the unit assesses itself (whether it is scored is the set's kinds). */
function selfAssessor(caller: Caller, set: { issuing_unit_id: number; subject: 'models' | 'units' }): boolean {
  return caller.user.role === 'agency' && set.subject === 'units' && caller.user.unitId !== set.issuing_unit_id && caller.servedUnitIds.includes(set.issuing_unit_id);
}

export function canSeeSet(caller: Caller, set: { issuing_unit_id: number; subject: 'models' | 'units' }): boolean {
  return canReadWork(caller, set.issuing_unit_id) || selfAssessor(caller, set);
}

export function assessesOwnUnit(caller: Caller, set: { issuing_unit_id: number; subject: 'models' | 'units' }): Verdict {
  return selfAssessor(caller, set) ? ALLOWED : refuse('forbidden', 'agency_only', 'evaluation.selfOnly');
}

export function canScore(caller: Caller, context: { onCommittee: boolean; modelUnitIds: readonly number[] }): Verdict {
  if (caller.user.role !== 'member') return refuse('forbidden', 'members_only', 'awards.membersOnly');
  if (!context.onCommittee) return refuse('forbidden', 'not_on_committee', 'awards.notOnCommittee');
  if (context.modelUnitIds.includes(caller.user.unitId)) return refuse('forbidden', 'own_unit_score', 'evaluation.ownUnit');
  return ALLOWED;
}

/** Scores are taken inside the set's window, when it has one. */
export function windowOpen(set: { opens_on: string | null; closes_on: string | null }, today: string): Verdict {
  if ((set.opens_on && today < set.opens_on) || (set.closes_on && today > set.closes_on)) return refuse('conflict', 'evaluation_closed', 'evaluation.closed');
  return ALLOWED;
}
