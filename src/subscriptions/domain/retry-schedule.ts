/**
 * When to try a failed delivery again: exponential backoff with jitter. The n-th retry waits
 * between half and all of `min(max, base · 2^(n-1))` (`random` in [0, 1) picks where), so many
 * webhooks failing at once do not retry in lockstep. Past the retry window (24 h by default,
 * counted from the first attempt) the delivery is given up: `undefined`.
 */
export interface RetryPolicy {
  baseMilliseconds: number;
  maxMilliseconds: number;
  windowMilliseconds: number;
}

/** 2^30 · base is far past any window; the exponent stops there so the number stays finite. */
const exponentMax = 30;

export function retryDelayMilliseconds(
  attempts: number,
  policy: RetryPolicy,
  random: number,
): number {
  const ceiling = Math.min(
    policy.maxMilliseconds,
    policy.baseMilliseconds * 2 ** Math.min(attempts - 1, exponentMax),
  );
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}

/** The time of the next attempt after `attempts` failures, or undefined when the window is over. */
export function nextAttemptAt(
  attempts: number,
  firstAttemptAt: Date,
  failedAt: Date,
  policy: RetryPolicy,
  random: number,
): Date | undefined {
  const next = new Date(failedAt.getTime() + retryDelayMilliseconds(attempts, policy, random));
  return next.getTime() - firstAttemptAt.getTime() > policy.windowMilliseconds ? undefined : next;
}
