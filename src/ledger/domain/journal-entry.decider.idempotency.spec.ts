import { ConflictError, ValidationError } from '../../event-sourcing/index.js';
import {
  entryPosted,
  openBookWithAccounts,
  postEntry,
  stateAfter,
} from '../testing/book.test-fixtures.js';
import { marchClosed, spec } from '../testing/journal-entry.decider.fixtures.js';
import { findIdempotentEntry } from './book.state.js';
import { IdempotencyMismatchError } from './ledger.errors.js';

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
