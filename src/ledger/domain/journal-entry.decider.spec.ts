import {
  AssertionFailed,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from './book.decider.js';
import { BookEvent, JournalEntryPostedData } from './book.events.js';
import { findEntry, findIdempotentEntry } from './book.state.js';
import {
  entryPosted,
  openBookWithAccounts,
  postEntry,
  refusal,
  rentPostedData,
  reverseEntry,
  stateAfter,
} from '../testing/book.test-fixtures.js';
import { entryTotals, linesMax, validateJournalEntry } from './journal-entry.rules.js';
import {
  AccountClosedError,
  CurrencyNotAcceptedError,
  IdempotencyMismatchError,
  PeriodClosedError,
  ReversalOfReversalError,
  UnbalancedEntryError,
  UnknownAccountError,
} from './ledger.errors.js';

const spec = deciderSpec(bookDecider);
const marchClosed: BookEvent = { type: 'PeriodClosed', data: { period: '2026-03' } };
const closed = (code: string): BookEvent => ({ type: 'AccountClosed', data: { code } });

function fieldsOf(error: unknown): string[] {
  return ((error as ValidationError).fieldErrors ?? []).map((fieldError) => fieldError.field);
}

describe('PostJournalEntry: allowed', () => {
  it('posts a balanced entry, defaulting the currency to the base currency', () => {
    spec.given(openBookWithAccounts).when(postEntry()).then([entryPosted()]);
  });

  it('keeps metadata and leaves out absent optional fields', () => {
    const { reference: _reference, ...withoutReference } = postEntry({
      metadata: { costCenter: 'HQ', project: 7, billable: true, note: null },
    });
    const { reference: _omitted, ...data } = rentPostedData;
    spec
      .given(openBookWithAccounts)
      .when(withoutReference)
      .then([
        {
          type: 'JournalEntryPosted',
          data: { ...data, metadata: { costCenter: 'HQ', project: 7, billable: true, note: null } },
        },
      ]);
  });

  it('posts JPY (no minor digits) and BHD (three minor digits)', () => {
    spec
      .given(openBookWithAccounts)
      .when(
        postEntry({
          lines: [
            { account: '1010', debit: '1500', currency: 'JPY' },
            { account: '8400', credit: '1500', currency: 'JPY' },
            { account: '1220', debit: '12.345', currency: 'BHD' },
            { account: '8400', credit: '12.345', currency: 'BHD' },
          ],
        }),
      )
      .then([
        entryPosted({
          lines: [
            { account: '1010', side: 'debit', amountMinor: '1500', currency: 'JPY' },
            { account: '8400', side: 'credit', amountMinor: '1500', currency: 'JPY' },
            { account: '1220', side: 'debit', amountMinor: '12345', currency: 'BHD' },
            { account: '8400', side: 'credit', amountMinor: '12345', currency: 'BHD' },
          ],
        }),
      ]);
  });

  it('posts a multi-currency entry balanced per currency', () => {
    const events = bookDecider.decide(
      postEntry({
        lines: [
          { account: '1210', debit: '100.00', currency: 'USD' },
          { account: '8400', credit: '60.00', currency: 'USD' },
          { account: '8400', credit: '40.00', currency: 'USD' },
          { account: '1200', debit: '90.00' },
          { account: '8400', credit: '90.00', currency: 'EUR' },
        ],
      }),
      stateAfter(openBookWithAccounts),
    );
    expect(events).toHaveLength(1);
  });

  it('posts into a reopened period', () => {
    spec
      .given([
        ...openBookWithAccounts,
        marchClosed,
        { type: 'PeriodReopened', data: { period: '2026-03', reason: 'late invoice' } },
      ])
      .when(postEntry())
      .then([entryPosted()]);
  });

  it(`accepts exactly ${linesMax} lines`, () => {
    const lines = Array.from({ length: linesMax }, (_, index) =>
      index % 2 === 0 ? { account: '6310', debit: '1.00' } : { account: '1200', credit: '1.00' },
    );
    expect(bookDecider.decide(postEntry({ lines }), stateAfter(openBookWithAccounts))).toHaveLength(
      1,
    );
  });

  it('accepts a leap day', () => {
    spec
      .given(openBookWithAccounts)
      .when(postEntry({ effectiveDate: '2028-02-29' }))
      .then([entryPosted({ effectiveDate: '2028-02-29' })]);
  });
});

describe('PostJournalEntry: refused', () => {
  it('refuses an entry before the book is opened', () => {
    spec.given([]).when(postEntry()).thenThrows(NotFoundError, 'not-found');
  });

  it('refuses one line', () => {
    expect(
      refusal(openBookWithAccounts, postEntry({ lines: [{ account: '6310', debit: '1.00' }] })),
    ).toMatchObject({
      code: 'validation',
      fieldErrors: [{ field: 'lines' }],
    });
  });

  it(`refuses more than ${linesMax} lines`, () => {
    const lines = Array.from({ length: linesMax + 2 }, (_, index) =>
      index % 2 === 0 ? { account: '6310', debit: '1.00' } : { account: '1200', credit: '1.00' },
    );
    spec
      .given(openBookWithAccounts)
      .when(postEntry({ lines }))
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses a line with both debit and credit, and one with neither', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [{ account: '6310', debit: '1.00', credit: '1.00' }, { account: '1200' }],
      }),
    );
    expect(error).toMatchObject({ code: 'validation' });
    expect(fieldsOf(error)).toEqual(['lines[0]', 'lines[1]']);
  });

  it('refuses zero, negative, exponent and non-string amounts, each at its field', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [
          { account: '6310', debit: '0.00' },
          { account: '1200', credit: '-1.00' },
          { account: '1200', credit: '1e3' },
          { account: '1200', credit: 12 as unknown as string },
        ],
      }),
    );
    expect(fieldsOf(error)).toEqual([
      'lines[0].debit',
      'lines[1].credit',
      'lines[2].credit',
      'lines[3].credit',
    ]);
  });

  it('refuses more decimals than the currency has (EUR 2, JPY 0, BHD 3)', () => {
    for (const [amount, currency] of [
      ['1.001', 'EUR'],
      ['1.5', 'JPY'],
      ['1.0001', 'BHD'],
    ] as const) {
      const error = refusal(
        openBookWithAccounts,
        postEntry({
          lines: [
            { account: '8400', debit: amount, currency },
            { account: '8400', credit: amount, currency },
          ],
        }),
      );
      expect(error).toMatchObject({ code: 'validation' });
      expect(fieldsOf(error)).toEqual(['lines[0].debit', 'lines[1].credit']);
    }
  });

  it('refuses an unknown currency on a line', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [
          { account: '6310', debit: '1.00', currency: 'EURO' },
          { account: '1200', credit: '1.00' },
        ],
      }),
    );
    expect(fieldsOf(error)).toEqual(['lines[0].currency']);
  });

  it('refuses an effective date that is no calendar date', () => {
    for (const effectiveDate of [
      '2026-02-30',
      '2026-13-01',
      '2027-02-29',
      '31.03.2026',
      '2026-3-31',
    ]) {
      expect(fieldsOf(refusal(openBookWithAccounts, postEntry({ effectiveDate })))).toEqual([
        'effectiveDate',
      ]);
    }
  });

  it('refuses a blank description and non-flat metadata', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({ description: ' ', metadata: { nested: { a: 1 } } as never }),
    );
    expect(fieldsOf(error)).toEqual(['description', 'metadata.nested']);
  });

  it('refuses an unbalanced entry, naming the difference', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [
          { account: '6310', debit: '1200.00' },
          { account: '1200', credit: '1199.99' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(UnbalancedEntryError);
    expect(error).toMatchObject({ code: 'unbalanced-entry' });
    expect((error as Error).message).toContain(
      'EUR debits 1200.00 ≠ credits 1199.99 (difference 0.01)',
    );
  });

  it('refuses an entry balanced in total but not per currency', () => {
    spec
      .given(openBookWithAccounts)
      .when(
        postEntry({
          lines: [
            { account: '1210', debit: '100.00', currency: 'USD' },
            { account: '8400', credit: '100.00', currency: 'EUR' },
          ],
        }),
      )
      .thenThrows(UnbalancedEntryError, 'unbalanced-entry');
  });

  it('refuses an unknown account, naming the line', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [
          { account: '6310', debit: '5.00' },
          { account: '9999', credit: '5.00' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(UnknownAccountError);
    expect(fieldsOf(error)).toEqual(['lines[1].account']);
  });

  it('refuses a closed account', () => {
    spec
      .given([...openBookWithAccounts, closed('6310')])
      .when(postEntry())
      .thenThrows(AccountClosedError, 'account-closed');
  });

  it('refuses a currency the account does not take', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [
          { account: '1210', debit: '5.00' },
          { account: '8400', credit: '5.00' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(CurrencyNotAcceptedError);
    expect(error).toMatchObject({
      code: 'business-rule',
      fieldErrors: [{ field: 'lines[0].currency' }],
    });
  });

  it('refuses an effective date in a closed period', () => {
    spec
      .given([...openBookWithAccounts, marchClosed])
      .when(postEntry())
      .thenThrows(PeriodClosedError, 'period-closed');
  });

  it('asserts that the edge made an entry id', () => {
    spec
      .given(openBookWithAccounts)
      .when(postEntry({ entryId: '' }))
      .thenThrows(AssertionFailed);
  });
});

describe('PostJournalEntry: repeated', () => {
  const idempotency = { key: 'key-1', requestHash: 'hash-a' };
  const postedWithKey = entryPosted({ idempotencyKey: 'key-1', requestHash: 'hash-a' });

  it('records the Idempotency-Key and request hash on the event', () => {
    spec.given(openBookWithAccounts).when(postEntry({ idempotency })).then([postedWithKey]);
  });

  it('answers the same key and body with no events, and finds the original entry (also after a rebuild)', () => {
    const given = [...openBookWithAccounts, postedWithKey];
    spec
      .given(given)
      .when(postEntry({ entryId: 'entry-9', idempotency }))
      .then([]);
    expect(findIdempotentEntry(stateAfter(given), 'key-1')).toEqual({
      requestHash: 'hash-a',
      entryId: 'entry-1',
    });
  });

  it('answers the same key and body even when the period has closed since', () => {
    spec
      .given([...openBookWithAccounts, postedWithKey, marchClosed])
      .when(postEntry({ entryId: 'entry-9', idempotency }))
      .then([]);
  });

  it('refuses the same key with another body', () => {
    spec
      .given([...openBookWithAccounts, postedWithKey])
      .when(postEntry({ entryId: 'entry-9', idempotency: { key: 'key-1', requestHash: 'hash-b' } }))
      .thenThrows(IdempotencyMismatchError, 'idempotency-mismatch');
  });

  it('keeps keys per book: another key is a new posting', () => {
    spec
      .given([...openBookWithAccounts, postedWithKey])
      .when(postEntry({ entryId: 'entry-2', idempotency: { key: 'key-2', requestHash: 'hash-a' } }))
      .then([entryPosted({ entryId: 'entry-2', idempotencyKey: 'key-2', requestHash: 'hash-a' })]);
  });

  it('refuses an over-long key', () => {
    spec
      .given(openBookWithAccounts)
      .when(postEntry({ idempotency: { key: 'k'.repeat(256), requestHash: 'hash-a' } }))
      .thenThrows(ValidationError, 'validation');
  });

  it('answers the same entry id with the same lines with no events (a reactor re-run)', () => {
    spec
      .given([...openBookWithAccounts, entryPosted()])
      .when(postEntry())
      .then([]);
  });

  it('refuses the same entry id with other lines', () => {
    spec
      .given([...openBookWithAccounts, entryPosted()])
      .when(
        postEntry({
          lines: [
            { account: '6310', debit: '1.00' },
            { account: '1200', credit: '1.00' },
          ],
        }),
      )
      .thenThrows(ConflictError, 'conflict');
  });
});

describe('ReverseJournalEntry', () => {
  const swappedLines = [
    { account: '6310', side: 'credit', amountMinor: '120000', currency: 'EUR' },
    { account: '1200', side: 'debit', amountMinor: '120000', currency: 'EUR' },
  ] as const;
  const reversal: BookEvent = {
    type: 'JournalEntryPosted',
    data: {
      entryId: 'entry-2',
      effectiveDate: '2026-03-31',
      description: 'Booked twice',
      reference: 'INV-4711',
      lines: [...swappedLines],
      reversalOf: 'entry-1',
    },
  };
  const posted = [...openBookWithAccounts, entryPosted()];

  it('posts every line swapped, on the original effective date by default, linked both ways', () => {
    spec.given(posted).when(reverseEntry()).then([reversal]);
    const state = stateAfter([...posted, reversal]);
    expect(findEntry(state, 'entry-1')).toMatchObject({ kind: 'original', reversedBy: 'entry-2' });
    expect(findEntry(state, 'entry-2')).toEqual({ kind: 'reversal', reversalOf: 'entry-1' });
  });

  it("keeps the original's reference; an original without one gives a reversal without one", () => {
    spec.given(posted).when(reverseEntry()).then([reversal]);
    const { reference: _reference, ...withoutReference } = rentPostedData;
    const { reference: _none, ...reversalData } = reversal.data as JournalEntryPostedData;
    spec
      .given([...openBookWithAccounts, { type: 'JournalEntryPosted', data: withoutReference }])
      .when(reverseEntry())
      .then([{ type: 'JournalEntryPosted', data: reversalData }]);
  });

  it('takes a given effective date', () => {
    spec
      .given([...posted, marchClosed])
      .when(reverseEntry({ effectiveDate: '2026-04-01' }))
      .then([
        { ...reversal, data: { ...reversal.data, effectiveDate: '2026-04-01' } } as BookEvent,
      ]);
  });

  it('leaves every balance as before the original', () => {
    const state = stateAfter([...posted, reversal]);
    if (state.status !== 'open') throw new Error('book not open');
    expect(state.accounts.get('6310')?.balancesMinor.get('EUR')).toBe(0n);
    expect(state.accounts.get('1200')?.balancesMinor.get('EUR')).toBe(0n);
  });

  it('refuses an unknown entry with not-found', () => {
    spec
      .given(posted)
      .when(reverseEntry({ entryId: 'nope' }))
      .thenThrows(NotFoundError, 'not-found');
  });

  it('refuses reversing twice', () => {
    spec
      .given([...posted, reversal])
      .when(reverseEntry({ newEntryId: 'entry-3' }))
      .thenThrows(ConflictError, 'conflict');
  });

  it('refuses reversing a reversal with business-rule', () => {
    spec
      .given([...posted, reversal])
      .when(reverseEntry({ entryId: 'entry-2', newEntryId: 'entry-3' }))
      .thenThrows(ReversalOfReversalError, 'business-rule');
  });

  it('refuses a default effective date in a closed period', () => {
    spec
      .given([...posted, marchClosed])
      .when(reverseEntry())
      .thenThrows(PeriodClosedError, 'period-closed');
  });

  it('refuses when an account of the original has been closed since', () => {
    const revenue = (entryId: string, debitAccount: string, creditAccount: string) =>
      entryPosted({
        entryId,
        lines: [
          { account: debitAccount, side: 'debit', amountMinor: '500', currency: 'EUR' },
          { account: creditAccount, side: 'credit', amountMinor: '500', currency: 'EUR' },
        ],
      });
    spec
      .given([
        ...openBookWithAccounts,
        revenue('entry-1', '1200', '8400'),
        revenue('entry-0', '8400', '1200'),
        closed('8400'),
      ])
      .when(reverseEntry())
      .thenThrows(AccountClosedError, 'account-closed');
  });

  it('refuses a blank reason and a date that is no calendar date', () => {
    expect(
      fieldsOf(refusal(posted, reverseEntry({ reason: '', effectiveDate: '2026-04-31' }))),
    ).toEqual(['reason', 'effectiveDate']);
  });

  it('answers a repeat with the same new entry id with no events', () => {
    spec
      .given([...posted, reversal])
      .when(reverseEntry())
      .then([]);
  });

  it('refuses a new entry id that is already another entry', () => {
    spec
      .given([...posted, reversal])
      .when(reverseEntry({ entryId: 'entry-2', newEntryId: 'entry-1' }))
      .thenThrows(ConflictError, 'conflict');
  });

  it('honours an Idempotency-Key like a posting', () => {
    const idempotency = { key: 'rev-1', requestHash: 'hash-r' };
    const withKey = {
      ...reversal,
      data: { ...reversal.data, idempotencyKey: 'rev-1', requestHash: 'hash-r' },
    } as BookEvent;
    spec.given(posted).when(reverseEntry({ idempotency })).then([withKey]);
    spec
      .given([...posted, withKey])
      .when(reverseEntry({ newEntryId: 'entry-7', idempotency }))
      .then([]);
    spec
      .given([...posted, withKey])
      .when(
        reverseEntry({
          newEntryId: 'entry-7',
          idempotency: { key: 'rev-1', requestHash: 'other' },
        }),
      )
      .thenThrows(IdempotencyMismatchError, 'idempotency-mismatch');
  });
});

describe('validateJournalEntry and entryTotals (for approvals)', () => {
  it('returns the entry as it would be posted, without posting', () => {
    expect(validateJournalEntry(postEntry(), stateAfter(openBookWithAccounts))).toEqual(
      rentPostedData,
    );
  });

  it('throws what the post would throw', () => {
    expect(() =>
      validateJournalEntry(postEntry(), stateAfter([...openBookWithAccounts, marchClosed])),
    ).toThrow(PeriodClosedError);
    expect(() => validateJournalEntry(postEntry(), stateAfter([]))).toThrow(NotFoundError);
  });

  it('sums debits per currency and lists each account once', () => {
    const totals = entryTotals([
      { account: '6310', side: 'debit', amountMinor: '100', currency: 'EUR' },
      { account: '6310', side: 'debit', amountMinor: '50', currency: 'EUR' },
      { account: '1210', side: 'debit', amountMinor: '7', currency: 'USD' },
      { account: '1200', side: 'credit', amountMinor: '150', currency: 'EUR' },
      { account: '8400', side: 'credit', amountMinor: '7', currency: 'USD' },
    ]);
    expect(totals).toEqual({
      debitTotalsMinor: { EUR: 150n, USD: 7n },
      accounts: ['6310', '1210', '1200', '8400'],
    });
  });
});
