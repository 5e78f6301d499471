import { bookDecider } from './book.decider.js';
import { BookEvent } from './book.events.js';
import {
  BookSnapshot,
  bookSnapshotSchemaVersion,
  fromBookSnapshot,
  toBookSnapshot,
} from './book.snapshot.js';
import {
  entryPosted,
  openBookWithAccounts,
  reverseEntry,
  stateAfter,
} from '../testing/book.test-fixtures.js';

describe('book snapshot', () => {
  const reversal: BookEvent = {
    type: 'JournalEntryPosted',
    data: {
      entryId: 'entry-2',
      effectiveDate: '2026-03-31',
      description: 'Booked twice',
      lines: [
        { account: '6310', side: 'credit', amountMinor: '120000', currency: 'EUR' },
        { account: '1200', side: 'debit', amountMinor: '120000', currency: 'EUR' },
      ],
      reversalOf: 'entry-1',
    },
  };
  const history: BookEvent[] = [
    ...openBookWithAccounts,
    entryPosted({ idempotencyKey: 'key-1', requestHash: 'hash-a' }),
    entryPosted({ entryId: 'entry-3' }),
    reversal,
    { type: 'AccountClosed', data: { code: '8400' } },
    { type: 'PeriodClosed', data: { period: '2026-02' } },
    {
      type: 'AccountOpened',
      data: { code: '1230', name: 'Bank 2', type: 'asset', iban: 'DE02120300000000202051' },
    },
  ];

  it('survives JSON and gives back the same state', () => {
    const state = stateAfter(history);
    const snapshot = JSON.parse(JSON.stringify(toBookSnapshot(state))) as BookSnapshot;
    expect(fromBookSnapshot(snapshot)).toEqual(state);
  });

  it('decides after a restore as it would have without one', () => {
    const restored = fromBookSnapshot(
      JSON.parse(JSON.stringify(toBookSnapshot(stateAfter(history)))) as BookSnapshot,
    )!;
    expect(() => bookDecider.decide(reverseEntry({ newEntryId: 'entry-9' }), restored)).toThrow(
      'already reversed',
    );
    expect(
      bookDecider.decide(reverseEntry({ entryId: 'entry-3', newEntryId: 'entry-4' }), restored),
    ).toHaveLength(1);
  });

  it('does not share entries with the state it was taken from', () => {
    const state = stateAfter([...openBookWithAccounts, entryPosted()]);
    const snapshot = toBookSnapshot(state);
    bookDecider.evolve(state, reversal);
    expect(fromBookSnapshot(snapshot)).toMatchObject({ status: 'open' });
    expect(JSON.stringify(snapshot)).not.toContain('reversedBy');
  });

  it('is ignored when taken with another schema version', () => {
    expect(
      fromBookSnapshot({ schemaVersion: bookSnapshotSchemaVersion + 1, status: 'none' }),
    ).toBeUndefined();
  });
});
