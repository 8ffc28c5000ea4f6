// Who may register and move models: the units' staff and the secretariat write; recognising a model
// (or refusing it) is the committee's decision. Pages use the verdicts to show or hide a button, the
// service enforces the same rule.
import type { Role } from '../auth/user.ts';
import { ALLOWED, refuse, type Verdict } from '../policy.ts';
import { COMMITTEE_ONLY, reachableFrom, type ModelStatus } from './status.ts';

/** The roles that register models and report their progress (members and printers only read). */
export const MODEL_WRITERS: readonly Role[] = ['agency', 'secretary', 'admin'];

const COMMITTEE: readonly Role[] = ['secretary', 'admin'];

/** The rules here need only the caller's role. */
type Someone = { user: { role: Role } };

export function canWrite(caller: Someone): boolean {
  return MODEL_WRITERS.includes(caller.user.role);
}

/** Recognition and its refusal are the committee's; every other move is the writers'. */
export function canMoveTo(caller: Someone, to: ModelStatus): Verdict {
  if (COMMITTEE_ONLY.includes(to) && !COMMITTEE.includes(caller.user.role)) return refuse('forbidden', 'committee_only', 'models.committeeOnly');
  return ALLOWED;
}

/** The statuses a model may move to next, as this caller may move it. */
export function nextStatusesFor(caller: Someone, from: ModelStatus): ModelStatus[] {
  return canWrite(caller) ? reachableFrom(from).filter((to) => canMoveTo(caller, to).allowed) : [];
}
