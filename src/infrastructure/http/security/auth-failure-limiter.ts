import { KontorConfig } from '../../../config.js';
import { rateLimited } from './rate-limited.js';

export const authFailureWindowMs = 60_000;
/** Addresses tracked at once; beyond it the stalest are forgotten (bounded memory under a spray of addresses). */
export const trackedAddressesMax = 100_000;

interface AddressFailures {
  windowStartMs: number;
  failures: number;
  blockedUntilMs: number;
}

/**
 * Brute-force brake: counts failed authentications (401) per client address. Once an address
 * has failed more than `KONTOR_AUTH_FAILURES_PER_MINUTE` times within a minute, its failures are
 * answered 429 `rate-limited` with `Retry-After` until a minute has passed. Requests with a
 * valid key are neither counted nor refused, so clients sharing the address keep working.
 * Synchronous on purpose: the auth guard calls it without awaiting anything.
 */
export class AuthFailureLimiter {
  private readonly byAddress = new Map<string, AddressFailures>();
  private readonly failuresPerMinute: number;

  constructor(
    config: Pick<KontorConfig, 'authFailuresPerMinute'>,
    private readonly now: () => number = Date.now,
  ) {
    this.failuresPerMinute = config.authFailuresPerMinute;
  }

  get enabled(): boolean {
    return this.failuresPerMinute > 0;
  }

  /** Records one failed authentication from `address`; throws 429 once the address is over the limit. */
  recordFailure(address: string): void {
    if (!this.enabled) return;
    const now = this.now();
    const entry = this.entryFor(address, now);
    entry.failures += 1;
    if (entry.failures > this.failuresPerMinute && entry.blockedUntilMs <= now)
      entry.blockedUntilMs = now + authFailureWindowMs;
    if (entry.blockedUntilMs > now) {
      const seconds = Math.ceil((entry.blockedUntilMs - now) / 1000);
      throw rateLimited(
        `too many failed authentications from this address; retry after ${seconds} s`,
        seconds,
      );
    }
  }

  private entryFor(address: string, now: number): AddressFailures {
    const existing = this.byAddress.get(address);
    if (
      existing &&
      (now - existing.windowStartMs < authFailureWindowMs || existing.blockedUntilMs > now)
    ) {
      if (now - existing.windowStartMs >= authFailureWindowMs) {
        existing.windowStartMs = now;
        existing.failures = 0;
      }
      return existing;
    }
    this.byAddress.delete(address);
    if (this.byAddress.size >= trackedAddressesMax) this.forgetStalest(now);
    const fresh = { windowStartMs: now, failures: 0, blockedUntilMs: 0 };
    this.byAddress.set(address, fresh);
    return fresh;
  }

  private forgetStalest(now: number): void {
    for (const [address, entry] of this.byAddress) {
      if (now - entry.windowStartMs >= authFailureWindowMs && entry.blockedUntilMs <= now)
        this.byAddress.delete(address);
    }
    // Still full: drop the oldest insertions (Map iterates in insertion order).
    for (const address of this.byAddress.keys()) {
      if (this.byAddress.size < trackedAddressesMax) break;
      this.byAddress.delete(address);
    }
  }
}
