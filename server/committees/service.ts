// A body's committee (Hội đồng Thi đua - Khen thưởng) as a named list of member accounts: read it,
// and replace it in one audited transaction. Who votes in the body's rounds follows this list.
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { compareVietnameseNames } from '../awards/names.ts';
import { NotFoundError, unknownReference, ValidationError, type FieldProblem } from '../errors.ts';
import * as policy from './policy.ts';
import * as repository from './repository.ts';
import type { CommitteeSeat } from './repository.ts';

interface CommitteeAction {
  caller: Caller;
  bodyId: number;
}

/** The committee of a body the caller keeps, by given name as Vietnamese lists go. */
export async function getCommittee(db: Database, { caller, bodyId }: CommitteeAction): Promise<CommitteeSeat[]> {
  policy.enforce(policy.canKeepCommittee(caller, bodyId));
  if (!(await repository.bodyExists(db, bodyId))) throw new NotFoundError();
  return inNameOrder(await repository.listCommittee(db, bodyId));
}

/**
 * Makes the body's committee exactly the listed accounts: each an active member account of a unit
 * the caller sees (a provincial council seats leaders of its departments), else 422 naming it.
 */
export async function setCommittee(db: Database, { caller, bodyId, members }: CommitteeAction & { members: readonly number[] }): Promise<CommitteeSeat[]> {
  policy.enforce(policy.canKeepCommittee(caller, bodyId));
  return db.transaction().execute(async (trx) => {
    if (!(await repository.lockBody(trx, bodyId))) throw new NotFoundError();
    const accounts = new Map((await repository.accountsInScope(trx, members, caller.scope)).map((account) => [account.id, account]));
    const problems: FieldProblem[] = [];
    members.forEach((id, index) => {
      const account = accounts.get(id);
      if (!account) problems.push(unknownReference(`members.${index}`, 'field.committee.members'));
      else if (account.role !== 'member' || account.disabled_at !== null) problems.push({ field: `members.${index}`, reason: 'not_a_member', key: 'committees.notAMember', params: { id } });
    });
    if (problems.length > 0) throw new ValidationError(problems);
    const before = (await repository.listCommittee(trx, bodyId)).map((seat) => seat.id).sort((a, b) => a - b);
    await repository.replaceCommittee(trx, bodyId, members, caller.user.id);
    const after = await repository.listCommittee(trx, bodyId);
    await recordAction(trx, caller.actor, {
      action: 'committee.update', entityType: 'unit', entityId: bodyId,
      before: { members: before }, after: { members: after.map((seat) => seat.id).sort((a, b) => a - b) },
    });
    return inNameOrder(after);
  });
}

function inNameOrder(seats: CommitteeSeat[]): CommitteeSeat[] {
  return seats.sort((a, b) => compareVietnameseNames(a.full_name, b.full_name));
}
