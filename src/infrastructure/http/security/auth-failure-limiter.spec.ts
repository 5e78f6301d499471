import { HttpException } from '@nestjs/common';
import { AuthFailureLimiter, authFailureWindowMs } from './auth-failure-limiter.js';

describe('AuthFailureLimiter', () => {
  let now: number;
  const limiter = (failuresPerMinute: number) =>
    new AuthFailureLimiter({ authFailuresPerMinute: failuresPerMinute }, () => now);
  const retryAfterOf = (action: () => void): number | undefined => {
    try {
      action();
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(HttpException);
      expect((error as HttpException).getStatus()).toBe(429);
      return ((error as HttpException).getResponse() as { retryAfter: number }).retryAfter;
    }
  };

  beforeEach(() => {
    now = 1_000_000;
  });

  it('brakes an address after the limit for a minute, other addresses unaffected', () => {
    const brake = limiter(3);
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBeUndefined();
    expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBe(60);
    expect(retryAfterOf(() => brake.recordFailure('10.0.0.2'))).toBeUndefined();
    now += 30_000;
    expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBe(60 - 30);
    now += authFailureWindowMs;
    expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBeUndefined();
  });

  it('counts failures per window: spread-out failures never brake', () => {
    const brake = limiter(2);
    for (let minute = 0; minute < 5; minute += 1) {
      expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBeUndefined();
      expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBeUndefined();
      now += authFailureWindowMs;
    }
  });

  it('does nothing when turned off (0)', () => {
    const brake = limiter(0);
    for (let attempt = 0; attempt < 100; attempt += 1)
      expect(retryAfterOf(() => brake.recordFailure('10.0.0.1'))).toBeUndefined();
  });
});
