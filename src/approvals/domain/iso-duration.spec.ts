import { addIsoDuration, durationProblem } from './iso-duration.js';

describe('addIsoDuration', () => {
  it.each([
    ['2026-03-31T10:00:00.000Z', 'P7D', '2026-04-07T10:00:00.000Z'],
    ['2026-03-31T10:00:00.000Z', 'PT12H', '2026-03-31T22:00:00.000Z'],
    ['2026-03-31T10:00:00.000Z', 'PT1.5H', '2026-03-31T11:30:00.000Z'],
    ['2026-01-31T00:00:00.000Z', 'P1M', '2026-02-28T00:00:00.000Z'],
    ['2024-01-31T00:00:00.000Z', 'P1M', '2024-02-29T00:00:00.000Z'],
    ['2026-12-15T00:00:00.000Z', 'P1M2W', '2027-01-29T00:00:00.000Z'],
    ['2026-03-28T23:00:00.000Z', 'P1DT2H', '2026-03-30T01:00:00.000Z'],
  ])('%s + %s = %s (UTC, no daylight-saving shifts)', (start, duration, end) => {
    expect(addIsoDuration(start, duration)).toBe(end);
  });
});

describe('durationProblem', () => {
  it.each(['P7D', 'PT1H', 'P1Y', 'P366D', 'P1W', 'PT0.5S'])('accepts %s', (duration) => {
    expect(durationProblem(duration)).toBeUndefined();
  });

  it.each(['', 'P', 'PT', 'P1DT', '7D', 'xP7D', 'P7Dx', 'P367D', 'P0D', 'P-1D', 'P999999999Y', 42])(
    'refuses %s',
    (duration) => {
      expect(durationProblem(duration)).toEqual(expect.any(String));
    },
  );
});
