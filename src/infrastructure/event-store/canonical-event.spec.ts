import fc from 'fast-check';
import canonicalize from 'canonicalize';
import {
  canonicalEventJson,
  chainHash,
  genesisHash,
  HashedFields,
  ValidationError,
} from '../../event-sourcing/index.js';
import {
  canonicalEventJsonFromParts,
  canonicalJson,
  chainHashFromParts,
  fastCanonicalize,
  snapshotStateJson,
  storedEventHashMismatch,
} from './canonical-event.js';

const hashedFields: fc.Arbitrary<HashedFields> = fc.record({
  eventId: fc.string({ unit: 'binary' }),
  streamId: fc.string({ unit: 'binary' }),
  revision: fc.nat(),
  position: fc.bigInt({ min: 1n, max: 2n ** 62n }),
  type: fc.string({ unit: 'binary' }),
  schemaVersion: fc.integer({ min: 1, max: 1000 }),
  data: fc.jsonValue(),
  metadata: fc.record({
    actor: fc.record({ id: fc.string(), name: fc.string({ unit: 'binary' }) }),
    correlationId: fc.string(),
    causationId: fc.option(fc.string(), { nil: undefined }),
    extra: fc.jsonValue(),
  }),
  recordedAt: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
});

function toParts(event: HashedFields) {
  return {
    ...event,
    dataJson: canonicalize(event.data)!,
    metadataJson: canonicalize(event.metadata)!,
  };
}

describe('canonical event from parts', () => {
  it('is byte-identical to the kernel canonical JSON of the event', () => {
    fc.assert(
      fc.property(hashedFields, (event) => {
        expect(canonicalEventJsonFromParts(toParts(event))).toBe(canonicalEventJson(event));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the kernel chain hash', () => {
    fc.assert(
      fc.property(
        hashedFields,
        fc.constantFrom(genesisHash, 'ab'.repeat(32)),
        (event, prevHash) => {
          expect(chainHashFromParts(prevHash, toParts(event))).toBe(chainHash(prevHash, event));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses values without a JSON form', () => {
    expect(() => canonicalJson({ amount: 1n }, 'data')).toThrow(ValidationError);
    expect(() => canonicalJson(undefined, 'data')).toThrow(ValidationError);
    expect(() => canonicalJson(Number.NaN, 'data')).toThrow(ValidationError);
  });
});

describe('fastCanonicalize', () => {
  const anything = fc.anything({
    withBigInt: false,
    withBoxedValues: false,
    withDate: true,
    withMap: false,
    withSet: false,
    withTypedArray: false,
    withSparseArray: true,
    withNullPrototype: true,
    withObjectString: true,
    withUnicodeString: true,
  });

  it('is byte-identical to canonicalize on JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(fastCanonicalize(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('is byte-identical to canonicalize on anything else JSON.stringify meets (undefined, dates, sparse arrays, odd keys)', () => {
    fc.assert(
      fc.property(anything, (value) => {
        let expected: string | undefined;
        let expectedError: unknown;
        try {
          expected = canonicalize(value);
        } catch (error) {
          expectedError = error;
        }
        if (expectedError !== undefined) expect(() => fastCanonicalize(value)).toThrow();
        else expect(fastCanonicalize(value)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees on the edge cases: -0, NaN, Infinity, toJSON, nested undefined', () => {
    for (const value of [
      -0,
      1e21,
      1e-7,
      0.1 + 0.2,
      { a: undefined, b: [undefined] },
      new Date(0),
      { toJSON: () => ({ z: 1, a: 2 }) },
      '\u2028\u0000"\\',
    ]) {
      expect(fastCanonicalize(value)).toBe(canonicalize(value));
    }
    expect(() => fastCanonicalize(Number.NaN)).toThrow();
    expect(() => fastCanonicalize({ x: Number.POSITIVE_INFINITY })).toThrow();
  });
});

describe('storedEventHashMismatch (verify hashes the stored canonical text as it is)', () => {
  it('accepts exactly the text the append path stored: its hash is the kernel chain hash', () => {
    fc.assert(
      fc.property(hashedFields, (event) => {
        const stored = {
          ...event,
          dataJson: canonicalJson(event.data, 'data'),
          metadataJson: canonicalJson(event.metadata, 'metadata'),
        };
        expect(
          storedEventHashMismatch(genesisHash, stored, chainHash(genesisHash, event)),
        ).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('names a value change, a rewrite of the text with the same values, and text that is not JSON', () => {
    const event: HashedFields = {
      eventId: 'e1',
      streamId: 's',
      revision: 0,
      position: 1n,
      type: 'T',
      schemaVersion: 1,
      data: { b: 1, a: 'x' },
      metadata: { actor: { id: 'k', name: 'K' }, correlationId: 'c' },
      recordedAt: '2026-01-01T00:00:00.000Z',
    };
    const hash = chainHash(genesisHash, event);
    const stored = {
      ...event,
      dataJson: canonicalJson(event.data, 'data'),
      metadataJson: canonicalJson(event.metadata, 'metadata'),
    };
    expect(
      storedEventHashMismatch(genesisHash, { ...stored, dataJson: '{"a":"x","b":2}' }, hash),
    ).toMatch(/changed/);
    expect(
      storedEventHashMismatch(genesisHash, { ...stored, dataJson: '{"b":1,"a":"x"}' }, hash),
    ).toMatch(/rewritten/);
    expect(
      storedEventHashMismatch(genesisHash, { ...stored, metadataJson: '{"actor":' }, hash),
    ).toMatch(/not valid JSON/);
    expect(
      storedEventHashMismatch(
        genesisHash,
        { ...stored, recordedAt: '2026-01-01T00:00:00.001Z' },
        hash,
      ),
    ).toMatch(/changed/);
  });
});

describe('snapshotStateJson', () => {
  it('round-trips JSON values and refuses states without a JSON form', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (state) =>
        expect(JSON.parse(snapshotStateJson(state))).toEqual(JSON.parse(JSON.stringify(state))),
      ),
    );
    expect(() => snapshotStateJson({ amount: 1n })).toThrow(ValidationError);
    expect(() => snapshotStateJson(undefined)).toThrow(ValidationError);
  });
});
