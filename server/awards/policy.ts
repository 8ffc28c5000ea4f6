// Who may do what to rounds and nominations, as named rules that also say why not: a page uses
// them to explain a missing button, the service uses the same rule to refuse (403 or 409).
export { enforce, refusal, type Verdict } from '../policy.ts';
import { scopeIncludes } from '../auth/scope.ts';
import { ALLOWED, HIDDEN, refuse, type Verdict } from '../policy.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import { isEditable, type NominationStatus } from './status.ts';
import type { Caller } from '../auth/caller.ts';
import { actsFor } from './viewer.ts';

interface RoundState {
  status: string;
  closes_on: string;
  public_comment?: boolean;
  published_at?: Date | null;
}

/** Opening, reviewing, returning, closing and deciding are the secretariat's work. */
export function canManageRounds(viewer: Caller): Verdict {
  return viewer.user.role === 'secretary' || viewer.user.role === 'admin' ? ALLOWED : refuse('forbidden', 'secretary_only', 'awards.secretaryOnly');
}

/**
 * Managing one body's round (publish, return, close, decide): the secretariat's role, for a body
 * inside the viewer's own scope. A body above the viewer's unit answers 404.
 */
export function canManageRound(viewer: Caller, round: { issuing_unit_id: number }): Verdict {
  const role = canManageRounds(viewer);
  if (!role.allowed) return role;
  return actsFor(viewer, round.issuing_unit_id) ? ALLOWED : HIDDEN;
}

/** Who voted what is for whoever manages the round; everyone else sees their own vote only. */
export function canSeeVotes(viewer: Caller, round: { issuing_unit_id: number }): boolean {
  return canManageRound(viewer, round).allowed;
}

/**
 * The running tally while a round is open is for whoever manages it; once closed, the tally is the
 * round's result, shown to the committee and printing staff (agency staff see the outcome only).
 */
export function canSeeTally(viewer: Caller, round: { status: string; issuing_unit_id: number }): boolean {
  return canSeeVotes(viewer, round) || (round.status !== 'open' && viewer.user.role !== 'agency');
}

/** Units put their own collectives and people forward. */
export function canNominate(viewer: Caller): Verdict {
  return viewer.user.role === 'agency' || viewer.user.role === 'admin' ? ALLOWED : refuse('forbidden', 'agency_only', 'awards.agencyOnly');
}

export function roundOpen(round: RoundState): Verdict {
  return round.status === 'open' ? ALLOWED : refuse('conflict', 'round_closed', 'awards.roundClosed');
}

/** Nominations are submitted to an open round up to and including its closing date (Vietnam time). */
export function roundAccepts(round: RoundState): Verdict {
  if (round.status !== 'open') return refuse('conflict', 'round_closed', 'awards.roundClosed');
  return todayInVietnam() <= round.closes_on ? ALLOWED : refuse('conflict', 'round_past_closing', 'awards.roundPastClosing');
}

/** Closing cuts off submissions: before the closing date has passed, only on purpose (early, with a reason). */
export function canCloseNow(round: { closes_on: string }, early: boolean, today: string): Verdict {
  return early || today > round.closes_on ? ALLOWED : refuse('conflict', 'round_still_open', 'awards.roundStillOpen');
}

/** A closed round opens again only while no decision names it and nothing of it went up a level. */
export function canReopen(state: { decided: boolean; forwarded: boolean }): Verdict {
  if (state.decided) return refuse('conflict', 'round_decided', 'awards.roundDecided');
  return state.forwarded ? refuse('conflict', 'already_forwarded', 'awards.reopenForwarded') : ALLOWED;
}

export function roundClosed(round: RoundState): Verdict {
  return round.status === 'closed' ? ALLOWED : refuse('conflict', 'round_not_closed', 'awards.roundNotClosed');
}

export function canPublish(round: RoundState): Verdict {
  if (!round.public_comment) return refuse('conflict', 'no_public_comment', 'awards.noPublicComment');
  if (round.published_at) return refuse('conflict', 'already_published', 'awards.alreadyPublished');
  return roundOpen(round);
}

/** Who works on dossiers at all: a unit's staff for its own, the secretariat for the ones it forwarded. */
export function canKeepDossiers(viewer: Caller): Verdict {
  return ['agency', 'admin', 'secretary'].includes(viewer.user.role) ? ALLOWED : refuse('forbidden', 'agency_only', 'awards.agencyOnly');
}

interface DossierState {
  unit_id: number;
  status: string;
  /** The lower body that forwarded it, for a nomination forwarded from below; else null. */
  forwarding_unit_id: number | null;
}

/**
 * A nomination can be changed while it is a draft or has been returned: by its own unit's staff, or,
 * once forwarded from below, by the secretariat of the body that forwarded it (the upper body returns
 * it to that body, which fixes it and sends it again).
 */
export function canEdit(viewer: Caller, nomination: DossierState): Verdict {
  if (nomination.forwarding_unit_id !== null) {
    const keeper = (viewer.user.role === 'secretary' || viewer.user.role === 'admin') && actsFor(viewer, nomination.forwarding_unit_id);
    if (!keeper) return refuse('forbidden', 'forwarded_dossier', 'awards.forwardedDossier');
  } else {
    if (viewer.user.role !== 'agency' && viewer.user.role !== 'admin') return refuse('forbidden', 'agency_only', 'awards.agencyOnly');
    if (!scopeIncludes(viewer.scope, nomination.unit_id)) return refuse('forbidden', 'not_your_unit', 'awards.notYourUnit');
  }
  return isEditable(nomination.status as NominationStatus) ? ALLOWED : refuse('conflict', 'not_editable', 'awards.notEditable');
}

/** Sending a nomination up: the secretariat of its body, once the body's committee has approved it. */
export function canForward(viewer: Caller, nomination: { status: string; issuing_unit_id: number }): Verdict {
  const manage = canManageRound(viewer, nomination);
  if (!manage.allowed) return manage;
  return nomination.status === 'approved' ? ALLOWED : refuse('conflict', 'not_forwardable', 'awards.notForwardable');
}

interface VoteContext {
  status: NominationStatus;
  round: RoundState;
  /** Whether the body's committee lists the viewer. */
  onCommittee: boolean;
  /** The nominating unit as it is today and the units under and merged into it: their members may not vote on it. */
  nominatingUnitIds: readonly number[];
}

/** Only the body's committee votes, never on its own unit's nominee, while the round is open. */
/** A member who stood aside on a nomination does not vote on it. */
export function notRecused(recused: boolean): Verdict {
  return recused ? refuse('conflict', 'recused', 'awards.recused') : ALLOWED;
}

export function canVote(viewer: Caller, context: VoteContext): Verdict {
  if (viewer.user.role !== 'member') return refuse('forbidden', 'members_only', 'awards.membersOnly');
  if (!context.onCommittee) return refuse('forbidden', 'not_on_committee', 'awards.notOnCommittee');
  if (context.nominatingUnitIds.includes(viewer.user.unitId)) return refuse('forbidden', 'own_unit_vote', 'awards.ownUnitVote');
  if (context.round.status !== 'open') return refuse('conflict', 'round_closed', 'awards.roundClosed');
  return context.status === 'submitted' ? ALLOWED : refuse('conflict', 'not_submitted', 'awards.notSubmitted');
}
