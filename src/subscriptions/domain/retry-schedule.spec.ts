import { nextAttemptAt, retryDelayMilliseconds } from './retry-schedule.js';

const policy = {
  baseMilliseconds: 1_000,
  maxMilliseconds: 3_600_000,
  windowMilliseconds: 86_400_000,
};

describe('retry schedule', () => {
  it('doubles the delay per attempt, jittered between half and all of it', () => {
    expect(retryDelayMilliseconds(1, policy, 0)).toBe(500);
    expect(retryDelayMilliseconds(1, policy, 0.99)).toBe(995);
    expect(retryDelayMilliseconds(2, policy, 0)).toBe(1_000);
    expect(retryDelayMilliseconds(5, policy, 0)).toBe(8_000);
  });

  it('never waits longer than the maximum, however many attempts', () => {
    expect(retryDelayMilliseconds(20, policy, 0.999)).toBeLessThanOrEqual(3_600_000);
    expect(retryDelayMilliseconds(10_000, policy, 0.5)).toBe(2_700_000);
  });

  it('gives up once the next attempt would fall past the window', () => {
    const first = new Date('2026-01-01T00:00:00.000Z');
    expect(nextAttemptAt(1, first, first, policy, 0)).toEqual(new Date('2026-01-01T00:00:00.500Z'));
    const late = new Date(first.getTime() + 86_400_000 - 100);
    expect(nextAttemptAt(30, first, late, policy, 0)).toBeUndefined();
  });
});
