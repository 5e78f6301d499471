import {
  ConflictError,
  DomainError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from './book.decider.js';
import { BookEvent, bookIdOfStream, bookStreamId } from './book.events.js';
import {
  accountOpened,
  bookId,
  bookOpened,
  entryPosted,
  openBookWithAccounts,
  refusal,
} from '../testing/book.test-fixtures.js';
import { AccountClosedError, NonZeroBalanceError, UnknownAccountError } from './ledger.errors.js';

const spec = deciderSpec(bookDecider);

describe('book stream', () => {
  it('is book-<bookId>, and gives the book id back', () => {
    expect(bookStreamId('acme-gmbh')).toBe('book-acme-gmbh');
    expect(bookIdOfStream('book-acme-gmbh')).toBe('acme-gmbh');
    expect(bookIdOfStream('approval_request-1')).toBeUndefined();
  });
});

describe('OpenBook', () => {
  const openBook = { type: 'OpenBook', bookId, name: 'ACME GmbH', baseCurrency: 'EUR' } as const;

  it('opens a book with January as the default fiscal year start', () => {
    spec.given([]).when(openBook).then([bookOpened]);
  });

  it('keeps a given fiscal year start month', () => {
    spec
      .given([])
      .when({ ...openBook, fiscalYearStartMonth: 7 })
      .then([
        {
          type: 'BookOpened',
          data: { bookId, name: 'ACME GmbH', baseCurrency: 'EUR', fiscalYearStartMonth: 7 },
        },
      ]);
  });

  it('refuses a second opening of the same book (repeated)', () => {
    spec.given([bookOpened]).when(openBook).thenThrows(ConflictError, 'conflict');
  });

  it('refuses an unknown base currency', () => {
    expect(refusal([], { ...openBook, baseCurrency: 'EURO' })).toMatchObject({
      code: 'validation',
      fieldErrors: [{ field: 'baseCurrency', message: 'must be an ISO 4217 currency code' }],
    });
  });

  it('refuses a fiscal year start month outside 1–12', () => {
    spec
      .given([])
      .when({ ...openBook, fiscalYearStartMonth: 13 })
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when({ ...openBook, fiscalYearStartMonth: 1.5 })
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses a book id that cannot be part of a URL, and a blank name, naming both fields', () => {
    const error = refusal([], { ...openBook, bookId: 'acme/gmbh', name: '  ' }) as ValidationError;
    expect(error.fieldErrors?.map((fieldError) => fieldError.field)).toEqual(['id', 'name']);
  });
});

describe('commands before the book is opened', () => {
  it('are refused with not-found', () => {
    spec
      .given([])
      .when({ type: 'ClosePeriod', bookId, period: '2026-03', today: '2026-04-01' })
      .thenThrows(NotFoundError, 'not-found');
  });
});

describe('OpenAccount', () => {
  const openAccount = {
    type: 'OpenAccount',
    bookId,
    code: '1200',
    name: 'Bank',
    accountType: 'asset',
  } as const;

  it('opens an account that accepts any currency', () => {
    spec
      .given([bookOpened])
      .when(openAccount)
      .then([{ type: 'AccountOpened', data: { code: '1200', name: 'Bank', type: 'asset' } }]);
  });

  it('opens a single-currency account under a parent', () => {
    spec
      .given([bookOpened, accountOpened('1000')])
      .when({ ...openAccount, currency: 'USD', parent: '1000' })
      .then([
        {
          type: 'AccountOpened',
          data: { code: '1200', name: 'Bank', type: 'asset', currency: 'USD', parent: '1000' },
        },
      ]);
  });

  it('refuses a duplicate code (repeated)', () => {
    spec
      .given([bookOpened, accountOpened('1200')])
      .when(openAccount)
      .thenThrows(ConflictError, 'conflict');
  });

  it('given a bank IBAN in print format, then the account carries it in electronic format', () => {
    spec
      .given([bookOpened])
      .when({ ...openAccount, iban: 'de02 1203 0000 0000 2020 51' })
      .then([
        {
          type: 'AccountOpened',
          data: { code: '1200', name: 'Bank', type: 'asset', iban: 'DE02120300000000202051' },
        },
      ]);
  });

  it('when the IBAN fails its checksum, or the account is no asset, then the field "iban" is refused', () => {
    expect(refusal([bookOpened], { ...openAccount, iban: 'DE02120300000000202052' })).toMatchObject(
      { code: 'validation', fieldErrors: [{ field: 'iban', message: /checksum/ }] },
    );
    expect(
      refusal([bookOpened], {
        ...openAccount,
        accountType: 'revenue',
        iban: 'DE02120300000000202051',
      }),
    ).toMatchObject({ code: 'validation', fieldErrors: [{ field: 'iban', message: /asset/ }] });
  });

  it('given 1200 with the IBAN, when 1210 is opened with it again, then 409 names 1200', () => {
    const withIban: BookEvent = {
      type: 'AccountOpened',
      data: { code: '1200', name: 'Bank', type: 'asset', iban: 'DE02120300000000202051' },
    };
    expect(
      refusal([bookOpened, withIban], {
        ...openAccount,
        code: '1210',
        iban: 'DE02 1203 0000 0000 2020 51',
      }),
    ).toMatchObject({ code: 'conflict', message: expect.stringContaining('account 1200') });
  });

  it('refuses reusing the code of a closed account', () => {
    spec
      .given([bookOpened, accountOpened('1200'), { type: 'AccountClosed', data: { code: '1200' } }])
      .when(openAccount)
      .thenThrows(ConflictError, 'conflict');
  });

  it('refuses an unknown account type, naming the API field "type"', () => {
    expect(refusal([bookOpened], { ...openAccount, accountType: 'assets' })).toMatchObject({
      code: 'validation',
      fieldErrors: [{ field: 'type' }],
    });
  });

  it('refuses an unknown currency', () => {
    spec
      .given([bookOpened])
      .when({ ...openAccount, currency: 'XYZ' })
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses a code with a slash', () => {
    spec
      .given([bookOpened])
      .when({ ...openAccount, code: '12/00' })
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses an unknown parent', () => {
    spec
      .given([bookOpened])
      .when({ ...openAccount, parent: '1000' })
      .thenThrows(UnknownAccountError, 'unknown-account');
  });

  it('refuses a closed parent', () => {
    spec
      .given([bookOpened, accountOpened('1000'), { type: 'AccountClosed', data: { code: '1000' } }])
      .when({ ...openAccount, parent: '1000' })
      .thenThrows(AccountClosedError, 'account-closed');
  });
});

describe('CloseAccount', () => {
  const closeAccount = { type: 'CloseAccount', bookId, code: '1200' } as const;

  it('closes an account that was never posted to', () => {
    spec
      .given(openBookWithAccounts)
      .when(closeAccount)
      .then([{ type: 'AccountClosed', data: { code: '1200' } }]);
  });

  it('closes an account whose postings net to zero in every currency', () => {
    spec
      .given([
        ...openBookWithAccounts,
        entryPosted(),
        entryPosted({
          entryId: 'entry-2',
          lines: [
            { account: '1200', side: 'debit', amountMinor: '120000', currency: 'EUR' },
            { account: '6310', side: 'credit', amountMinor: '120000', currency: 'EUR' },
          ],
        }),
      ])
      .when(closeAccount)
      .then([{ type: 'AccountClosed', data: { code: '1200' } }]);
  });

  it('refuses a non-zero balance with business-rule, naming the balance', () => {
    const error = refusal([...openBookWithAccounts, entryPosted()], closeAccount);
    expect(error).toBeInstanceOf(NonZeroBalanceError);
    expect(error).toMatchObject({ code: 'business-rule' });
    expect((error as Error).message).toContain('EUR -1200.00');
  });

  it('refuses an unknown account with not-found', () => {
    spec
      .given(openBookWithAccounts)
      .when({ ...closeAccount, code: '9999' })
      .thenThrows(NotFoundError, 'not-found');
  });

  it('refuses closing twice (repeated)', () => {
    spec
      .given([...openBookWithAccounts, { type: 'AccountClosed', data: { code: '1200' } }])
      .when(closeAccount)
      .thenThrows(ConflictError, 'conflict');
  });
});

describe('ClosePeriod', () => {
  const closePeriod = {
    type: 'ClosePeriod',
    bookId,
    period: '2026-03',
    today: '2026-04-01',
  } as const;

  it('closes a month', () => {
    spec
      .given([bookOpened])
      .when(closePeriod)
      .then([{ type: 'PeriodClosed', data: { period: '2026-03' } }]);
  });

  it('refuses a period that is not YYYY-MM', () => {
    for (const period of ['2026-3', '2026-13', '2026-00', '2026-03-01', 'March']) {
      spec
        .given([bookOpened])
        .when({ ...closePeriod, period })
        .thenThrows(ValidationError, 'validation');
    }
  });

  it('refuses closing a closed period (repeated)', () => {
    spec
      .given([bookOpened, { type: 'PeriodClosed', data: { period: '2026-03' } }])
      .when(closePeriod)
      .thenThrows(ConflictError, 'conflict');
  });

  it('closes a period again after it was reopened', () => {
    spec
      .given([
        bookOpened,
        { type: 'PeriodClosed', data: { period: '2026-03' } },
        { type: 'PeriodReopened', data: { period: '2026-03', reason: 'late invoice' } },
      ])
      .when(closePeriod)
      .then([{ type: 'PeriodClosed', data: { period: '2026-03' } }]);
  });
});

describe('ReopenPeriod', () => {
  const reopenPeriod = {
    type: 'ReopenPeriod',
    bookId,
    period: '2026-03',
    reason: 'late invoice',
  } as const;
  const closed = [bookOpened, { type: 'PeriodClosed', data: { period: '2026-03' } }] as const;

  it('reopens a closed period with its reason', () => {
    spec
      .given([...closed])
      .when(reopenPeriod)
      .then([{ type: 'PeriodReopened', data: { period: '2026-03', reason: 'late invoice' } }]);
  });

  it('refuses a missing or blank reason', () => {
    for (const reason of ['', '   ', undefined as unknown as string]) {
      expect(refusal([...closed], { ...reopenPeriod, reason })).toMatchObject({
        code: 'validation',
        fieldErrors: [{ field: 'reason' }],
      });
    }
  });

  it('refuses reopening an open period (repeated)', () => {
    spec
      .given([
        ...closed,
        { type: 'PeriodReopened', data: { period: '2026-03', reason: 'late invoice' } },
      ])
      .when(reopenPeriod)
      .thenThrows(ConflictError, 'conflict');
  });

  it('refuses reopening a period that was never closed', () => {
    spec.given([bookOpened]).when(reopenPeriod).thenThrows(DomainError, 'conflict');
  });
});
