// The committee's voting rule, a setting of each round. The default, from the committee's
// regulations: approved when at least two thirds of the eligible members voted and more than half
// of those who voted approve. Integer arithmetic only, so 2/3 of 9 members is exactly 6.
export interface VotingRule {
  quorumNum: number;
  quorumDen: number;
  approvalNum: number;
  approvalDen: number;
  /** "more than" (true) or "at least" (false) the approval share. */
  approvalStrict: boolean;
}

export const DEFAULT_RULE: VotingRule = { quorumNum: 2, quorumDen: 3, approvalNum: 1, approvalDen: 2, approvalStrict: true };

export interface Tally {
  approvals: number;
  rejections: number;
  /** Committee members allowed to vote on this nomination (those of the nominating unit excluded). */
  eligibleVoters: number;
}

export type Outcome = { result: 'approved' | 'rejected'; reason: 'approved' | 'no_quorum' | 'not_enough_approvals' };

export function decide(rule: VotingRule, tally: Tally): Outcome {
  const votes = tally.approvals + tally.rejections;
  const quorate = tally.eligibleVoters > 0 && votes * rule.quorumDen >= tally.eligibleVoters * rule.quorumNum;
  if (!quorate) return { result: 'rejected', reason: 'no_quorum' };
  const approvalShare = tally.approvals * rule.approvalDen;
  const needed = votes * rule.approvalNum;
  const approved = rule.approvalStrict ? approvalShare > needed : approvalShare >= needed;
  return approved ? { result: 'approved', reason: 'approved' } : { result: 'rejected', reason: 'not_enough_approvals' };
}

/** The rule choices offered on the round form, by stable key. */
export const QUORUM_CHOICES = { '1/2': [1, 2], '2/3': [2, 3], '3/4': [3, 4], all: [1, 1] } as const;
export const APPROVAL_CHOICES = { 'more_than_half': [1, 2, true], 'two_thirds': [2, 3, false], 'all': [1, 1, false] } as const;
export type QuorumChoice = keyof typeof QUORUM_CHOICES;
export type ApprovalChoice = keyof typeof APPROVAL_CHOICES;

export function ruleOf(quorum: QuorumChoice, approval: ApprovalChoice): VotingRule {
  const [quorumNum, quorumDen] = QUORUM_CHOICES[quorum];
  const [approvalNum, approvalDen, approvalStrict] = APPROVAL_CHOICES[approval];
  return { quorumNum, quorumDen, approvalNum, approvalDen, approvalStrict };
}

export function choicesOf(rule: VotingRule): { quorum: QuorumChoice | null; approval: ApprovalChoice | null } {
  const quorum = (Object.keys(QUORUM_CHOICES) as QuorumChoice[]).find((key) => QUORUM_CHOICES[key][0] === rule.quorumNum && QUORUM_CHOICES[key][1] === rule.quorumDen) ?? null;
  const approval = (Object.keys(APPROVAL_CHOICES) as ApprovalChoice[]).find((key) => {
    const [num, den, strict] = APPROVAL_CHOICES[key];
    return num === rule.approvalNum && den === rule.approvalDen && strict === rule.approvalStrict;
  }) ?? null;
  return { quorum, approval };
}
