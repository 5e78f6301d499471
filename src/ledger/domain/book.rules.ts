/** Limits and small shape rules shared by the book's commands. */

export const bookIdLengthMax = 64;
export const bookNameLengthMax = 200;
export const accountCodeLengthMax = 64;
export const accountNameLengthMax = 200;
export const entryIdLengthMax = 128;
export const idempotencyKeyLengthMax = 255;
export const reopenReasonLengthMax = 2000;

/**
 * Festschreibung (docs/adr/0014): closing a period locks it and every earlier period. The latest
 * closed period at or after `period`, the one that locks it; undefined when `period` is open.
 */
export function lockingPeriod(
  closedPeriods: ReadonlySet<string>,
  period: string,
): string | undefined {
  let locking: string | undefined;
  for (const closed of closedPeriods)
    if (closed >= period && (locking === undefined || closed > locking)) locking = closed;
  return locking;
}

/** The closed periods after `period`, latest first: they must be reopened before it. */
export function closedPeriodsAfter(closedPeriods: ReadonlySet<string>, period: string): string[] {
  return [...closedPeriods]
    .filter((closed) => closed > period)
    .sort()
    .reverse();
}

/** Book ids and account codes appear in stream ids and URL paths: letters, digits, `.`, `_`, `-`. */
const identifierPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function identifierProblem(value: unknown, lengthMax: number): string | undefined {
  if (value == null) return 'is required';
  if (typeof value !== 'string' || !identifierPattern.test(value))
    return 'must be letters, digits, ".", "_" or "-", starting with a letter or digit';
  if (value.length > lengthMax) return `at most ${lengthMax} characters`;
  return undefined;
}

export function textProblem(
  value: unknown,
  rule: { required: boolean; lengthMax: number },
): string | undefined {
  if (value == null) return rule.required ? 'is required' : undefined;
  if (typeof value !== 'string') return 'must be a string';
  if (rule.required && value.trim().length === 0) return 'must not be blank';
  if (value.length > rule.lengthMax) return `at most ${rule.lengthMax} characters`;
  return undefined;
}
