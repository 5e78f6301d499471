import { ConflictError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from './book.decider.js';
import { BookEvent } from './book.events.js';
import {
  bookId,
  entryPosted,
  openBookWithAccounts,
  postEntry,
  refusal,
  reverseEntry,
} from '../testing/book.test-fixtures.js';
import { PeriodClosedError } from './ledger.errors.js';

const spec = deciderSpec(bookDecider);
const closed = (period: string): BookEvent => ({ type: 'PeriodClosed', data: { period } });
const reopened = (period: string): BookEvent => ({
  type: 'PeriodReopened',
  data: { period, reason: 'late invoice' },
});
const today = '2026-12-03';

describe('Festschreibung: closing a period locks every earlier period', () => {
  it('refuses a posting dated 2026-10 after 2026-11 was closed', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-11')])
      .when(postEntry({ effectiveDate: '2026-10-15' }))
      .thenThrows(PeriodClosedError, 'period-closed');
    expect(
      refusal(
        [...openBookWithAccounts, closed('2026-11')],
        postEntry({ effectiveDate: '2026-10-15' }),
      ),
    ).toMatchObject({
      message: expect.stringContaining('the later period 2026-11 is closed'),
      fieldErrors: [{ field: 'effectiveDate' }],
    });
  });

  it('refuses a posting in a year before the closed period', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-01')])
      .when(postEntry({ effectiveDate: '2025-06-30' }))
      .thenThrows(PeriodClosedError, 'period-closed');
  });

  it('accepts a posting dated after the latest closed period', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-11')])
      .when(postEntry({ effectiveDate: '2026-12-01' }))
      .then([entryPosted({ effectiveDate: '2026-12-01' })]);
  });

  it('refuses a reversal dated in a locked period', () => {
    spec
      .given([...openBookWithAccounts, entryPosted(), closed('2026-04')])
      .when(reverseEntry())
      .thenThrows(PeriodClosedError, 'period-closed');
  });

  it('unlocks the earlier periods again when the later one is reopened', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-11'), reopened('2026-11')])
      .when(postEntry({ effectiveDate: '2026-10-15' }))
      .then([entryPosted({ effectiveDate: '2026-10-15' })]);
  });
});

describe('ClosePeriod with the clock’s today', () => {
  const closePeriod = { type: 'ClosePeriod', bookId, period: '2026-12', today } as const;

  it('closes the current month', () => {
    spec
      .given(openBookWithAccounts)
      .when(closePeriod)
      .then([{ type: 'PeriodClosed', data: { period: '2026-12' } }]);
  });

  it('refuses a period after today’s month, naming today', () => {
    spec
      .given(openBookWithAccounts)
      .when({ ...closePeriod, period: '2027-01' })
      .thenThrows(ValidationError, 'validation');
    expect(refusal(openBookWithAccounts, { ...closePeriod, period: '2027-01' })).toMatchObject({
      fieldErrors: [{ field: 'period', message: expect.stringContaining(today) }],
    });
  });

  it('closes an earlier period explicitly though a later one already locks it', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-11')])
      .when({ ...closePeriod, period: '2026-10' })
      .then([closed('2026-10')]);
  });
});

describe('ReopenPeriod while a later period is closed', () => {
  const reopenPeriod = {
    type: 'ReopenPeriod',
    bookId,
    period: '2026-10',
    reason: 'late invoice',
  } as const;

  it('is refused, naming the later period to reopen first', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-10'), closed('2026-11')])
      .when(reopenPeriod)
      .thenThrows(ConflictError, 'conflict');
    expect(
      refusal([...openBookWithAccounts, closed('2026-10'), closed('2026-11')], reopenPeriod),
    ).toMatchObject({ message: expect.stringContaining('reopen 2026-11 first') });
  });

  it('is accepted once the later period was reopened first', () => {
    spec
      .given([...openBookWithAccounts, closed('2026-10'), closed('2026-11'), reopened('2026-11')])
      .when(reopenPeriod)
      .then([reopened('2026-10')]);
  });
});
