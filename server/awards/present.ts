// How rounds, nominations, votes and decisions look in the JSON API.
import type { Language } from '../web/i18n/index.ts';
import type { Nomination, Round } from './repository.ts';
import { choicesOf } from './rule.ts';

export function roundJson(round: Round, language: Language = 'vi') {
  const rule = { quorumNum: round.quorum_num, quorumDen: round.quorum_den, approvalNum: round.approval_num, approvalDen: round.approval_den, approvalStrict: round.approval_strict };
  return {
    id: round.id,
    title: round.title,
    year: round.year,
    awardKind: round.award_kind,
    awardKindName: language === 'en' ? round.award_kind_name_en : round.award_kind_name,
    issuingUnitId: round.issuing_unit_id,
    issuingUnitName: round.issuing_unit_name,
    closesOn: round.closes_on,
    status: round.status,
    votingRule: { ...rule, ...choicesOf(rule) },
    publicComment: round.public_comment,
    publishedAt: round.published_at?.toISOString() ?? null,
    closedAt: round.closed_at?.toISOString() ?? null,
    decisionSuffix: round.decision_suffix,
    createdAt: round.created_at.toISOString(),
  };
}

export function nominationJson(nomination: Nomination) {
  return {
    id: nomination.id,
    roundId: nomination.round_id,
    roundTitle: nomination.round_title,
    roundYear: nomination.round_year,
    nomineeKind: nomination.nominee_kind,
    unitId: nomination.unit_id,
    unitName: nomination.unit_name,
    nomineeName: nomination.nominee_name,
    position: nomination.position,
    gender: nomination.gender,
    birthYear: nomination.birth_year,
    achievement: nomination.achievement,
    status: nomination.status,
    returnReason: nomination.return_reason,
    submittedAt: nomination.submitted_at?.toISOString() ?? null,
    tally: nomination.decided_at
      ? { approvals: nomination.approvals, rejections: nomination.rejections, eligibleVoters: nomination.eligible_voters, decidedAt: nomination.decided_at.toISOString() }
      : null,
    decisionId: nomination.decision_id,
    decisionNumber: nomination.decision_number,
    forwardedFromId: nomination.forwarded_from_id,
    forwardingUnitId: nomination.forwarding_unit_id,
    forwardingUnitName: nomination.forwarding_unit_name,
    forwardedAt: nomination.forwarded_at?.toISOString() ?? null,
    lowerTally: nomination.forwarded_from_id !== null && nomination.lower_eligible_voters !== null
      ? { approvals: nomination.lower_approvals, rejections: nomination.lower_rejections, eligibleVoters: nomination.lower_eligible_voters }
      : null,
    forwardedToId: nomination.forwarded_to_id,
    forwardedTo: nomination.forwarded_to_id !== null
      ? {
          id: nomination.forwarded_to_id, roundId: nomination.upper_round_id, roundTitle: nomination.upper_round_title, status: nomination.upper_status,
          returnReason: nomination.upper_return_reason, decisionNumber: nomination.upper_decision_number,
        }
      : null,
    createdAt: nomination.created_at.toISOString(),
    updatedAt: nomination.updated_at.toISOString(),
  };
}

export function fileJson(file: { id: number; nomination_id: number; kind: string; file_name: string; content_type: string; size_bytes: number; sha256: string; uploaded_at: Date }) {
  return {
    id: file.id,
    nominationId: file.nomination_id,
    kind: file.kind,
    fileName: file.file_name,
    contentType: file.content_type,
    sizeBytes: file.size_bytes,
    sha256: file.sha256,
    uploadedAt: file.uploaded_at.toISOString(),
    url: `/api/v1/nominations/${file.nomination_id}/files/${file.id}`,
  };
}

export function voteJson(vote: { nomination_id: number; member_id: number; vote: string; comment: string | null; voted_at: Date; member_name?: string }) {
  return { nominationId: vote.nomination_id, memberId: vote.member_id, memberName: vote.member_name, vote: vote.vote, comment: vote.comment, votedAt: vote.voted_at.toISOString() };
}

export function certificateJson(certificate: { id: number; nomination_id: number; recipient_name: string; register_number: number; verification_code: string }) {
  return {
    id: certificate.id,
    nominationId: certificate.nomination_id,
    recipientName: certificate.recipient_name,
    registerNumber: certificate.register_number,
    verificationCode: certificate.verification_code,
  };
}

export function recusalJson(recusal: { member_id: number; member_name: string; reason: string; declared_at: Date }) {
  return { memberId: recusal.member_id, memberName: recusal.member_name, reason: recusal.reason, declaredAt: recusal.declared_at.toISOString() };
}
