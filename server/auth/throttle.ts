// How long a login attempt must wait, from the recent failures of its address, its account and the
// pair of both. Pure: the counting happens under a lock in the service (see authenticate).
import type { Config } from '../config.ts';
import type { RecentFailures } from './repository.ts';

export type LoginLimits = Config['loginThrottle'];

/**
 * Seconds to wait before this attempt may be checked (0: check it now):
 * - an address with maxPerAddress failures in the window waits until the oldest of them leaves it;
 * - an account with maxPerAccount failures in the window does the same, except from an address it
 *   logged in from before (so a guesser elsewhere cannot lock its owner out);
 * - an (account, address) pair past maxPerAccount failures waits delaySeconds after its last one,
 *   doubled at each further failure, up to maxDelayMinutes.
 */
export function loginWaitSeconds(recent: RecentFailures, limits: LoginLimits): number {
  const now = recent.now.getTime();
  const windowMs = limits.windowMinutes * 60_000;
  const waits: number[] = [0];
  if (recent.forAddress >= limits.maxPerAddress && recent.addressLimitAt) waits.push(recent.addressLimitAt.getTime() + windowMs - now);
  if (!recent.knownAddress && recent.forAccount >= limits.maxPerAccount && recent.accountLimitAt) waits.push(recent.accountLimitAt.getTime() + windowMs - now);
  if (recent.forPair >= limits.maxPerAccount && recent.pairLastAt) waits.push(recent.pairLastAt.getTime() + pairDelaySeconds(recent.forPair, limits) * 1000 - now);
  return Math.ceil(Math.max(...waits) / 1000);
}

/** The delay after the given number of failures of one pair (at least maxPerAccount of them). */
export function pairDelaySeconds(failures: number, limits: LoginLimits): number {
  const doublings = Math.min(failures - limits.maxPerAccount, 30); // 2^30 s is past any cap
  return Math.min(limits.delaySeconds * 2 ** doublings, limits.maxDelayMinutes * 60);
}
