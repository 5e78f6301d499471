import { ConflictError, assert, ValidationError } from '../../event-sourcing/index.js';
import { CarryForwardFiscalYear } from './book.commands.js';
import { BookStreamEvent, JournalEntryPostedData, JournalLine } from './book.events.js';
import {
  checkEntryId,
  fieldProblem,
  isIdempotentRepeat,
  throwFieldErrors,
  withIdempotency,
} from './book.decide-helpers.js';
import { closedPeriodsAfter, lockingPeriod } from './book.rules.js';
import { EntryState, movementKey, OpenBookState } from './book.state.js';
import { fiscalYearDates, periodOf } from './calendar.js';
import { checkBalanced, checkPostable, linesMax } from './journal-entry.rules.js';
import { UnknownAccountError } from './ledger.errors.js';

/**
 * Year-end carry-forward (Saldenvortrag, docs/adr/0024). The opening entry holds, per currency,
 * every balance-sheet account's closing balance and the result of the profit-and-loss accounts
 * on the result account; it balances by itself because every entry does. The reports start the
 * new year's balances from it, so it must never go stale: the year must be locked, stays locked
 * while the carry-forward stands, and the entry is reversed on its own date only.
 */
export const fiscalYearMin = 1900;
export const fiscalYearMax = 2999;

const balanceSheetTypes: ReadonlySet<string> = new Set(['asset', 'liability', 'equity']);

export function carryForwardFiscalYear(
  command: CarryForwardFiscalYear,
  book: OpenBookState,
): BookStreamEvent[] {
  checkEntryId(command.entryId);
  const year = command.fiscalYear;
  throwFieldErrors('Invalid carry-forward', [
    fieldProblem(
      'fiscalYear',
      Number.isInteger(year) && year >= fiscalYearMin && year <= fiscalYearMax
        ? undefined
        : `must be a year from ${fiscalYearMin} to ${fiscalYearMax}, e.g. 2026`,
    ),
  ]);
  if (isIdempotentRepeat(command.idempotency, book)) return [];
  const standing = book.carriedForward.get(year);
  if (standing !== undefined)
    throw new ConflictError(
      `Fiscal year ${year} is already carried forward by the opening entry ${standing}; to carry it forward again, reverse that entry first`,
    );
  const { to } = fiscalYearDates(year, book.fiscalYearStartMonth);
  const opening = fiscalYearDates(year + 1, book.fiscalYearStartMonth).from;
  checkYearLocked(book, year, periodOf(to));
  checkOpeningPeriodOpen(book, opening);
  const resultAccount = resultAccountOf(command, book);
  const lines = openingLines(book, year, resultAccount, to);
  if (lines.length === 0)
    throw new ConflictError(`Fiscal year ${year} has no balances to carry forward`);
  if (lines.length > linesMax)
    throw new ConflictError(
      `Fiscal year ${year} has ${lines.length} balances to carry forward; an opening entry holds at most ${linesMax} lines`,
    );
  checkBalanced(lines);
  const entry: JournalEntryPostedData = {
    entryId: command.entryId,
    effectiveDate: opening,
    description: `Eröffnungsbuchung: Saldenvortrag aus dem Wirtschaftsjahr ${year}`,
    lines,
    carryForwardOf: year,
  };
  checkPostable(entry, book);
  return [{ type: 'JournalEntryPosted', data: withIdempotency(entry, command.idempotency) }];
}

/** Nothing may change the balances carried forward: every period of the year is closed (locked). */
function checkYearLocked(book: OpenBookState, year: number, lastPeriod: string): void {
  if (lockingPeriod(book.closedPeriods, lastPeriod) === undefined)
    throw new ConflictError(
      `Fiscal year ${year} is not closed: close ${lastPeriod} first (closing it locks every earlier period), so that no posting can change the balances carried forward`,
    );
}

function checkOpeningPeriodOpen(book: OpenBookState, opening: string): void {
  const period = periodOf(opening);
  const locking = lockingPeriod(book.closedPeriods, period);
  if (locking === undefined) return;
  const toReopen = closedPeriodsAfter(book.closedPeriods, period);
  if (book.closedPeriods.has(period)) toReopen.push(period);
  throw new ConflictError(
    `The opening entry is dated ${opening}, and period ${period} is locked by the closed period ${locking}: reopen ${toReopen.join(', ')} first (latest first), carry forward, then close them again`,
  );
}

function resultAccountOf(command: CarryForwardFiscalYear, book: OpenBookState): string {
  const code = command.resultAccount ?? book.controlAccounts.retainedEarnings;
  if (code == null)
    throw new ValidationError('Invalid carry-forward', [
      {
        field: 'resultAccount',
        message:
          'is required: the book names no retained-earnings account (Gewinnvortrag, SKR03 0860 / SKR04 2970)',
      },
    ]);
  const account = book.accounts.get(code);
  if (account === undefined)
    throw new UnknownAccountError([
      { field: 'resultAccount', message: `account ${code} does not exist` },
    ]);
  if (account.type !== 'equity')
    throw new ValidationError('Invalid carry-forward', [
      {
        field: 'resultAccount',
        message: `must be an equity account (Gewinnvortrag); ${code} is ${account.type}`,
      },
    ]);
  return code;
}

/**
 * The closing balances as of the year's last day: the movements since the opening entry of the
 * last standing carry-forward before `year` (that entry included), or since the first entry.
 * Balance-sheet accounts by code and currency, then the result per currency.
 */
function openingLines(
  book: OpenBookState,
  year: number,
  resultAccount: string,
  lastDay: string,
): JournalLine[] {
  const lastCarriedForward = Math.max(
    -Infinity,
    ...[...book.carriedForward.keys()].filter((y) => y < year),
  );
  const closing = new Map<string, { account: string; currency: string; balanceMinor: bigint }>();
  for (const [movementYear, movements] of book.fiscalYearMovements) {
    if (movementYear <= lastCarriedForward || movementYear > year) continue;
    for (const [key, balanceMinor] of movements) {
      const [account, currency] = key.split('\u0000') as [string, string];
      const sum = closing.get(key) ?? { account, currency, balanceMinor: 0n };
      sum.balanceMinor += balanceMinor;
      closing.set(key, sum);
    }
  }
  const resultByCurrency = new Map<string, bigint>();
  const lines: JournalLine[] = [];
  for (const sum of [...closing.values()].sort(byAccountAndCurrency)) {
    if (sum.balanceMinor === 0n) continue;
    const account = book.accounts.get(sum.account);
    assert(account !== undefined, `movements on unknown account ${sum.account}`);
    if (balanceSheetTypes.has(account.type))
      lines.push(lineOf(sum.account, sum.currency, sum.balanceMinor));
    else
      resultByCurrency.set(
        sum.currency,
        (resultByCurrency.get(sum.currency) ?? 0n) + sum.balanceMinor,
      );
  }
  for (const [currency, balanceMinor] of [...resultByCurrency].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (balanceMinor !== 0n)
      lines.push({
        ...lineOf(resultAccount, currency, balanceMinor),
        memo: `Ergebnis der Erfolgskonten zum ${lastDay}`,
      });
  return lines;
}

function lineOf(account: string, currency: string, balanceMinor: bigint): JournalLine {
  return {
    account,
    side: balanceMinor > 0n ? 'debit' : 'credit',
    amountMinor: (balanceMinor > 0n ? balanceMinor : -balanceMinor).toString(),
    currency,
  };
}

function byAccountAndCurrency(
  a: { account: string; currency: string },
  b: { account: string; currency: string },
): number {
  return movementKey(a.account, a.currency) < movementKey(b.account, b.currency) ? -1 : 1;
}

/** A standing carry-forward of a year `period` lies in or before: it must be reversed before a reopen. */
export function checkNotCarriedForward(book: OpenBookState, period: string): void {
  const covering = [...book.carriedForward]
    .filter(([year]) => periodOf(fiscalYearDates(year, book.fiscalYearStartMonth).to) >= period)
    .sort(([a], [b]) => a - b)[0];
  if (covering === undefined) return;
  const [year, entryId] = covering;
  throw new ConflictError(
    `Period ${period} is carried forward: fiscal year ${year} was carried into ${year + 1} by the opening entry ${entryId}. Reverse that entry first (POST /v1/books/${book.bookId}/journal-entries/${entryId}/reverse), then reopen`,
  );
}

/** An opening entry is reversed on its own date: the reports start the new year from that date. */
export function checkOpeningReversalDate(
  original: EntryState,
  effectiveDate: string | undefined,
): void {
  if (original.kind !== 'original' || original.carryForwardOf === undefined) return;
  if (effectiveDate == null || effectiveDate === original.effectiveDate) return;
  throw new ValidationError('Invalid reversal', [
    {
      field: 'effectiveDate',
      message: `an opening entry is reversed on its own date ${original.effectiveDate} (or leave effectiveDate out)`,
    },
  ]);
}
