// The work queue: for each role, what waits for the caller to act on, counted only where the caller
// may act (its own units' dossiers, the bodies it acts for, the committees it sits on).
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { scopedUnitIds } from '../auth/scope.ts';
import * as repository from './repository.ts';
import type { Pile } from './repository.ts';

export const TASK_KINDS = ['nominations_returned', 'nominations_to_review', 'rounds_to_close', 'decisions_to_issue', 'votes_pending', 'certificates_to_print', 'self_assessments_to_send'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface Task extends Pile {
  kind: TaskKind;
  /** A unit's own dossiers (not twins a body above returned): they have their own list across rounds. */
  ownDossiers?: boolean;
}

/**
 * The caller's tasks, most urgent first, zero counts included. An administrator, who may act
 * everywhere, gets no queue: the country's piles are the bodies' work, not the administrator's.
 */
export async function tasksFor(db: Database, caller: Caller, today: string): Promise<Task[]> {
  const units = scopedUnitIds(caller.scope);
  const task = async (kind: TaskKind, counting: Promise<Pile>): Promise<Task> => ({ kind, ...(await counting) });
  switch (caller.user.role) {
    case 'agency':
      return Promise.all([
        task('nominations_returned', repository.returnedNominations(db, { ownUnitIds: units })).then((returned) => ({ ...returned, ownDossiers: true })),
        task('self_assessments_to_send', repository.selfAssessmentsToSend(db, caller.user.unitId, caller.servedUnitIds, today)),
      ]);
    case 'secretary':
      return Promise.all([
        task('rounds_to_close', repository.roundsPastClosing(db, units, today)),
        task('nominations_to_review', repository.nominationsToReview(db, units)),
        task('decisions_to_issue', repository.roundsAwaitingDecision(db, units)),
        task('nominations_returned', repository.returnedNominations(db, { forwardingUnitIds: units })),
      ]);
    case 'member':
      return [await task('votes_pending', repository.votesNotCast(db, { userId: caller.user.id, committeeBodyIds: caller.committeeBodyIds, ownUnitAndAbove: caller.servedUnitIds }))];
    case 'printer':
      return [await task('certificates_to_print', repository.certificatesNotPrinted(db, units))];
    case 'admin':
      return [];
  }
}
