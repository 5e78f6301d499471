import { ConflictError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from './book.decider.js';
import { CarryForwardFiscalYear } from './book.commands.js';
import { BookEvent, JournalEntryPostedData, JournalLine } from './book.events.js';
import { accountOpened, bookId, refusal, stateAfter } from '../testing/book.test-fixtures.js';

const spec = deciderSpec(bookDecider);

/** A book whose chart names 0860 as Gewinnvortrag; its fiscal year starts in `startMonth`. */
function book(startMonth = 1): BookEvent[] {
  return [
    {
      type: 'BookOpened',
      data: {
        bookId,
        name: 'ACME GmbH',
        baseCurrency: 'EUR',
        fiscalYearStartMonth: startMonth,
        chart: { id: 'skr03', version: '2026', controlAccounts: { retainedEarnings: '0860' } },
      },
    },
    accountOpened('1200'),
    accountOpened('1600', 'liability'),
    accountOpened('0800', 'equity'),
    accountOpened('0860', 'equity'),
    accountOpened('6310', 'expense'),
    accountOpened('8400', 'revenue'),
  ];
}

function posted(
  entryId: string,
  effectiveDate: string,
  lines: [account: string, side: 'debit' | 'credit', amountMinor: string][],
  extra: Partial<JournalEntryPostedData> = {},
): BookEvent {
  return {
    type: 'JournalEntryPosted',
    data: {
      entryId,
      effectiveDate,
      description: entryId,
      lines: lines.map(([account, side, amountMinor]) => ({
        account,
        side,
        amountMinor,
        currency: 'EUR',
      })),
      ...extra,
    },
  };
}

const closed = (period: string): BookEvent => ({ type: 'PeriodClosed', data: { period } });

/** 2026: capital 1000 paid in, revenue 500 received, rent 200 paid; 2027: a sale of 50 already booked. */
const year2026: BookEvent[] = [
  posted('capital', '2026-01-02', [
    ['1200', 'debit', '100000'],
    ['0800', 'credit', '100000'],
  ]),
  posted('sale', '2026-05-10', [
    ['1200', 'debit', '50000'],
    ['8400', 'credit', '50000'],
  ]),
  posted('rent', '2026-06-30', [
    ['6310', 'debit', '20000'],
    ['1600', 'credit', '20000'],
  ]),
  posted('sale-2027', '2027-01-05', [
    ['1200', 'debit', '5000'],
    ['8400', 'credit', '5000'],
  ]),
  closed('2026-12'),
];

const carryForward: CarryForwardFiscalYear = {
  type: 'CarryForwardFiscalYear',
  bookId,
  fiscalYear: 2026,
  entryId: 'opening-2026',
};

const line = (account: string, side: 'debit' | 'credit', amountMinor: string, memo?: string) =>
  ({ account, side, amountMinor, currency: 'EUR', ...(memo ? { memo } : {}) }) as JournalLine;

const opening2026: BookEvent = {
  type: 'JournalEntryPosted',
  data: {
    entryId: 'opening-2026',
    effectiveDate: '2027-01-01',
    description: 'Eröffnungsbuchung: Saldenvortrag aus dem Wirtschaftsjahr 2026',
    lines: [
      line('0800', 'credit', '100000'),
      line('1200', 'debit', '150000'),
      line('1600', 'credit', '20000'),
      line('0860', 'credit', '30000', 'Ergebnis der Erfolgskonten zum 2026-12-31'),
    ],
    carryForwardOf: 2026,
  },
};

describe('CarryForwardFiscalYear', () => {
  it('posts the opening entry on the first day of the next year: balance-sheet balances and the result on 0860', () => {
    spec
      .given([...book(), ...year2026])
      .when(carryForward)
      .then([opening2026]);
  });

  it('follows the book’s fiscal-year start (July: fiscal year 2026 ends 2027-06-30)', () => {
    const events = [
      ...book(7),
      posted('sale', '2027-06-30', [
        ['1200', 'debit', '700'],
        ['8400', 'credit', '700'],
      ]),
      posted('later', '2027-07-02', [
        ['1200', 'debit', '1'],
        ['8400', 'credit', '1'],
      ]),
      closed('2027-06'),
    ];
    spec
      .given(events)
      .when(carryForward)
      .then([
        {
          type: 'JournalEntryPosted',
          data: {
            ...opening2026.data,
            effectiveDate: '2027-07-01',
            lines: [
              line('1200', 'debit', '700'),
              line('0860', 'credit', '700', 'Ergebnis der Erfolgskonten zum 2027-06-30'),
            ],
          } as JournalEntryPostedData,
        },
      ]);
  });

  it('carries the next year from the standing opening entry (the years before it are not counted again)', () => {
    spec
      .given([
        ...book(),
        ...year2026,
        opening2026,
        posted('loss', '2027-03-01', [
          ['6310', 'debit', '40000'],
          ['1200', 'credit', '40000'],
        ]),
        closed('2027-12'),
      ])
      .when({ ...carryForward, fiscalYear: 2027, entryId: 'opening-2027' })
      .then([
        {
          type: 'JournalEntryPosted',
          data: {
            entryId: 'opening-2027',
            effectiveDate: '2028-01-01',
            description: 'Eröffnungsbuchung: Saldenvortrag aus dem Wirtschaftsjahr 2027',
            lines: [
              line('0800', 'credit', '100000'),
              line('0860', 'credit', '30000'),
              line('1200', 'debit', '115000'),
              line('1600', 'credit', '20000'),
              line('0860', 'debit', '35000', 'Ergebnis der Erfolgskonten zum 2027-12-31'),
            ],
            carryForwardOf: 2027,
          },
        },
      ]);
  });

  it('uses the result account of the request', () => {
    spec
      .given([...book(), ...year2026])
      .when({ ...carryForward, resultAccount: '0800' })
      .then([
        {
          type: 'JournalEntryPosted',
          data: {
            ...opening2026.data,
            lines: [
              ...(opening2026.data as JournalEntryPostedData).lines.slice(0, 3),
              line('0800', 'credit', '30000', 'Ergebnis der Erfolgskonten zum 2026-12-31'),
            ],
          } as JournalEntryPostedData,
        },
      ]);
  });

  it('is refused while a period of the year is open, naming the period to close', () => {
    const events = [...book(), ...year2026.slice(0, -1), closed('2026-11')];
    spec.given(events).when(carryForward).thenThrows(ConflictError, 'conflict');
    expect(refusal(events, carryForward)).toMatchObject({
      message: expect.stringContaining('close 2026-12 first'),
    });
  });

  it('is refused a second time while the first carry-forward stands', () => {
    const events = [...book(), ...year2026, opening2026];
    spec
      .given(events)
      .when({ ...carryForward, entryId: 'again' })
      .thenThrows(ConflictError, 'conflict');
    expect(refusal(events, { ...carryForward, entryId: 'again' })).toMatchObject({
      message: expect.stringContaining('already carried forward by the opening entry opening-2026'),
    });
  });

  it('answers a repeat with the same Idempotency-Key with no new events', () => {
    const idempotency = { key: 'year-end-2026', requestHash: 'h' };
    spec
      .given([
        ...book(),
        ...year2026,
        {
          ...opening2026,
          data: { ...opening2026.data, idempotencyKey: 'year-end-2026', requestHash: 'h' },
        } as BookEvent,
      ])
      .when({ ...carryForward, idempotency })
      .then([]);
  });

  it('is refused while the opening date is locked, naming the periods to reopen', () => {
    const events = [...book(), ...year2026, closed('2027-01'), closed('2027-02')];
    spec.given(events).when(carryForward).thenThrows(ConflictError, 'conflict');
    expect(refusal(events, carryForward)).toMatchObject({
      message: expect.stringContaining('reopen 2027-02, 2027-01 first'),
    });
  });

  it('is refused with a result account that is no equity account, or without one', () => {
    spec
      .given([...book(), ...year2026])
      .when({ ...carryForward, resultAccount: '6310' })
      .thenThrows(ValidationError, 'validation');
    const withoutChart = [
      { type: 'BookOpened', data: { ...book()[0]!.data, chart: undefined } } as BookEvent,
      ...book().slice(1),
      ...year2026,
    ];
    expect(refusal(withoutChart, carryForward)).toMatchObject({
      fieldErrors: [{ field: 'resultAccount', message: expect.stringContaining('is required') }],
    });
  });

  it('is refused for a year without balances', () => {
    spec
      .given([...book(), closed('2026-12')])
      .when(carryForward)
      .thenThrows(ConflictError, 'conflict');
  });
});

describe('a standing carry-forward keeps its year locked', () => {
  const reopen = { type: 'ReopenPeriod', bookId, period: '2026-12', reason: 'audit' } as const;
  const reversal = {
    type: 'ReverseJournalEntry',
    bookId,
    entryId: 'opening-2026',
    newEntryId: 'opening-2026-reversed',
    reason: 'adjusting entries for 2026',
  } as const;

  it('refuses to reopen a period of the carried-forward year, naming the opening entry to reverse', () => {
    const events = [...book(), ...year2026, opening2026];
    spec.given(events).when(reopen).thenThrows(ConflictError, 'conflict');
    expect(refusal(events, reopen)).toMatchObject({
      message: expect.stringContaining(`journal-entries/opening-2026/reverse`),
    });
  });

  it('reopens once the opening entry was reversed, and the year can be carried forward again', () => {
    const reversed = bookDecider.decide(
      reversal,
      stateAfter([...book(), ...year2026, opening2026]),
    );
    const events = [...book(), ...year2026, opening2026, ...(reversed as BookEvent[])];
    spec
      .given(events)
      .when(reopen)
      .then([{ type: 'PeriodReopened', data: { period: '2026-12', reason: 'audit' } }]);
    spec
      .given(events)
      .when({ ...carryForward, entryId: 'opening-2026-again' })
      .then([
        {
          ...opening2026,
          data: { ...opening2026.data, entryId: 'opening-2026-again' },
        } as BookEvent,
      ]);
  });

  it('refuses to reverse the opening entry on another date', () => {
    spec
      .given([...book(), ...year2026, opening2026])
      .when({ ...reversal, effectiveDate: '2027-02-01' })
      .thenThrows(ValidationError, 'validation');
  });
});
