/** Shape limits on JSON request bodies, checked at parse time (before any DTO is built). */
export interface JsonLimits {
  /** Nesting of objects and arrays; the body itself is depth 1. */
  depthMax: number;
  /** Items in one array. */
  arrayLengthMax: number;
  /** Properties of one object. */
  objectKeysMax: number;
  /** Characters in one string (property names included). */
  stringLengthMax: number;
}

/** No Kontor request comes near these; a hostile body is refused before it costs anything. */
export const jsonLimits: JsonLimits = {
  depthMax: 32,
  arrayLengthMax: 10_000,
  objectKeysMax: 10_000,
  stringLengthMax: 64 * 1024,
};

/** A body within 1 MiB that breaks a shape limit: 400 `validation` (the problem filter maps `statusCode`). */
export class JsonLimitError extends Error {
  override name = 'JsonLimitError';
  readonly statusCode = 400;
  readonly code = 'KONTOR_JSON_LIMIT';
}

/**
 * No Kontor field holds a NUL character, and PostgreSQL text cannot: a NUL would otherwise reach
 * a query (an id looked up before it is validated) and fail there.
 */
const nulProblem = 'a string contains a NUL character (\\u0000)';

/** The first limit the parsed JSON value breaks, as a sentence; undefined when it keeps them all. */
export function jsonLimitViolation(
  value: unknown,
  limits: JsonLimits = jsonLimits,
): string | undefined {
  // Iterative, so a body nested far beyond the limit cannot exhaust the stack while it is checked.
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.length > limits.stringLengthMax)
        return `a string is longer than ${limits.stringLengthMax} characters`;
      if (current.includes('\u0000')) return nulProblem;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limits.depthMax) return `the body is nested deeper than ${limits.depthMax} levels`;
    if (Array.isArray(current)) {
      if (current.length > limits.arrayLengthMax)
        return `an array has more than ${limits.arrayLengthMax} items`;
      for (const item of current) pending.push({ value: item, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.objectKeysMax)
      return `an object has more than ${limits.objectKeysMax} properties`;
    for (const key of keys) {
      if (key.length > limits.stringLengthMax)
        return `a property name is longer than ${limits.stringLengthMax} characters`;
      if (key.includes('\u0000')) return nulProblem;
      pending.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}
