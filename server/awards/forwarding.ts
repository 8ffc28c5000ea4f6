// Dossiers going up a level: the secretariat of a lower body sends nominations its committee approved
// to an open round of a body above it. Each becomes a submitted nomination there (its twin), with the
// nominee, achievement, cited models, a copy of the dossier files and a link back to the lower one,
// whose tally is the lower committee's result. The upper body reviews, returns (the lower body fixes
// the twin and sends it again), votes and decides as for any nomination. One transaction for the
// batch, all or nothing, audited on both sides.
import type { Database } from '../db/database.ts';
import { recordActions, type AuditEntry } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { unitAndEverythingAbove } from '../auth/scope.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { ConflictError, FieldConflictError, NotFoundError, unknownReference, ValidationError } from '../errors.ts';
import * as policy from './policy.ts';
import * as repository from './repository.ts';
import type { Nomination } from './repository.ts';
import { notify } from '../notifications/service.ts';

interface ForwardAction {
  caller: Caller;
  /** The upper round. */
  roundId: number;
  nominationIds: readonly number[];
  /** When the batch comes from a round page: each nomination must be of that round. */
  fromRoundId?: number;
}

/**
 * Forwards approved nominations to an open round of a body above theirs; a twin the upper body
 * returned goes back to its round, submitted again. Answers the twins as the caller sees them, and which were sent again.
 */
export async function forwardNominations(db: Database, { caller, roundId, nominationIds, fromRoundId }: ForwardAction): Promise<{ twins: Nomination[]; sentAgainIds: number[] }> {
  policy.enforce(policy.canManageRounds(caller));
  try {
    return await db.transaction().execute(async (trx) => {
      const target = await repository.getRound(trx, roundId, caller).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw new ValidationError([unknownReference('roundId', 'field.award.roundId')]);
        throw error;
      });
      const lower = await repository.lockNominationsToForward(trx, nominationIds, caller);
      if (lower.length !== nominationIds.length || (fromRoundId !== undefined && lower.some((n) => n.round_id !== fromRoundId))) throw new NotFoundError();
      for (const nomination of lower) policy.enforce(policy.canForward(caller, nomination));

      // The upper round's body must be strictly above each lower body (parents, not merged units).
      const aboveOf = new Map<number, readonly number[]>();
      for (const body of new Set(lower.map((n) => n.issuing_unit_id))) aboveOf.set(body, (await unitAndEverythingAbove(trx, body)).filter((id) => id !== body));
      const stray = lower.find((n) => !aboveOf.get(n.issuing_unit_id)!.includes(target.issuing_unit_id));
      if (stray) throw new ValidationError([{ field: 'roundId', reason: 'not_above', key: 'awards.notAbove', params: { title: target.title } }]);
      await repository.shareLockRound(trx, target.id);
      policy.enforce(policy.roundAccepts(target));

      const twins = await repository.lockTwins(trx, lower.map((n) => n.id));
      const again = twins.filter((twin) => twin.round_id === target.id && twin.status === 'returned');
      const gone = twins.find((twin) => !again.includes(twin));
      if (gone) throw new ConflictError('already_forwarded', 'awards.alreadyForwarded', { name: lower.find((n) => n.id === gone.forwarded_from_id)!.nominee_name });
      const fresh = lower.filter((n) => !twins.some((twin) => twin.forwarded_from_id === n.id));
      const taken = await repository.nomineesInRound(trx, target.id, fresh.map((n) => n.nominee_key));
      if (fresh.some((n) => taken.some((t) => t.nominee_kind === n.nominee_kind && t.nominee_key === n.nominee_key))) throw duplicate();

      await repository.resubmitTwins(trx, again.map((twin) => twin.id));
      const inserted = await repository.insertTwins(trx, fresh.map((n) => ({
        round_id: target.id, unit_id: n.unit_id, nominee_kind: n.nominee_kind, nominee_name: n.nominee_name, nominee_key: n.nominee_key,
        position: n.position, gender: n.gender, birth_year: n.birth_year, achievement: n.achievement,
        created_by: caller.user.id, forwarded_from_id: n.id, forwarding_unit_id: n.issuing_unit_id,
      })));
      const newIds = inserted.map((twin) => twin.id);
      await repository.copyModelsToTwins(trx, newIds);
      await repository.copyFilesToTwins(trx, newIds);

      const pairs = [...again.map((twin) => ({ lowerId: twin.forwarded_from_id!, twinId: twin.id, again: true })), ...inserted.map((twin) => ({ lowerId: twin.forwarded_from_id!, twinId: twin.id, again: false }))];
      const entries: AuditEntry[] = pairs.flatMap(({ lowerId, twinId, again: resent }) => [
        { action: resent ? 'nomination.forward_again' : 'nomination.forward', entityType: 'nomination', entityId: lowerId, after: { forwardedToId: twinId, roundId: target.id } },
        { action: resent ? 'nomination.received_again' : 'nomination.received', entityType: 'nomination', entityId: twinId, after: { forwardedFromId: lowerId, roundId: target.id, status: 'submitted' } },
      ]);
      await recordActions(trx, caller.actor, entries);
      await notify(trx, { kind: 'nominations_forwarded', twinIds: pairs.map((pair) => pair.twinId), actorId: caller.user.id });
      return { twins: await repository.nominationsByIds(trx, pairs.map((pair) => pair.twinId), caller), sentAgainIds: again.map((twin) => twin.id) };
    });
  } catch (error) {
    if (isUniqueViolation(error, 'nominations_round_id_nominee_kind_nominee_key_key')) throw duplicate();
    if (isUniqueViolation(error, 'nominations_forwarded_from_id_key')) throw new ConflictError('already_forwarded', 'awards.alreadyForwarded', { name: '' });
    throw error;
  }
}

function duplicate(): FieldConflictError {
  return new FieldConflictError('nomineeName', 'duplicate_nominee', 'awards.duplicateNominee');
}

/** The rounds a body's approved nominations may go up to: open, still taking nominations, of a body strictly above it. */
export async function roundsToForwardTo(db: Database, bodyId: number): Promise<repository.Round[]> {
  const above = (await unitAndEverythingAbove(db, bodyId)).filter((id) => id !== bodyId);
  return (await repository.openRoundsOf(db, above)).filter((round) => policy.roundAccepts(round).allowed);
}
