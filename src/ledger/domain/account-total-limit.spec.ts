import { amountMinorMax, formatAmount } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from './book.decider.js';
import { BookEvent } from './book.events.js';
import {
  entryPosted,
  openBookWithAccounts,
  postEntry,
  refusal,
  reverseEntry,
} from '../testing/book.test-fixtures.js';
import { accountTotalMinorMax } from './journal-entry.rules.js';
import { AccountTotalLimitError } from './ledger.errors.js';

const spec = deciderSpec(bookDecider);
/** 9999999999999999.99 EUR: the largest amount of the report, one minor unit under 10^18. */
const huge = '9999999999999999.99';
const hugeMinor = (10n ** 18n - 1n).toString();

function hugeSale(entryId: string): BookEvent {
  return entryPosted({
    entryId,
    lines: [
      { account: '1200', side: 'debit', amountMinor: hugeMinor, currency: 'EUR' },
      { account: '8400', side: 'credit', amountMinor: hugeMinor, currency: 'EUR' },
    ],
  });
}

const saleOf = (amount: string, entryId = 'entry-9') =>
  postEntry({
    entryId,
    lines: [
      { account: '1200', debit: amount },
      { account: '8400', credit: amount },
    ],
  });

describe('account total limit (accountTotalMinorMax)', () => {
  it('fits the 64-bit integers of the read models, and one line fits it', () => {
    expect(accountTotalMinorMax).toBe(10n ** 18n);
    expect(accountTotalMinorMax).toBeLessThan(2n ** 63n - 1n);
    expect(amountMinorMax).toBeLessThanOrEqual(accountTotalMinorMax);
  });

  it('accepts an entry that brings an account exactly to the limit', () => {
    spec
      .given([...openBookWithAccounts, hugeSale('entry-1')])
      .when(saleOf('0.01'))
      .then([
        entryPosted({
          entryId: 'entry-9',
          lines: [
            { account: '1200', side: 'debit', amountMinor: '1', currency: 'EUR' },
            { account: '8400', side: 'credit', amountMinor: '1', currency: 'EUR' },
          ],
        }),
      ]);
  });

  it('refuses the second 9999999999999999.99 on one account with business-rule naming the limit', () => {
    const error = refusal([...openBookWithAccounts, hugeSale('entry-1')], saleOf(huge));
    expect(error).toBeInstanceOf(AccountTotalLimitError);
    const limit = `EUR ${formatAmount(accountTotalMinorMax, 'EUR')}`;
    expect(error).toMatchObject({
      code: 'business-rule',
      fieldErrors: [
        {
          field: 'lines[0].amount',
          message: `the debits of account 1200 would add up to EUR 19999999999999999.98, over the limit of ${limit} per account and currency`,
        },
        {
          field: 'lines[1].amount',
          message: `the credits of account 8400 would add up to EUR 19999999999999999.98, over the limit of ${limit} per account and currency`,
        },
      ],
    });
    expect((error as Error).message).toContain('Post the excess to another account');
  });

  it('counts the lines of one entry on the same account together', () => {
    const error = refusal(
      openBookWithAccounts,
      postEntry({
        lines: [
          { account: '1200', debit: huge },
          { account: '1200', debit: '0.02' },
          { account: '8400', credit: huge },
          { account: '6310', credit: '0.02' },
        ],
      }),
    );
    expect(error).toMatchObject({
      code: 'business-rule',
      fieldErrors: [{ field: 'lines[1].amount' }],
    });
  });

  it('keeps debits and credits apart: a balance back at zero still counts its turnover', () => {
    const refund = entryPosted({
      entryId: 'entry-2',
      lines: [
        { account: '8400', side: 'debit', amountMinor: hugeMinor, currency: 'EUR' },
        { account: '1200', side: 'credit', amountMinor: hugeMinor, currency: 'EUR' },
      ],
    });
    spec
      .given([...openBookWithAccounts, hugeSale('entry-1'), refund])
      .when(saleOf('0.02'))
      .thenThrows(AccountTotalLimitError, 'business-rule');
  });

  it('applies per currency: the same account takes the limit again in another currency', () => {
    spec
      .given([...openBookWithAccounts, hugeSale('entry-1')])
      .when(
        postEntry({
          entryId: 'entry-9',
          lines: [
            { account: '1200', debit: '1.00', currency: 'USD' },
            { account: '8400', credit: '1.00', currency: 'USD' },
          ],
        }),
      )
      .then([
        entryPosted({
          entryId: 'entry-9',
          lines: [
            { account: '1200', side: 'debit', amountMinor: '100', currency: 'USD' },
            { account: '8400', side: 'credit', amountMinor: '100', currency: 'USD' },
          ],
        }),
      ]);
  });

  it('refuses a reversal that would pass the limit', () => {
    const refund = entryPosted({
      entryId: 'entry-2',
      lines: [
        { account: '8400', side: 'debit', amountMinor: '2', currency: 'EUR' },
        { account: '1200', side: 'credit', amountMinor: '2', currency: 'EUR' },
      ],
    });
    spec
      .given([...openBookWithAccounts, hugeSale('entry-1'), refund])
      .when(reverseEntry({ entryId: 'entry-2', newEntryId: 'entry-3' }))
      .thenThrows(AccountTotalLimitError, 'business-rule');
  });
});
