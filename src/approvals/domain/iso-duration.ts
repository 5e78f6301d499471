import { parse, pattern } from 'iso8601-duration';

/** Longest accepted `expiresAfter`, measured from a leap-year start (P1Y and P366D pass). */
export const expiresAfterDaysMax = 366;
const durationReferenceStart = '2000-01-01T00:00:00.000Z';
const millisecondsPerDay = 86_400_000;
// The library's pattern is not anchored and accepts a dangling "T" ("P1DT"); ISO 8601 does not.
const anchoredPattern = new RegExp(`^${pattern.source}$`);

/** Adds an ISO 8601 duration to an instant, in UTC. Months clamp to the month's last day (Jan 31 + P1M = Feb 28/29). */
export function addIsoDuration(startIso: string, duration: string): string {
  const parts = parse(duration);
  const start = new Date(startIso);
  const year = start.getUTCFullYear() + (parts.years ?? 0);
  const monthIndex = start.getUTCMonth() + (parts.months ?? 0);
  const targetYear = year + Math.floor(monthIndex / 12);
  const targetMonth = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  const dateShifted = Date.UTC(
    targetYear,
    targetMonth,
    day,
    start.getUTCHours(),
    start.getUTCMinutes(),
    start.getUTCSeconds(),
    start.getUTCMilliseconds(),
  );
  const daysMs = ((parts.weeks ?? 0) * 7 + (parts.days ?? 0)) * millisecondsPerDay;
  const timeMs = Math.round(
    ((parts.hours ?? 0) * 3600 + (parts.minutes ?? 0) * 60 + (parts.seconds ?? 0)) * 1000,
  );
  return new Date(dateShifted + daysMs + timeMs).toISOString();
}

/** Why a duration is refused, or undefined when it is a positive ISO 8601 duration within the limit. */
export function durationProblem(duration: unknown): string | undefined {
  if (typeof duration !== 'string' || !anchoredPattern.test(duration) || duration.endsWith('T')) {
    return 'must be an ISO 8601 duration such as "P7D" or "PT12H"';
  }
  let end: number;
  try {
    end = Date.parse(addIsoDuration(durationReferenceStart, duration));
  } catch {
    return `must be at most ${expiresAfterDaysMax} days`; // beyond the range of a Date
  }
  const lengthMs = end - Date.parse(durationReferenceStart);
  if (!(lengthMs > 0)) return 'must be longer than zero';
  if (lengthMs > expiresAfterDaysMax * millisecondsPerDay)
    return `must be at most ${expiresAfterDaysMax} days`;
  return undefined;
}
