import type { FieldError } from '../../../event-sourcing/index.js';

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
  constructor(
    message: string,
    /** The field at fault, when one string is: listed as the problem's `errors`. */
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
  }
}

/** What breaks a limit: the sentence, and the field path (`lines[0].memo`) where one string does. */
export interface JsonLimitViolation {
  problem: string;
  field?: string;
}

/**
 * No Kontor field holds a NUL character, and PostgreSQL text cannot: a NUL would otherwise reach
 * a query (an id looked up before it is validated) and fail there. A lone UTF-16 surrogate
 * (`"\ud800"` in JSON) is no character at all: UTF-8 cannot encode it, so a read-model column
 * would get U+FFFD or refuse it, and disagree with the log that keeps the escape.
 */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000)';
  const surrogate = loneSurrogate.exec(text)?.[0];
  if (surrogate === undefined) return undefined;
  const hex = surrogate.charCodeAt(0).toString(16);
  return `contains a lone UTF-16 surrogate (\\u${hex}), which is not a character`;
}

/** In a `u` regular expression a well-formed pair is one code point, so only lone halves match. */
const loneSurrogate = /\p{Cs}/u;

/** `lines[0].debit`: the path style of every field error. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The first limit the parsed JSON value breaks; undefined when it keeps them all. */
export function jsonLimitViolation(
  value: unknown,
  limits: JsonLimits = jsonLimits,
): JsonLimitViolation | undefined {
  // Iterative, so a body nested far beyond the limit cannot exhaust the stack while it is checked.
  const pending: { value: unknown; depth: number; path: string }[] = [
    { value, depth: 1, path: '' },
  ];
  while (pending.length > 0) {
    const { value: current, depth, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.length > limits.stringLengthMax)
        return { problem: `a string is longer than ${limits.stringLengthMax} characters` };
      const problem = unstorableTextProblem(current);
      if (problem) return { problem: `${path || 'the body'} ${problem}`, field: path || '(body)' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limits.depthMax)
      return { problem: `the body is nested deeper than ${limits.depthMax} levels` };
    if (Array.isArray(current)) {
      if (current.length > limits.arrayLengthMax)
        return { problem: `an array has more than ${limits.arrayLengthMax} items` };
      current.forEach((item, index) =>
        pending.push({ value: item, depth: depth + 1, path: fieldPath(path, index) }),
      );
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.objectKeysMax)
      return { problem: `an object has more than ${limits.objectKeysMax} properties` };
    for (const key of keys) {
      if (key.length > limits.stringLengthMax)
        return {
          problem: `a property name is longer than ${limits.stringLengthMax} characters`,
        };
      const keyProblem = unstorableTextProblem(key);
      if (keyProblem)
        return {
          problem: `a property name in ${path || 'the body'} ${keyProblem}`,
          field: path || '(body)',
        };
      const child = (current as Record<string, unknown>)[key];
      pending.push({ value: child, depth: depth + 1, path: fieldPath(path, key) });
    }
  }
  return undefined;
}
