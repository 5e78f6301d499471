import Ajv from 'ajv';
import fc from 'fast-check';
import { validatedAs } from '../../infrastructure/http/validation.js';
import { BatchJournalEntryRequest } from './journal-batch.dto.js';
import { batchJournalEntrySchema } from './journal-entry.schema.js';

/** The DTO without its registered fast path: what class-validator alone says. */
class DtoOnly extends BatchJournalEntryRequest {}

const acceptsFast = new Ajv({ strict: true }).compile(batchJournalEntrySchema);

async function dtoAccepts(body: unknown): Promise<boolean> {
  try {
    await validatedAs(DtoOnly, body);
    return true;
  } catch {
    return false;
  }
}

/** Strings near the bounds, with variation selectors, surrogates and the plain forms. */
const text = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('', '\uFE0F', '\uFE0E\uFE0F', '\uD83D', '😀', 'a\uFE0F', 'EUR', 'eur'),
  fc.constantFrom('2026-03-31', '2026-3-31', '２０２６-03-31', 'sha256:' + 'a'.repeat(64)),
  fc.nat({ max: 1100 }).map((length) => 'x'.repeat(length)),
  fc.nat({ max: 1100 }).map((length) => '\uFE0F'.repeat(length)),
);
const anyValue = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean(), fc.array(text));
/** Mostly a plausible value, sometimes anything. */
const field = <T>(plausible: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: plausible, weight: 30 }, { arbitrary: anyValue, weight: 1 });
/** An object with some of the given fields (absent ones left out), rarely an unknown one. */
function someOf(fields: Record<string, fc.Arbitrary<unknown>>, required: string[]) {
  const present = Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      required.includes(key)
        ? fc.oneof(
            { arbitrary: value, weight: 40 },
            { arbitrary: fc.constant(undefined), weight: 1 },
          )
        : fc.option(value, { nil: undefined, freq: 2 }),
    ]),
  );
  const unknown = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 40 },
    { arbitrary: anyValue, weight: 1 },
  );
  return fc
    .record({ ...present, unknown })
    .map((record) =>
      Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)),
    );
}

const amount = fc.constantFrom('1.00', '1200.50', '0', 'x'.repeat(40), 'x'.repeat(41));
const line = someOf(
  {
    account: field(fc.constantFrom('6310', '1200', 'assets.bank', 'x'.repeat(65))),
    debit: field(amount),
    credit: field(amount),
    currency: field(fc.constantFrom('EUR', 'USD', 'eur', 'EURO')),
    memo: field(fc.oneof(fc.string({ maxLength: 8 }), text)),
    taxCode: field(fc.constantFrom('USt19', '\uFE0F', 'x'.repeat(32), 'x'.repeat(33))),
    party: field(fc.constantFrom('p-1', 'x'.repeat(128), 'x'.repeat(129))),
  },
  ['account'],
);
const body = someOf(
  {
    effectiveDate: field(fc.constantFrom('2026-03-31', '2026-02-30', '2026-01-01', '2026-3-31')),
    description: field(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), text)),
    reference: field(fc.oneof(fc.string({ maxLength: 8 }), text)),
    lines: field(fc.array(line, { minLength: 1, maxLength: 3 })),
    metadata: field(fc.dictionary(fc.string({ maxLength: 3 }), anyValue, { maxKeys: 2 })),
    documents: field(
      fc.array(fc.constantFrom('sha256:' + 'a'.repeat(64), 'sha256:x'), { maxLength: 2 }),
    ),
    tax: field(fc.constant('auto')),
    idempotencyKey: field(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), text)),
  },
  ['effectiveDate', 'description', 'lines'],
);

describe('the posting body fast path (JSON Schema)', () => {
  it('accepts only bodies the DTO accepts: everything else gets the DTO’s own errors', async () => {
    let acceptedFast = 0;
    await fc.assert(
      fc.asyncProperty(body, async (candidate) => {
        if (!acceptsFast(candidate)) return;
        acceptedFast++;
        expect(await dtoAccepts(candidate)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    // The generator reaches the accepting side too, or the property would say nothing.
    expect(acceptedFast).toBeGreaterThan(10);
  });

  it('accepts a plain posting body and hands it on unchanged', async () => {
    const plain = {
      effectiveDate: '2026-03-31',
      description: 'Office rent March',
      lines: [
        { account: '6310', debit: '1200.00', memo: 'March' },
        { account: '1200', credit: '1200.00', currency: 'EUR' },
      ],
      idempotencyKey: 'rent-2026-03',
    };
    expect(acceptsFast(plain)).toBe(true);
    expect(await validatedAs(BatchJournalEntryRequest, plain)).toBe(plain);
  });
});
