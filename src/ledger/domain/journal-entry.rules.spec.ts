import { NotFoundError } from '../../event-sourcing/index.js';
import {
  openBookWithAccounts,
  postEntry,
  rentPostedData,
  stateAfter,
} from '../testing/book.test-fixtures.js';
import { marchClosed } from '../testing/journal-entry.decider.fixtures.js';
import { entryTotals, validateJournalEntry } from './journal-entry.rules.js';
import { PeriodClosedError } from './ledger.errors.js';

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
