import { ConflictError, NotFoundError } from '../../event-sourcing/index.js';
import {
  entryPosted,
  openBookWithAccounts,
  refusal,
  rentPostedData,
  reverseEntry,
  stateAfter,
} from '../testing/book.test-fixtures.js';
import { closed, fieldsOf, marchClosed, spec } from '../testing/journal-entry.decider.fixtures.js';
import { BookEvent, JournalEntryPostedData } from './book.events.js';
import { findEntry } from './book.state.js';
import {
  AccountClosedError,
  IdempotencyMismatchError,
  PeriodClosedError,
  ReversalOfReversalError,
} from './ledger.errors.js';

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
    for (const code of ['6310', '1200']) {
      const totals = state.accounts.get(code)?.totalsMinor.get('EUR');
      expect(totals?.debitMinor).toBe(totals?.creditMinor);
    }
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
