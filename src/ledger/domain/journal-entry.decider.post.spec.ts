import { AssertionFailed, NotFoundError, ValidationError } from '../../event-sourcing/index.js';
import {
  entryPosted,
  openBookWithAccounts,
  postEntry,
  refusal,
  rentPostedData,
  stateAfter,
} from '../testing/book.test-fixtures.js';
import { closed, fieldsOf, marchClosed, spec } from '../testing/journal-entry.decider.fixtures.js';
import { bookDecider } from './book.decider.js';
import { linesMax } from './journal-entry.rules.js';
import {
  AccountClosedError,
  CurrencyNotAcceptedError,
  PeriodClosedError,
  UnbalancedEntryError,
  UnknownAccountError,
} from './ledger.errors.js';

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
