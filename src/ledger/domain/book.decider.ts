import {
  ConflictError,
  assert,
  Decider,
  NotFoundError,
  ValidationError,
  formatAmount,
  isCurrency,
  normalizeIban,
} from '../../event-sourcing/index.js';
import { accountIbanProblem, changeAccountIban, checkIbanFree } from './account-iban.decider.js';
import {
  BookCommand,
  ClosePeriod,
  CloseAccount,
  DefineTaxCode,
  OpenAccount,
  OpenBook,
  PostJournalEntry,
  ReopenPeriod,
  ReverseJournalEntry,
} from './book.commands.js';
import {
  AccountType,
  BookOpenedData,
  BookStreamEvent,
  JournalEntryPostedData,
  JournalLine,
  accountTypes,
} from './book.events.js';
import {
  accountCodeLengthMax,
  accountNameLengthMax,
  bookIdLengthMax,
  bookNameLengthMax,
  closedPeriodsAfter,
  identifierProblem,
  reopenReasonLengthMax,
  textProblem,
} from './book.rules.js';
import {
  BookState,
  EntryLineState,
  OpenBookState,
  evolveBook,
  initialBookState,
  requireOpenBook,
} from './book.state.js';
import { isCalendarDate, isPeriod, periodOf } from './calendar.js';
import {
  checkEntryId,
  fieldProblem,
  isIdempotentRepeat,
  sameLines,
  throwFieldErrors,
  withIdempotency,
} from './book.decide-helpers.js';
import { postDocument } from './document.decider.js';
import {
  carryForwardFiscalYear,
  checkNotCarriedForward,
  checkOpeningReversalDate,
} from './carry-forward.decider.js';
import { Chart, ChartId, chartIds, isChartId, latestChart } from './charts.js';
import { TaxCodeDefinition, taxCodeProblems, taxCodesPerBookMax } from './tax-codes.js';
import {
  checkPostable,
  descriptionLengthMax,
  entryOf,
  validateJournalEntry,
} from './journal-entry.rules.js';
import {
  AccountClosedError,
  NonZeroBalanceError,
  ReversalOfReversalError,
  UnknownAccountError,
} from './ledger.errors.js';

export const fiscalYearStartMonthDefault = 1;

/**
 * One decider over the whole book (stream `book-<bookId>`): accounts, balances, entries,
 * periods and idempotency keys, so every rule is checked against one consistent state.
 * `decide` is pure and may be used as a dry run. `evolve` updates the state in place (see
 * evolveBook).
 */
export const bookDecider: Decider<BookCommand, BookStreamEvent, BookState> = {
  initialState: initialBookState,
  decide: decideBook,
  evolve: evolveBook,
};

export function decideBook(command: BookCommand, state: BookState): BookStreamEvent[] {
  if (command.type === 'OpenBook') return openBook(command, state);
  const book = requireOpenBook(state, command.bookId);
  switch (command.type) {
    case 'OpenAccount':
      return openAccount(command, book);
    case 'ChangeAccountIban':
      return changeAccountIban(command, book);
    case 'CloseAccount':
      return closeAccount(command, book);
    case 'PostJournalEntry':
      return postJournalEntry(command, book);
    case 'ReverseJournalEntry':
      return reverseJournalEntry(command, book);
    case 'ClosePeriod':
      return closePeriod(command, book);
    case 'ReopenPeriod':
      return reopenPeriod(command, book);
    case 'PostDocument':
      return postDocument(command, book);
    case 'DefineTaxCode':
      return defineTaxCode(command, book);
    case 'CarryForwardFiscalYear':
      return carryForwardFiscalYear(command, book);
  }
}

function openBook(command: OpenBook, state: BookState): BookStreamEvent[] {
  const fiscalYearStartMonth = command.fiscalYearStartMonth ?? fiscalYearStartMonthDefault;
  throwFieldErrors('Invalid book', [
    fieldProblem('id', identifierProblem(command.bookId, bookIdLengthMax)),
    fieldProblem(
      'name',
      textProblem(command.name, { required: true, lengthMax: bookNameLengthMax }),
    ),
    fieldProblem('baseCurrency', currencyProblem(command.baseCurrency, true)),
    fieldProblem(
      'chart',
      command.chart == null || isChartId(command.chart)
        ? undefined
        : `must be one of ${chartIds.join(', ')} (or absent for an empty book)`,
    ),
    fieldProblem(
      'fiscalYearStartMonth',
      Number.isInteger(fiscalYearStartMonth) &&
        fiscalYearStartMonth >= 1 &&
        fiscalYearStartMonth <= 12
        ? undefined
        : 'must be an integer from 1 to 12',
    ),
  ]);
  if (state.status === 'open') throw new ConflictError(`Book ${command.bookId} already exists`);
  const { bookId, name, baseCurrency } = command;
  const opened = { bookId, name, baseCurrency, fiscalYearStartMonth };
  if (command.chart == null) return [{ type: 'BookOpened', data: opened }];
  return chartEvents(opened, latestChart(command.chart as ChartId));
}

/** The book with the chart's accounts and tax codes, in one append. */
function chartEvents(opened: BookOpenedData, chart: Chart): BookStreamEvent[] {
  const { chart: id, version, controlAccounts } = chart;
  return [
    { type: 'BookOpened', data: { ...opened, chart: { id, version, controlAccounts } } },
    ...chart.accounts.map(({ code, name, type }): BookStreamEvent => ({
      type: 'AccountOpened',
      data: { code, name, type },
    })),
    ...chart.taxCodes.map((code): BookStreamEvent => ({ type: 'TaxCodeDefined', data: code })),
  ];
}

function defineTaxCode(command: DefineTaxCode, book: OpenBookState): BookStreamEvent[] {
  const input = command.taxCode as Partial<Record<keyof TaxCodeDefinition, unknown>>;
  const problems = taxCodeProblems(input);
  if (problems.length > 0) throw new ValidationError('Invalid tax code', problems);
  const code = command.taxCode;
  if (book.taxCodes.has(code.code))
    throw new ConflictError(
      `Tax code ${code.code} already exists in book ${book.bookId}; define a new code for other rates`,
    );
  if (book.taxCodes.size >= taxCodesPerBookMax)
    throw new ValidationError('Invalid tax code', [
      { field: 'code', message: `a book holds at most ${taxCodesPerBookMax} tax codes` },
    ]);
  const unknown = (['outputAccount', 'inputAccount', 'revenueAccount', 'expenseAccount'] as const)
    .filter((field) => code[field] !== undefined && !book.accounts.has(code[field]!))
    .map((field) => ({ field, message: `account ${code[field]} does not exist` }));
  if (unknown.length > 0) throw new UnknownAccountError(unknown);
  return [{ type: 'TaxCodeDefined', data: definitionOf(code) }];
}

/** Only the known fields, absent ones left out (the request may carry others). */
function definitionOf(code: TaxCodeDefinition): TaxCodeDefinition {
  const optional = [
    'outputAccount',
    'inputAccount',
    'revenueAccount',
    'expenseAccount',
    'datevKey',
    'vatReturnField',
  ] as const;
  return {
    code: code.code,
    name: code.name,
    kind: code.kind,
    rates: code.rates.map(({ validFrom, validTo, ratePercent }) => ({
      validFrom,
      ...(validTo == null ? {} : { validTo }),
      ratePercent,
    })),
    ...Object.fromEntries(
      optional.filter((field) => code[field] != null).map((field) => [field, code[field]]),
    ),
  };
}

function openAccount(command: OpenAccount, book: OpenBookState): BookStreamEvent[] {
  const { code, name, accountType, currency, parent } = command;
  const iban = command.iban == null ? undefined : normalizeIban(command.iban);
  throwFieldErrors('Invalid account', [
    fieldProblem('code', identifierProblem(code, accountCodeLengthMax)),
    fieldProblem('name', textProblem(name, { required: true, lengthMax: accountNameLengthMax })),
    fieldProblem(
      'type',
      isAccountType(accountType) ? undefined : `must be one of ${accountTypes.join(', ')}`,
    ),
    fieldProblem('currency', currencyProblem(currency, false)),
    fieldProblem(
      'parent',
      parent == null ? undefined : identifierProblem(parent, accountCodeLengthMax),
    ),
    fieldProblem('iban', iban === undefined ? undefined : accountIbanProblem(iban, accountType)),
  ]);
  if (book.accounts.has(code)) throw new ConflictError(`Account ${code} already exists`);
  if (parent != null) checkParent(parent, book);
  if (iban !== undefined) checkIbanFree(iban, book);
  const type = accountType as AccountType;
  return [
    {
      type: 'AccountOpened',
      data: {
        code,
        name,
        type,
        ...(currency == null ? {} : { currency }),
        ...(parent == null ? {} : { parent }),
        ...(iban === undefined ? {} : { iban }),
      },
    },
  ];
}

function checkParent(parent: string, book: OpenBookState): void {
  const account = book.accounts.get(parent);
  if (account === undefined)
    throw new UnknownAccountError([
      { field: 'parent', message: `account ${parent} does not exist` },
    ]);
  if (account.status === 'closed')
    throw new AccountClosedError([{ field: 'parent', message: `account ${parent} is closed` }]);
}

function closeAccount(command: CloseAccount, book: OpenBookState): BookStreamEvent[] {
  const account = book.accounts.get(command.code);
  if (account === undefined) throw new NotFoundError(`Account ${command.code} not found`);
  if (account.status === 'closed')
    throw new ConflictError(`Account ${command.code} is already closed`);
  const nonZero = [...account.totalsMinor]
    .map(([currency, totals]) => [currency, totals.debitMinor - totals.creditMinor] as const)
    .filter(([, balanceMinor]) => balanceMinor !== 0n);
  if (nonZero.length > 0) {
    throw new NonZeroBalanceError(
      command.code,
      nonZero.map(
        ([currency, balanceMinor]) => `${currency} ${formatAmount(balanceMinor, currency)}`,
      ),
    );
  }
  return [{ type: 'AccountClosed', data: { code: command.code } }];
}

/**
 * Repeats are answered with no events: the same Idempotency-Key with the same request hash, or
 * the same entry id with the same content (a reactor re-running a command). The caller then
 * answers with the original entry (findIdempotentEntry / findEntry).
 */
function postJournalEntry(command: PostJournalEntry, book: OpenBookState): BookStreamEvent[] {
  checkEntryId(command.entryId);
  if (isIdempotentRepeat(command.idempotency, book)) return [];
  const existing = book.entries.get(command.entryId);
  if (existing !== undefined) {
    const entry = entryOf(command, book);
    if (
      existing.kind === 'original' &&
      existing.effectiveDate === entry.effectiveDate &&
      sameLines(existing.lines, entry.lines)
    )
      return [];
    throw new ConflictError(`Journal entry ${command.entryId} already exists with other content`);
  }
  const entry = validateJournalEntry(command, book);
  return [{ type: 'JournalEntryPosted', data: withIdempotency(entry, command.idempotency) }];
}

function reverseJournalEntry(command: ReverseJournalEntry, book: OpenBookState): BookStreamEvent[] {
  checkEntryId(command.newEntryId);
  if (isIdempotentRepeat(command.idempotency, book)) return [];
  const existing = book.entries.get(command.newEntryId);
  if (existing !== undefined) {
    if (existing.kind === 'reversal' && existing.reversalOf === command.entryId) return [];
    throw new ConflictError(
      `Journal entry ${command.newEntryId} already exists with other content`,
    );
  }
  throwFieldErrors('Invalid reversal', [
    fieldProblem(
      'reason',
      textProblem(command.reason, { required: true, lengthMax: descriptionLengthMax }),
    ),
    fieldProblem(
      'effectiveDate',
      command.effectiveDate == null || isCalendarDate(command.effectiveDate)
        ? undefined
        : 'must be a calendar date YYYY-MM-DD',
    ),
  ]);
  const original = book.entries.get(command.entryId);
  if (original === undefined) throw new NotFoundError(`Journal entry ${command.entryId} not found`);
  if (original.kind === 'reversal')
    throw new ReversalOfReversalError(command.entryId, original.reversalOf);
  if (original.reversedBy !== undefined)
    throw new ConflictError(
      `Journal entry ${command.entryId} is already reversed by ${original.reversedBy}`,
    );
  checkOpeningReversalDate(original, command.effectiveDate);
  const reversal: JournalEntryPostedData = {
    entryId: command.newEntryId,
    effectiveDate: command.effectiveDate ?? original.effectiveDate,
    description: command.reason,
    ...(original.reference === undefined ? {} : { reference: original.reference }),
    lines: original.lines.map(swapped),
    reversalOf: command.entryId,
  };
  checkPostable(reversal, book);
  return [{ type: 'JournalEntryPosted', data: withIdempotency(reversal, command.idempotency) }];
}

function swapped(line: EntryLineState): JournalLine {
  return { ...line, side: line.side === 'debit' ? 'credit' : 'debit' };
}

function closePeriod(command: ClosePeriod, book: OpenBookState): BookStreamEvent[] {
  checkPeriod(command.period);
  assert(isCalendarDate(command.today), 'ClosePeriod carries the clock’s day as today');
  throwFieldErrors('Invalid period', [
    fieldProblem(
      'period',
      command.period <= periodOf(command.today)
        ? undefined
        : `${command.period} is in the future (today is ${command.today}); a period can be closed from its own month on`,
    ),
  ]);
  if (book.closedPeriods.has(command.period))
    throw new ConflictError(`Period ${command.period} is already closed`);
  return [{ type: 'PeriodClosed', data: { period: command.period } }];
}

function reopenPeriod(command: ReopenPeriod, book: OpenBookState): BookStreamEvent[] {
  throwFieldErrors('Invalid period reopening', [
    fieldProblem('period', isPeriod(command.period) ? undefined : 'must be a month YYYY-MM'),
    fieldProblem(
      'reason',
      textProblem(command.reason, { required: true, lengthMax: reopenReasonLengthMax }),
    ),
  ]);
  if (!book.closedPeriods.has(command.period))
    throw new ConflictError(`Period ${command.period} is not closed`);
  const later = closedPeriodsAfter(book.closedPeriods, command.period);
  if (later.length > 0)
    throw new ConflictError(
      `Period ${command.period} is locked by the later closed period${later.length > 1 ? 's' : ''} ${later.join(', ')}: reopen ${later[0]} first${later.length > 1 ? ' (latest first)' : ''}`,
    );
  checkNotCarriedForward(book, command.period);
  return [{ type: 'PeriodReopened', data: { period: command.period, reason: command.reason } }];
}

function checkPeriod(period: string): void {
  throwFieldErrors('Invalid period', [
    fieldProblem('period', isPeriod(period) ? undefined : 'must be a month YYYY-MM'),
  ]);
}

function isAccountType(value: unknown): value is AccountType {
  return typeof value === 'string' && (accountTypes as readonly string[]).includes(value);
}

function currencyProblem(value: unknown, required: boolean): string | undefined {
  if (value == null) return required ? 'is required' : undefined;
  return typeof value === 'string' && isCurrency(value)
    ? undefined
    : 'must be an ISO 4217 currency code';
}
