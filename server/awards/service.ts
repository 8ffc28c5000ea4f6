// The committee's work on awards, one business action per function: open a round, nominate, submit,
// return, vote, close the round by its rule, and issue a numbered decision with its certificates.
// Each action is one transaction with its audit row. Every status change is an
// `UPDATE ... WHERE status = <expected>` on a locked row, so a double click or a race applies it once.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAction } from '../audit/audit.ts';
import { assertUnitAcceptsNewRecords } from '../units/lifecycle.ts';
import { findUnitName, unitExists } from '../units/repository.ts';
import { scopeIncludes, scopedUnitIds } from '../auth/scope.ts';
import { ConflictError, FieldConflictError, NotFoundError, unknownReference, ValidationError, type FieldProblem } from '../errors.ts';
import { todayInVietnam, type MessageKey } from '../web/i18n/index.ts';
import { acceptedUpload, DOSSIER_TYPES, MAX_FILES_PER_NOMINATION } from './dossier.ts';
import { compareText, compareVietnameseNames, nomineeKey, positionRepeatsUnit } from './names.ts';
import * as policy from './policy.ts';
import * as repository from './repository.ts';
import type { NominationMoveChanges, NominationRow } from './repository.ts';
import { decide, DEFAULT_RULE, ruleOf } from './rule.ts';
import type { BulkVoteInput, CloseInput, DecisionInput, DossierKind, NominationChanges, NominationInput, RecusalInput, ReopenInput, ReturnInput, RoundInput, VoteInput } from './schemas.ts';
import { canMove, targetOf, type NominationMove, type NominationStatus, type NomineeKind } from './status.ts';
import type { Caller } from '../auth/caller.ts';
import { actsFor } from './viewer.ts';
import { notify } from '../notifications/service.ts';

/** Opens an award round for an issuing body inside the secretary's own scope. */
export async function createRound(db: Database, viewer: Caller, input: RoundInput) {
  policy.enforce(policy.canManageRounds(viewer));
  return db.transaction().execute(async (trx) => {
    const bad: string[] = [];
    if (!(await repository.awardKindExists(trx, input.awardKind))) bad.push('awardKind');
    if (!actsFor(viewer, input.issuingUnitId) || !(await unitExists(trx, input.issuingUnitId))) bad.push('issuingUnitId');
    // A round that would open already past its closing date would show as taking nominations and refuse them all.
    const past: FieldProblem[] = input.closesOn < todayInVietnam() ? [{ field: 'closesOn', reason: 'date_in_past', key: 'awards.closesOnPast' }] : [];
    if (bad.length > 0 || past.length > 0) throw new ValidationError([...past, ...(bad.length > 0 ? unknownReferences(bad).details : [])]);
    const rule = input.quorum || input.approval ? ruleOf(input.quorum ?? '2/3', input.approval ?? 'more_than_half') : DEFAULT_RULE;
    const id = await repository.insertRound(trx, {
      title: input.title,
      year: input.year,
      award_kind: input.awardKind,
      issuing_unit_id: input.issuingUnitId,
      closes_on: input.closesOn,
      quorum_num: rule.quorumNum,
      quorum_den: rule.quorumDen,
      approval_num: rule.approvalNum,
      approval_den: rule.approvalDen,
      approval_strict: rule.approvalStrict,
      public_comment: input.publicComment ?? false,
      decision_suffix: input.decisionSuffix ?? 'QĐ-UBND',
      created_by: viewer.user.id,
    });
    const round = await repository.getRound(trx, id, viewer);
    await recordAction(trx, viewer.actor, { action: 'round.create', entityType: 'award_round', entityId: id, after: round });
    return round;
  });
}

/** Publishes the round's submitted nominees for public comment, once, when the round asks for it. */
export async function publishRound(db: Database, viewer: Caller, roundId: number) {
  policy.enforce(policy.canManageRounds(viewer));
  return db.transaction().execute(async (trx) => {
    const round = await repository.lockRound(trx, roundId, viewer);
    policy.enforce(policy.canManageRound(viewer, round));
    policy.enforce(policy.canPublish(round));
    await repository.markRoundPublished(trx, roundId);
    await recordAction(trx, viewer.actor, { action: 'round.publish', entityType: 'award_round', entityId: roundId });
    return repository.getRound(trx, roundId, viewer);
  });
}

/** Creates a draft nomination for one of the caller's units in an open round. */
export async function createNomination(db: Database, viewer: Caller, input: NominationInput) {
  policy.enforce(policy.canNominate(viewer));
  return withDuplicateCheck(async () =>
    db.transaction().execute(async (trx) => {
      const round = await visibleRound(trx, viewer, input.roundId, 'roundId');
      await checkNominationReferences(trx, viewer, input);
      await warnPositionRepeatsUnit(trx, input);
      policy.enforce(policy.roundAccepts(round));
      const key = nomineeKey(input.nomineeName);
      await refuseDuplicate(trx, input.roundId, input.nomineeKind, key);
      const id = await repository.insertNomination(trx, {
        round_id: input.roundId,
        unit_id: input.unitId,
        nominee_kind: input.nomineeKind,
        nominee_name: input.nomineeName,
        nominee_key: key,
        ...personalDetails(input),
        achievement: input.achievement,
        created_by: viewer.user.id,
      });
      await repository.replaceNominationModels(trx, id, input.modelIds ?? []);
      const nomination = await repository.getNomination(trx, id, viewer);
      await recordAction(trx, viewer.actor, { action: 'nomination.create', entityType: 'nomination', entityId: id, after: { ...nomination, modelIds: input.modelIds ?? [] } });
      return nomination;
    }),
  );
}

/** Edits a nomination while it is in its unit's hands (a draft, or returned for a fix). */
export async function updateNomination(db: Database, viewer: Caller, id: number, changes: NominationChanges) {
  policy.enforce(policy.canKeepDossiers(viewer));
  return withDuplicateCheck(async () =>
    db.transaction().execute(async (trx) => {
      const before = await repository.lockNomination(trx, id, viewer);
      policy.enforce(policy.canEdit(viewer, before));
      const merged: NominationInput = {
        roundId: before.round_id,
        nomineeKind: changes.nomineeKind ?? (before.nominee_kind as NominationInput['nomineeKind']),
        unitId: changes.unitId ?? before.unit_id,
        nomineeName: changes.nomineeName ?? before.nominee_name,
        position: changes.position === undefined ? before.position : changes.position,
        gender: changes.gender === undefined ? (before.gender as NominationInput['gender']) : changes.gender,
        birthYear: changes.birthYear === undefined ? before.birth_year : changes.birthYear,
        achievement: changes.achievement ?? before.achievement,
        modelIds: changes.modelIds,
      };
      await checkNominationReferences(trx, viewer, merged, before.unit_id);
      // A position kept as it was is not asked about again; a changed position or unit is.
      if (merged.position !== before.position || merged.unitId !== before.unit_id || merged.nomineeKind !== before.nominee_kind) await warnPositionRepeatsUnit(trx, { ...merged, positionRepeatsUnit: changes.positionRepeatsUnit });
      const key = nomineeKey(merged.nomineeName);
      await refuseDuplicate(trx, before.round_id, merged.nomineeKind, key, id);
      await repository.updateNominationDetails(trx, id, { unit_id: merged.unitId, nominee_kind: merged.nomineeKind, nominee_name: merged.nomineeName, nominee_key: key, ...personalDetails(merged), achievement: merged.achievement });
      if (changes.modelIds !== undefined) await repository.replaceNominationModels(trx, id, changes.modelIds);
      const after = await repository.getNomination(trx, id, viewer);
      await recordAction(trx, viewer.actor, { action: 'nomination.update', entityType: 'nomination', entityId: id, before, after: { ...after, modelIds: changes.modelIds } });
      return after;
    }),
  );
}

/** Sends a draft or a fixed nomination to the committee, on or before the round's closing date. */
export async function submitNomination(db: Database, viewer: Caller, id: number) {
  policy.enforce(policy.canKeepDossiers(viewer));
  return moveNomination(db, viewer, id, 'submit', async (trx, nomination) => {
    policy.enforce(policy.canEdit(viewer, nomination));
    const round = await repository.shareLockRound(trx, nomination.round_id);
    policy.enforce(policy.roundAccepts(round));
    const missing = missingDocuments(await repository.dossierChecklist(trx, id));
    if (missing.length > 0) throw new ValidationError(missing.map((kind) => ({ field: `files.${kind}`, reason: 'dossier_incomplete', key: `awards.dossierMissing.${kind}` as const })));
    return { submitted_at: new Date(), return_reason: null };
  });
}

/** The documents of the award kind's checklist the dossier does not carry yet, in the checklist's order. */
export function missingDocuments({ required, present }: { required: readonly DossierKind[]; present: readonly DossierKind[] }): DossierKind[] {
  return required.filter((kind) => !present.includes(kind));
}

/** Returns a submitted nomination to its unit with the reason; the unit can fix and resubmit it. */
export async function returnNomination(db: Database, viewer: Caller, id: number, input: ReturnInput) {
  policy.enforce(policy.canManageRounds(viewer));
  return moveNomination(db, viewer, id, 'return', async (trx, nomination) => {
    policy.enforce(policy.canManageRound(viewer, nomination));
    const round = await repository.shareLockRound(trx, nomination.round_id);
    policy.enforce(policy.roundOpen(round));
    return { return_reason: input.reason, returned_at: new Date() };
  }, (trx) => notify(trx, { kind: 'nominations_returned', nominationIds: [id], actorId: viewer.user.id }));
}

/**
 * The one way a nomination's status changes outside closing: lock, check the move, guarded update,
 * audit, and whatever else the move sets off in the same transaction (`then`: a notification).
 */
async function moveNomination(db: Database, viewer: Caller, id: number, move: NominationMove, prepare: (trx: Transaction<DB>, nomination: NominationRow) => Promise<NominationMoveChanges>, then?: (trx: Transaction<DB>) => Promise<unknown>) {
  return db.transaction().execute(async (trx) => {
    const nomination = await repository.lockNomination(trx, id, viewer);
    const from = nomination.status;
    if (!canMove(from, move)) throw illegalMove(from, targetOf(move));
    const changes = await prepare(trx, nomination);
    if (!(await repository.moveNominationStatus(trx, id, from, targetOf(move), changes))) throw illegalMove(from, targetOf(move));
    await recordAction(trx, viewer.actor, { action: `nomination.${move}`, entityType: 'nomination', entityId: id, before: { status: from }, after: { status: targetOf(move), ...changes } });
    await then?.(trx);
    return repository.getNomination(trx, id, viewer);
  });
}

/** Locks a nomination for a member's say on it (a vote, a recusal): the member may vote on it now. */
async function lockForVoting(trx: Transaction<DB>, viewer: Caller, id: number, inRound?: number): Promise<void> {
  const nomination = await repository.lockNomination(trx, id, viewer);
  // A batch from a round page names that round's nominations only; another round's is not there.
  if (inRound !== undefined && nomination.round_id !== inRound) throw new NotFoundError();
  const round = await repository.shareLockRound(trx, nomination.round_id);
  const onCommittee = await repository.sitsOnCommittee(trx, round.issuing_unit_id, viewer.user.id);
  const nominatingUnits = await repository.nominatingUnits(trx, nomination.unit_id);
  policy.enforce(policy.canVote(viewer, { status: nomination.status, round, onCommittee, nominatingUnitIds: nominatingUnits }));
}

/** One member's vote on one nomination, inside the caller's transaction: checked, written, audited. */
async function recordVote(trx: Transaction<DB>, viewer: Caller, id: number, input: VoteInput, inRound?: number) {
  await lockForVoting(trx, viewer, id, inRound);
  policy.enforce(policy.notRecused(await repository.hasRecused(trx, id, viewer.user.id)));
  const before = await repository.findVote(trx, id, viewer.user.id);
  const vote = await repository.upsertVote(trx, id, viewer.user.id, input.vote, input.comment ?? null);
  await recordAction(trx, viewer.actor, { action: before ? 'vote.change' : 'vote.cast', entityType: 'nomination', entityId: id, before, after: vote });
  return vote;
}

/** Records or changes a committee member's vote on a submitted nomination while the round is open. */
export async function castVote(db: Database, viewer: Caller, id: number, input: VoteInput) {
  return db.transaction().execute((trx) => recordVote(trx, viewer, id, input));
}

/**
 * The same vote on several nominations of one round, all or none: one the member may not vote on
 * (their own unit's, one they stood aside from, one no longer submitted) refuses the whole batch.
 */
export async function castVotes(db: Database, viewer: Caller, roundId: number, { nominationIds, ...input }: BulkVoteInput) {
  return db.transaction().execute(async (trx) => {
    const votes = [];
    // In id order, so two batches over the same nominations lock them in the same order.
    for (const id of [...nominationIds].sort((a, b) => a - b)) votes.push(await recordVote(trx, viewer, id, input, roundId));
    return votes;
  });
}

/**
 * A member stands aside on a nomination for a conflict of interest, with the reason: a vote already
 * cast is withdrawn, and the member is not among its eligible voters when the round closes.
 */
export async function declareRecusal(db: Database, viewer: Caller, id: number, { reason }: RecusalInput) {
  return db.transaction().execute(async (trx) => {
    await lockForVoting(trx, viewer, id);
    const recusal = await repository.insertRecusal(trx, id, viewer.user.id, reason);
    if (!recusal) throw new ConflictError('recused', 'awards.recused');
    const withdrawn = await repository.deleteVote(trx, id, viewer.user.id);
    await recordAction(trx, viewer.actor, { action: 'vote.recuse', entityType: 'nomination', entityId: id, before: withdrawn ?? null, after: { memberId: viewer.user.id, reason } });
    return { nominationId: id, memberId: viewer.user.id, reason, declaredAt: recusal.declared_at, withdrawnVote: withdrawn?.vote ?? null };
  });
}

/**
 * Closes voting: every submitted nomination becomes approved or rejected by the round's rule, with
 * the tally kept. Members of the nominating unit, and those who stood aside, are not counted among
 * its eligible voters.
 */
export async function closeRound(db: Database, viewer: Caller, roundId: number, { early, reason }: CloseInput = { early: false }) {
  policy.enforce(policy.canManageRounds(viewer));
  return db.transaction().execute(async (trx) => {
    const round = await repository.lockRound(trx, roundId, viewer);
    policy.enforce(policy.canManageRound(viewer, round));
    policy.enforce(policy.roundOpen(round));
    policy.enforce(policy.canCloseNow(round, early, todayInVietnam()));
    const members = await repository.committeeMembers(trx, round.issuing_unit_id);
    const submitted = await repository.lockSubmittedNominations(trx, roundId);
    const votes = await repository.listVotes(trx, submitted.map((n) => n.id));
    const recusals = await repository.listRecusals(trx, submitted.map((n) => n.id));
    const rule = { quorumNum: round.quorum_num, quorumDen: round.quorum_den, approvalNum: round.approval_num, approvalDen: round.approval_den, approvalStrict: round.approval_strict };
    const outcomes = [];
    const subtrees = new Map<number, readonly number[]>();
    for (const nomination of submitted) {
      if (!subtrees.has(nomination.unit_id)) subtrees.set(nomination.unit_id, await repository.nominatingUnits(trx, nomination.unit_id));
      const excluded = new Set(subtrees.get(nomination.unit_id));
      const recused = new Set(recusals.filter((r) => r.nomination_id === nomination.id).map((r) => r.member_id));
      const eligible = new Set(members.filter((member) => !excluded.has(member.unit_id) && !recused.has(member.id)).map((member) => member.id));
      const counted = votes.filter((vote) => vote.nomination_id === nomination.id && eligible.has(vote.member_id));
      const tally = { approvals: counted.filter((v) => v.vote === 'approve').length, rejections: counted.filter((v) => v.vote === 'reject').length, eligibleVoters: eligible.size };
      const outcome = decide(rule, tally);
      await repository.recordNominationOutcome(trx, nomination.id, outcome.result, tally);
      outcomes.push({ nominationId: nomination.id, status: outcome.result, reason: outcome.reason, ...tally });
    }
    if (!(await repository.markRoundClosed(trx, roundId))) throw new ConflictError('round_closed', 'awards.roundClosed');
    const earlyClose = todayInVietnam() <= round.closes_on ? { early: true, reason } : {};
    await recordAction(trx, viewer.actor, { action: 'round.close', entityType: 'award_round', entityId: roundId, before: { status: 'open' }, after: { status: 'closed', ...earlyClose, outcomes } });
    await notify(trx, { kind: 'round_outcomes', nominationIds: outcomes.map((outcome) => outcome.nominationId), actorId: viewer.user.id });
    return { round: await repository.getRound(trx, roundId, viewer), outcomes };
  });
}

/**
 * Opens a closed round again, with a reason, while no decision names it and nothing of it went up a
 * level: its outcomes are undone (approved and rejected back to submitted, tallies cleared) and the
 * committee votes on until the round is closed again. Votes already cast stay.
 */
export async function reopenRound(db: Database, viewer: Caller, roundId: number, { reason }: ReopenInput) {
  policy.enforce(policy.canManageRounds(viewer));
  return db.transaction().execute(async (trx) => {
    const round = await repository.lockRound(trx, roundId, viewer);
    policy.enforce(policy.canManageRound(viewer, round));
    policy.enforce(policy.roundClosed(round));
    policy.enforce(policy.canReopen(await repository.roundCommitted(trx, roundId)));
    if (!(await repository.markRoundReopened(trx, roundId))) throw new ConflictError('round_not_closed', 'awards.roundNotClosed');
    const undone = await repository.undoOutcomes(trx, roundId);
    await recordAction(trx, viewer.actor, { action: 'round.reopen', entityType: 'award_round', entityId: roundId, before: { status: 'closed' }, after: { status: 'open', reason, nominationIds: undone } });
    return repository.getRound(trx, roundId, viewer);
  });
}

/** Stores a dossier file (PDF or Word, size-limited) on a nomination its unit can still change. */
export async function attachDossierFile(db: Database, viewer: Caller, nominationId: number, upload: { kind: DossierKind; fileName: string; content: Buffer }) {
  policy.enforce(policy.canKeepDossiers(viewer));
  const { fileName, contentType, sha256 } = await acceptedUpload(upload, DOSSIER_TYPES, 'awards.file.type');
  return db.transaction().execute(async (trx) => {
    const nomination = await repository.lockNomination(trx, nominationId, viewer);
    policy.enforce(policy.canEdit(viewer, nomination));
    if ((await repository.countFiles(trx, nominationId)) >= MAX_FILES_PER_NOMINATION) throw new ConflictError('too_many_files', 'awards.file.tooMany', { count: MAX_FILES_PER_NOMINATION });
    const file = await repository.insertFile(
      trx,
      { nomination_id: nominationId, kind: upload.kind, file_name: fileName, content_type: contentType, size_bytes: upload.content.length, sha256, uploaded_by: viewer.user.id },
      upload.content,
    );
    await recordAction(trx, viewer.actor, { action: 'nomination.file.attach', entityType: 'nomination', entityId: nominationId, after: file });
    return file;
  });
}

/** Removes a dossier file while the nomination is still in its unit's hands. */
export async function removeDossierFile(db: Database, viewer: Caller, nominationId: number, fileId: number) {
  policy.enforce(policy.canKeepDossiers(viewer));
  return db.transaction().execute(async (trx) => {
    const nomination = await repository.lockNomination(trx, nominationId, viewer);
    policy.enforce(policy.canEdit(viewer, nomination));
    const file = await repository.deleteFile(trx, nominationId, fileId);
    if (!file) throw new NotFoundError();
    await recordAction(trx, viewer.actor, { action: 'nomination.file.remove', entityType: 'nomination', entityId: nominationId, before: file });
  });
}

/**
 * Issues a decision over approved nominations of a closed round: the decision number (the next one
 * per issuing unit and year unless given), then one certificate per nominee in the annex's order,
 * each with the next register number and a 128-bit verification code. All or nothing.
 */
export async function issueDecision(db: Database, viewer: Caller, input: DecisionInput) {
  policy.enforce(policy.canManageRounds(viewer));
  const year = Number(input.signedOn.slice(0, 4));
  try {
    return await db.transaction().execute(async (trx) => {
      const round = await visibleRound(trx, viewer, input.roundId, 'roundId');
      policy.enforce(policy.canManageRound(viewer, round));
      policy.enforce(policy.roundClosed(round));
      await repository.shareLockRound(trx, round.id);
      const nominations = await repository.lockNominationsForDecision(trx, input.nominationIds);
      const wrong = input.nominationIds.filter((id) => !nominations.some((n) => n.id === id && n.round_id === round.id));
      if (wrong.length > 0) throw new ValidationError([{ field: 'nominationIds', reason: 'not_in_round', key: 'awards.decision.notInRound', params: { ids: wrong.join(', ') } }]);
      const notReady = nominations.filter((n) => n.status !== 'approved' || n.decision_id !== null);
      if (notReady.length > 0) throw new ConflictError('not_approved', 'awards.decision.notApproved', { names: notReady.map((n) => n.nominee_name).join(', ') });

      const number = await decisionNumber(trx, round, year, input.number);
      const decisionId = await repository.insertDecision(trx, { round_id: round.id, issuing_unit_id: round.issuing_unit_id, year, number: number.value, number_text: number.text, signed_on: input.signedOn, signer_name: input.signerName, signer_title: input.signerTitle, created_by: viewer.user.id });
      const assigned = await repository.assignDecision(trx, decisionId, input.nominationIds);
      if (assigned !== input.nominationIds.length) throw new ConflictError('not_approved', 'awards.decision.notApproved', { names: '' });

      const ordered = annexOrder(nominations);
      const last = await repository.takeNumbers(trx, 'register_counters', round.issuing_unit_id, year, ordered.length);
      const first = last - ordered.length + 1;
      const certificates = await repository.insertCertificates(trx, ordered.map((n, index) => ({
        decision_id: decisionId, nomination_id: n.id, issuing_unit_id: round.issuing_unit_id, year, register_number: first + index,
        recipient_kind: n.nominee_kind, recipient_name: n.nominee_name, verification_code: newVerificationCode(),
      })));
      const decision = { id: decisionId, number: number.text, year, signedOn: input.signedOn, signerName: input.signerName, signerTitle: input.signerTitle, roundId: round.id };
      await recordAction(trx, viewer.actor, { action: 'decision.issue', entityType: 'decision', entityId: decisionId, after: { ...decision, certificates: certificates.map((c) => ({ id: c.id, nominationId: c.nomination_id, registerNumber: c.register_number })) } });
      await notify(trx, { kind: 'decision_issued', decisionId, actorId: viewer.user.id });
      return { ...decision, certificates: certificates.sort((a, b) => a.register_number - b.register_number) };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'decisions_issuing_unit_id_year_number_key')) throw new FieldConflictError('number', 'decision_number_taken', 'awards.decision.numberTaken');
    throw error;
  }
}

/** 16 random bytes (128 bits), URL-safe: unguessable and unrelated to the register number. */
export function newVerificationCode(): string {
  return randomBytes(16).toString('base64url');
}

/** Collectives first, then individuals by given name: the order of the decision's annex. */
export function annexOrder<T extends { nominee_kind: string; nominee_name: string }>(nominees: readonly T[]): T[] {
  const collectives = nominees.filter((n) => n.nominee_kind === 'collective').sort((a, b) => compareText(a.nominee_name, b.nominee_name));
  const individuals = nominees.filter((n) => n.nominee_kind === 'individual').sort((a, b) => compareVietnameseNames(a.nominee_name, b.nominee_name));
  return [...collectives, ...individuals];
}

async function decisionNumber(trx: Transaction<DB>, round: { issuing_unit_id: number; decision_suffix: string }, year: number, given: number | string | undefined) {
  if (given === undefined) {
    const value = await repository.takeNumbers(trx, 'decision_counters', round.issuing_unit_id, year, 1);
    return { value, text: `${value}/${round.decision_suffix}` };
  }
  const [digits, suffix] = String(given).split('/');
  const value = Number(digits);
  if (await repository.decisionNumberTaken(trx, round.issuing_unit_id, year, value)) throw new FieldConflictError('number', 'decision_number_taken', 'awards.decision.numberTaken');
  await repository.raiseDecisionCounter(trx, round.issuing_unit_id, year, value);
  return { value, text: `${value}/${suffix ?? round.decision_suffix}` };
}

async function visibleRound(trx: Transaction<DB>, viewer: Caller, roundId: number, field: string) {
  try {
    return await repository.getRound(trx, roundId, viewer);
  } catch (error) {
    if (error instanceof NotFoundError) throw unknownReferences([field]);
    throw error;
  }
}

async function checkNominationReferences(trx: Transaction<DB>, viewer: Caller, input: NominationInput, keptUnitId?: number) {
  const bad: string[] = [];
  if (!scopeIncludes(viewer.scope, input.unitId) || !(await unitExists(trx, input.unitId))) bad.push('unitId');
  const modelIds = input.modelIds ?? [];
  // A nomination rests on models of the nominating unit's own scope.
  const found = await repository.modelsOfUnits(trx, modelIds, scopedUnitIds(viewer.scope));
  if (found.length !== modelIds.length) bad.push('modelIds');
  if (bad.length > 0) throw unknownReferences(bad);
  // A unit merged away in 2025 receives nothing new: its successor nominates.
  if (input.unitId !== keptUnitId) await assertUnitAcceptsNewRecords(trx, input.unitId);
}

/**
 * A position that already holds the unit's name prints the unit twice on the certificate ("Chức vụ,
 * Đơn vị, Đơn vị"): refused (422, on the field that confirms it) unless `positionRepeatsUnit` says to keep it.
 */
async function warnPositionRepeatsUnit(trx: Transaction<DB>, input: Pick<NominationInput, 'nomineeKind' | 'unitId' | 'position' | 'positionRepeatsUnit'>) {
  if (input.nomineeKind !== 'individual' || !input.position || input.positionRepeatsUnit) return;
  const unit = await findUnitName(trx, input.unitId);
  if (unit !== undefined && positionRepeatsUnit(input.position, unit)) {
    throw new ValidationError([{ field: 'positionRepeatsUnit', reason: 'position_repeats_unit', key: 'awards.positionRepeatsUnit', params: { unit } }]);
  }
}

async function refuseDuplicate(trx: Transaction<DB>, roundId: number, kind: NomineeKind, key: string, exceptId?: number) {
  if (await repository.findSameNominee(trx, roundId, kind, key, exceptId)) throw new FieldConflictError('nomineeName', 'duplicate_nominee', 'awards.duplicateNominee');
}

/** The unique index is the last word when two clerks save the same nominee at the same moment. */
async function withDuplicateCheck<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isUniqueViolation(error, 'nominations_round_id_nominee_kind_nominee_key_key')) throw new FieldConflictError('nomineeName', 'duplicate_nominee', 'awards.duplicateNominee');
    throw error;
  }
}

function personalDetails(input: Pick<NominationInput, 'nomineeKind' | 'position' | 'gender' | 'birthYear'>) {
  // A collective has no gender or birth year; whatever a form left there is dropped.
  const individual = input.nomineeKind === 'individual';
  return { position: individual ? (input.position ?? null) : null, gender: individual ? (input.gender ?? null) : null, birth_year: individual ? (input.birthYear ?? null) : null };
}

function unknownReferences(fields: string[]): ValidationError {
  return new ValidationError(fields.map((field) => unknownReference(field, `field.award.${field}` as MessageKey)));
}

function illegalMove(from: NominationStatus, to: NominationStatus): ConflictError {
  return new ConflictError('illegal_transition', 'awards.illegalMove', { from: { key: `nominationStatus.${from}` }, to: { key: `nominationStatus.${to}` } });
}

