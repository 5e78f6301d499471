/**
 * fast-check arbitraries for hostile HTTP input: wrong types, huge and odd strings, deep nesting,
 * malformed amounts and dates, injection-like text, malformed JSON and wrong content types.
 */
import fc from 'fast-check';

export const sqlLike = [
  "'; DROP TABLE events; --",
  "1' OR '1'='1",
  '" OR ""="',
  "acme'); DELETE FROM events WHERE ('1'='1",
  '1; SELECT pg_sleep(10)',
  '$1',
  '%',
  '_',
  '\\',
];

export const pathLike = [
  '../../etc/passwd',
  '..',
  '.',
  '..%2F..%2Fetc%2Fpasswd',
  '/v1/books',
  '%00',
  'a/b',
  'a\\b',
  '~root',
  'file:///etc/passwd',
  'CON',
  'nul',
];

export const oddText = [
  '',
  ' ',
  '\u0000',
  '\u0000abc',
  '\r\n\r\nX-Injected: 1',
  '\u202e\u0645\u0631\u062d\u0628\u0627', // right-to-left override, Arabic
  '\ud83d\udca9\ud83c\udff3\ufe0f\u200d\ud83c\udf08', // emoji with ZWJ
  '\ud800', // lone surrogate
  '\ufeffBOM',
  'Ｅｕｒｏ',
  'e\u0301', // combining accent
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  'NaN',
];

export const oddAmounts = [
  '-1.00',
  '0',
  '0.00',
  '1.001',
  '1.0001',
  '1e3',
  '1E-2',
  '0x10',
  '0b11',
  '1,00',
  '1 000.00',
  ' 1.00',
  '1.00 ',
  '+1.00',
  '1.',
  '.5',
  'NaN',
  'Infinity',
  '-0',
  '00001.00',
  '１２３.００',
  '99999999999999999999999999999999.99',
  '9223372036854775808',
  '1.2.3',
  '١٢٣',
];

export const oddDates = [
  '2026-02-30',
  '2026-02-29',
  '2025-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '0000-00-00',
  '9999-12-32',
  '2026-2-3',
  '2026-03-31T00:00:00Z',
  '31.03.2026',
  '2026/03/31',
  '-002026-03-31',
  '+02026-03-31',
  '20260331',
  '2026-03-3x',
  '1970-01-01',
  '2026-W13-2',
];

export const oddTimes = [
  '2026-02-30T00:00:00Z',
  '2026-03-31T25:00:00Z',
  '2026-03-31',
  'yesterday',
  '1e12',
  '2026-03-31T00:00:00+99:00',
  '9999-12-31T23:59:59.999Z',
];

/** Any string a hostile client might send. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...sqlLike,
      ...pathLike,
      ...oddText,
      ...oddAmounts,
      ...oddDates,
      ...oddTimes,
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000, 70_000).map((length) => 'x'.repeat(length)) },
);

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { a: value };
  return value;
}

/** Any JSON value a hostile client might put where something else belongs. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      5e-324,
      Number.MAX_SAFE_INTEGER + 2,
      1234.56,
      true,
      false,
      null,
    ),
  },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 20, max: 60 }), fc.boolean())
      .map(([depth, asArray]) => nested(depth, 'deep', asArray)),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(2_000, 10_001)
      .map((length) => Array.from({ length }, (_, index) => index)),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      { ['__proto__']: { admin: true } },
      { constructor: { prototype: { admin: true } } },
      [],
      {},
      [null],
      [[]],
    ),
  },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    '',
    ' ',
    'toString',
    'hasOwnProperty',
    '$where',
    'id',
    'position',
    'a.b',
    'lines[0]',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Bodies that are not valid JSON (or not JSON at all). */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '}',
    '{"a":1,}',
    "{'a':1}",
    '{"a":1}}',
    '[1,2',
    'nul',
    'NaN',
    '{"a":NaN}',
    '{"a":1e999}',
    '{"a":-}',
    '\u0000',
    '\ufeff{}',
    '{"a":"\\u12"}',
    '{"a":"\\x41"}',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '"just a string"',
    '42',
    'true',
    'null',
    '[]',
    '{"a":1,"a":2}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
    '\xff\xfe{}',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

export const wrongContentTypes = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/problem+json',
  'application/json, text/plain',
  'json',
  '',
  '*/*',
];

/** Header values fetch can send (ByteString, no CR/LF/NUL), odd ones included. */
export const hostileHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...sqlLike,
    ...pathLike,
    'Bearer',
    'Bearer ',
    'Bearer  x y',
    'Basic dXNlcjpwYXNz',
    'kontor_',
    '\u00ff\u00fe',
    'x'.repeat(8_000),
  ),
  fc.string({
    unit: fc
      .integer({ min: 0x21, max: 0xff })
      .filter((code) => code !== 0x7f)
      .map((code) => String.fromCharCode(code)),
    minLength: 1,
    maxLength: 60,
  }),
);

/** Every path through a JSON value: ['lines', 0, 'debit'], … (the value itself is []). */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = [prefix];
  if (Array.isArray(value))
    value.forEach((item, index) => paths.push(...pathsOf(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  }
  return paths;
}

type Mutation = 'replace' | 'delete' | 'add-unknown' | 'wrap-in-array' | 'null';

/** A copy of `value` with one place changed the way `mutation` says. */
export function mutate(
  value: unknown,
  path: (string | number)[],
  mutation: Mutation,
  replacement: unknown,
  key: string,
): unknown {
  if (path.length === 0) {
    switch (mutation) {
      case 'replace':
        return replacement;
      case 'delete':
        return undefined;
      case 'add-unknown':
        return typeof value === 'object' && value !== null && !Array.isArray(value)
          ? { ...value, [key]: replacement }
          : [value, replacement];
      case 'wrap-in-array':
        return [value];
      case 'null':
        return null;
    }
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const changed = mutate(copy[head as number], rest, mutation, replacement, key);
    if (changed === undefined) copy.splice(head as number, 1);
    else copy[head as number] = changed;
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  const changed = mutate(copy[head as string], rest, mutation, replacement, key);
  if (changed === undefined) delete copy[head as string];
  else copy[head as string] = changed;
  return copy;
}

/** One hostile change to a plausible body. */
export function hostileVariant(sample: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(sample);
  return fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom<Mutation>(
        'replace',
        'replace',
        'replace',
        'delete',
        'add-unknown',
        'wrap-in-array',
        'null',
      ),
      hostileValue,
      hostileKey,
    )
    .map(([path, mutation, replacement, key]) => mutate(sample, path, mutation, replacement, key));
}
