// The shape of every feature's policy: a rule answers a verdict, allowed or why not. A page uses a
// verdict to explain a missing button; a service enforces the same rule, and the refusal becomes
// the error the caller sees (403 with its reason, 404 for what is out of sight, 409 for a state).
import { AppError, ConflictError, ForbiddenError, NotFoundError, type RefusalReason } from './errors.ts';
import type { MessageKey } from './web/i18n/index.ts';

/** Why not: the caller may not (`forbidden`), the record is out of its sight (`hidden`), or its state refuses (`conflict`). */
export type Refusal = 'forbidden' | 'hidden' | 'conflict';
export type Verdict = { allowed: true } | { allowed: false; refusal: Refusal; reason: RefusalReason; message: MessageKey };

export const ALLOWED: Verdict = { allowed: true };

export const refuse = (refusal: 'forbidden' | 'conflict', reason: RefusalReason, message: MessageKey): Verdict => ({ allowed: false, refusal, reason, message });

/** A record of a unit outside the caller's scope: invisible (404), not forbidden. */
export const HIDDEN: Verdict = { allowed: false, refusal: 'hidden', reason: 'forbidden', message: 'error.not_found' };

export function refusal(verdict: Verdict): AppError | undefined {
  if (verdict.allowed) return undefined;
  if (verdict.refusal === 'hidden') return new NotFoundError();
  return verdict.refusal === 'forbidden' ? new ForbiddenError(verdict.reason, verdict.message) : new ConflictError(verdict.reason, verdict.message);
}

export function enforce(verdict: Verdict): void {
  const error = refusal(verdict);
  if (error) throw error;
}
