// The life of a nomination: draft -> submitted -> approved | rejected when the round closes, with
// returned (to its unit, with a reason) -> submitted again, and approved | rejected -> submitted when
// the round is reopened before its decision. This table is the only place moves are allowed.
export const NOMINATION_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'rejected'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export const NOMINEE_KINDS = ['collective', 'individual'] as const;
export type NomineeKind = (typeof NOMINEE_KINDS)[number];

export const GENDERS = ['female', 'male'] as const;
export type Gender = (typeof GENDERS)[number];

export const VOTES = ['approve', 'reject'] as const;
export type Vote = (typeof VOTES)[number];

export const ROUND_STATUSES = ['open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

export type NominationMove = 'submit' | 'return' | 'approve' | 'reject' | 'reopen';

const TRANSITIONS: Record<NominationMove, { from: readonly NominationStatus[]; to: NominationStatus }> = {
  submit: { from: ['draft', 'returned'], to: 'submitted' },
  return: { from: ['submitted'], to: 'returned' },
  approve: { from: ['submitted'], to: 'approved' },
  reject: { from: ['submitted'], to: 'rejected' },
  // A round reopened before its decision: its outcomes are undone and the committee votes on.
  reopen: { from: ['approved', 'rejected'], to: 'submitted' },
};

export function canMove(from: NominationStatus, move: NominationMove): boolean {
  return TRANSITIONS[move].from.includes(from);
}

export function targetOf(move: NominationMove): NominationStatus {
  return TRANSITIONS[move].to;
}

export function sourcesOf(move: NominationMove): readonly NominationStatus[] {
  return TRANSITIONS[move].from;
}

/** The nominating unit may change its nomination only while it is in its hands. */
export function isEditable(status: NominationStatus): boolean {
  return status === 'draft' || status === 'returned';
}
