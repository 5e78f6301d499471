import {
  FieldError,
  ValidationError,
  formatAmount,
  isCurrency,
  parseAmount,
  sumMinor,
} from '../../event-sourcing/index.js';
import { JournalEntryPostedData, JournalLine, LineSide } from './book.events.js';
import { BookState, OpenBookState, requireOpenBook } from './book.state.js';
import { checkTaxCodes, taxLines } from './entry-tax.js';
import { isCalendarDate, periodOf } from './calendar.js';
import {
  AccountClosedError,
  AccountTotalLimitError,
  CurrencyNotAcceptedError,
  PeriodClosedError,
  UnbalancedEntryError,
  UnknownAccountError,
} from './ledger.errors.js';
import { JournalLineInput, PostJournalEntry } from './book.commands.js';
import { accountCodeLengthMax, identifierProblem, textProblem } from './book.rules.js';

/**
 * The most an account's debits — and, separately, its credits — may add up to in one currency
 * over the book's life: 10^18 minor units (10^16 EUR). The read models keep these sums (and sum
 * them per account) as 64-bit integers, SQLite INTEGER and PostgreSQL BIGINT (at most
 * 2^63 − 1 ≈ 9.2 · 10^18), so with this bound every stored figure and every balance is exact and a
 * projection can never overflow. One line is at most amountMinorMax, the same 10^18. Book-wide
 * totals are added up in bigint, never in SQL.
 */
export const accountTotalMinorMax = 10n ** 18n;
export const linesMin = 2;
export const linesMax = 500;
export const descriptionLengthMax = 1000;
export const referenceLengthMax = 200;
export const memoLengthMax = 1000;
export const metadataKeysMax = 50;
export const metadataKeyLengthMax = 100;
export const metadataValueLengthMax = 1000;
export const taxCodeLengthMax = 32;
export const partyLengthMax = 128;

/**
 * Every rule of a posting except idempotency, as a pure dry run: the approvals module validates
 * a gated entry with it before asking for approval. Returns the entry as it would be posted
 * (amounts parsed, currencies defaulted to the book's base currency) or throws the DomainError
 * the post would fail with.
 */
export function validateJournalEntry(
  command: PostJournalEntry,
  state: BookState,
): JournalEntryPostedData {
  const book = requireOpenBook(state, command.bookId);
  const entry = entryOf(command, book);
  checkBalanced(entry.lines);
  checkPostable(entry, book);
  return entry;
}

/**
 * The entry as it would be posted, before the balance and book checks: parsed, its tax codes
 * checked against the book's (defined, valid on the effective date), and with `"tax": "auto"`
 * the tax lines added (taxLines).
 */
export function entryOf(command: PostJournalEntry, book: OpenBookState): JournalEntryPostedData {
  const entry = parseJournalEntry(command, book.baseCurrency);
  checkTaxCodes(entry, book);
  if (command.tax !== 'auto') return entry;
  const lines = [...entry.lines, ...taxLines(entry, book)];
  if (lines.length > linesMax)
    throw new ValidationError('Invalid journal entry', [
      { field: 'lines', message: `with the tax lines the entry holds more than ${linesMax} lines` },
    ]);
  return { ...entry, lines };
}

/** Shape and amounts only (400 `validation`, every problem at once, fields named as in the API). */
export function parseJournalEntry(
  command: PostJournalEntry,
  baseCurrency: string,
): JournalEntryPostedData {
  const errors: FieldError[] = [];
  if (!isCalendarDate(command.effectiveDate)) {
    errors.push({ field: 'effectiveDate', message: 'must be a calendar date YYYY-MM-DD' });
  }
  pushTextProblem(errors, 'description', command.description, {
    required: true,
    lengthMax: descriptionLengthMax,
  });
  pushTextProblem(errors, 'reference', command.reference, {
    required: false,
    lengthMax: referenceLengthMax,
  });
  const lines = parseLines(command.lines, baseCurrency, errors);
  errors.push(...metadataProblems(command.metadata));
  errors.push(...documentsProblems(command.documents));
  if (command.tax != null && command.tax !== 'auto')
    errors.push({ field: 'tax', message: 'must be "auto" or absent' });
  if (errors.length > 0) throw new ValidationError('Invalid journal entry', errors);
  return {
    entryId: command.entryId,
    effectiveDate: command.effectiveDate,
    description: command.description,
    ...(command.reference == null ? {} : { reference: command.reference }),
    lines,
    ...(command.metadata == null ? {} : { metadata: command.metadata }),
    ...(command.documents == null || command.documents.length === 0
      ? {}
      : { documents: [...command.documents] }),
  };
}

export const entryDocumentsMax = 20;
export const entryDocumentIdPattern = /^sha256:[0-9a-f]{64}$/;

function documentsProblems(documents: unknown): FieldError[] {
  if (documents == null) return [];
  if (!Array.isArray(documents) || documents.length > entryDocumentsMax)
    return [
      { field: 'documents', message: `an array of at most ${entryDocumentsMax} document ids` },
    ];
  const problems = documents.flatMap((id: unknown, index) =>
    typeof id === 'string' && entryDocumentIdPattern.test(id)
      ? []
      : [{ field: `documents[${index}]`, message: 'must be a document id sha256:<64 hex digits>' }],
  );
  if (problems.length === 0 && new Set(documents).size !== documents.length)
    problems.push({ field: 'documents', message: 'names a document twice' });
  return problems;
}

function parseLines(input: unknown, baseCurrency: string, errors: FieldError[]): JournalLine[] {
  if (!Array.isArray(input)) {
    errors.push({ field: 'lines', message: 'must be an array of lines' });
    return [];
  }
  if (input.length < linesMin || input.length > linesMax) {
    errors.push({ field: 'lines', message: `must hold ${linesMin} to ${linesMax} lines` });
    if (input.length > linesMax) return [];
  }
  return input.flatMap((line: unknown, index) =>
    parseLine(line, `lines[${index}]`, baseCurrency, errors),
  );
}

function parseLine(
  input: unknown,
  field: string,
  baseCurrency: string,
  errors: FieldError[],
): JournalLine[] {
  if (typeof input !== 'object' || input === null) {
    errors.push({ field, message: 'must be an object' });
    return [];
  }
  const line = input as Partial<Record<keyof JournalLineInput, unknown>>;
  const errorsBefore = errors.length;
  pushTextProblem(errors, `${field}.account`, line.account, {
    required: true,
    lengthMax: accountCodeLengthMax,
  });
  pushTextProblem(errors, `${field}.memo`, line.memo, {
    required: false,
    lengthMax: memoLengthMax,
  });
  for (const [key, lengthMax] of [
    ['taxCode', taxCodeLengthMax],
    ['party', partyLengthMax],
  ] as const) {
    const problem = line[key] == null ? undefined : identifierProblem(line[key], lengthMax);
    if (problem !== undefined) errors.push({ field: `${field}.${key}`, message: problem });
  }
  const currency = line.currency ?? baseCurrency;
  const currencyKnown = typeof currency === 'string' && isCurrency(currency);
  if (!currencyKnown)
    errors.push({ field: `${field}.currency`, message: 'must be an ISO 4217 currency code' });
  const side = sideOf(line, field, errors);
  const amountMinor =
    side !== undefined && currencyKnown
      ? parsePositiveAmount(line[side], currency, `${field}.${side}`, errors)
      : undefined;
  if (errors.length > errorsBefore || side === undefined || amountMinor === undefined) return [];
  return [
    {
      account: line.account as string,
      side,
      amountMinor: amountMinor.toString(),
      currency: currency as string,
      ...(line.memo == null ? {} : { memo: line.memo as string }),
      ...(line.taxCode == null ? {} : { taxCode: line.taxCode as string }),
      ...(line.party == null ? {} : { party: line.party as string }),
    },
  ];
}

function sideOf(
  line: { debit?: unknown; credit?: unknown },
  field: string,
  errors: FieldError[],
): LineSide | undefined {
  const hasDebit = line.debit != null;
  if (hasDebit === (line.credit != null)) {
    errors.push({ field, message: 'must have exactly one of debit or credit' });
    return undefined;
  }
  return hasDebit ? 'debit' : 'credit';
}

function parsePositiveAmount(
  text: unknown,
  currency: string,
  field: string,
  errors: FieldError[],
): bigint | undefined {
  try {
    const amountMinor = parseAmount(text as string, currency, field);
    if (amountMinor > 0n) return amountMinor;
    errors.push({ field, message: 'must be positive' });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    errors.push(...(error.fieldErrors ?? [{ field, message: error.message }]));
  }
  return undefined;
}

function metadataProblems(metadata: unknown): FieldError[] {
  if (metadata == null) return [];
  if (typeof metadata !== 'object' || Array.isArray(metadata))
    return [{ field: 'metadata', message: 'must be an object' }];
  const entries = Object.entries(metadata);
  if (entries.length > metadataKeysMax)
    return [{ field: 'metadata', message: `at most ${metadataKeysMax} keys` }];
  return entries.flatMap(([key, value]): FieldError[] => {
    const field = `metadata.${key}`;
    if (key.length === 0 || key.length > metadataKeyLengthMax)
      return [{ field, message: `key must have 1 to ${metadataKeyLengthMax} characters` }];
    if (typeof value === 'string') {
      return value.length > metadataValueLengthMax
        ? [{ field, message: `at most ${metadataValueLengthMax} characters` }]
        : [];
    }
    if (
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value))
    )
      return [];
    return [{ field, message: 'must be a string, a finite number, a boolean or null' }];
  });
}

function pushTextProblem(
  errors: FieldError[],
  field: string,
  value: unknown,
  rule: { required: boolean; lengthMax: number },
): void {
  const message = textProblem(value, rule);
  if (message !== undefined) errors.push({ field, message });
}

type PostableLine = Pick<JournalLine, 'account' | 'side' | 'amountMinor' | 'currency'>;

/** Debits equal credits in every currency on its own (a total across currencies means nothing). */
export function checkBalanced(lines: readonly PostableLine[]): void {
  const debitTotals = totalsByCurrency(lines, 'debit');
  const creditTotals = totalsByCurrency(lines, 'credit');
  const currencies = [...new Set([...debitTotals.keys(), ...creditTotals.keys()])].sort();
  const imbalances = currencies
    .map((currency) => ({
      currency,
      debitMinor: debitTotals.get(currency) ?? 0n,
      creditMinor: creditTotals.get(currency) ?? 0n,
    }))
    .filter(({ debitMinor, creditMinor }) => debitMinor !== creditMinor);
  if (imbalances.length > 0) throw new UnbalancedEntryError(imbalances);
}

/** Against the book: every account exists, is open and takes the line's currency; the period is open. */
export function checkPostable(
  entry: { effectiveDate: string; lines: readonly PostableLine[] },
  book: OpenBookState,
): void {
  const unknown: FieldError[] = [];
  const closed: FieldError[] = [];
  const currencyRefused: FieldError[] = [];
  entry.lines.forEach((line, index) => {
    const account = book.accounts.get(line.account);
    const field = `lines[${index}].account`;
    if (account === undefined)
      unknown.push({ field, message: `account ${line.account} does not exist` });
    else if (account.status === 'closed')
      closed.push({ field, message: `account ${line.account} is closed` });
    else if (account.currency !== undefined && account.currency !== line.currency) {
      currencyRefused.push({
        field: `lines[${index}].currency`,
        message: `account ${line.account} takes ${account.currency} only`,
      });
    }
  });
  if (unknown.length > 0) throw new UnknownAccountError(unknown);
  if (closed.length > 0) throw new AccountClosedError(closed);
  if (currencyRefused.length > 0) throw new CurrencyNotAcceptedError(currencyRefused);
  const period = periodOf(entry.effectiveDate);
  if (book.closedPeriods.has(period)) throw new PeriodClosedError(period);
  checkAccountTotals(entry.lines, book);
}

/** Refuses an entry after which an account's debits or credits in a currency would pass accountTotalMinorMax. */
function checkAccountTotals(lines: readonly PostableLine[], book: OpenBookState): void {
  const after = new Map<string, bigint>();
  const overLimit: FieldError[] = [];
  lines.forEach((line, index) => {
    const key = `${line.account}\u0000${line.currency}\u0000${line.side}`;
    const account = book.accounts.get(line.account)!;
    const totals = account.totalsMinor.get(line.currency);
    const before = (line.side === 'debit' ? totals?.debitMinor : totals?.creditMinor) ?? 0n;
    const total = (after.get(key) ?? before) + BigInt(line.amountMinor);
    after.set(key, total);
    if (total <= accountTotalMinorMax) return;
    const limit = formatAmount(accountTotalMinorMax, line.currency);
    overLimit.push({
      field: `lines[${index}].amount`,
      message: `the ${line.side}s of account ${line.account} would add up to ${line.currency} ${formatAmount(total, line.currency)}, over the limit of ${line.currency} ${limit} per account and currency`,
    });
  });
  if (overLimit.length > 0) throw new AccountTotalLimitError(overLimit);
}

function totalsByCurrency(lines: readonly PostableLine[], side: LineSide): Map<string, bigint> {
  const amountsByCurrency = new Map<string, bigint[]>();
  for (const line of lines) {
    if (line.side !== side) continue;
    const amounts = amountsByCurrency.get(line.currency) ?? [];
    amounts.push(BigInt(line.amountMinor));
    amountsByCurrency.set(line.currency, amounts);
  }
  return new Map(
    [...amountsByCurrency].map(([currency, amounts]) => [currency, sumMinor(amounts)]),
  );
}

/** What approval policies look at: debit totals per currency and every account touched (first-seen order). */
export interface EntryTotals {
  debitTotalsMinor: Record<string, bigint>;
  accounts: string[];
}

export function entryTotals(lines: readonly PostableLine[]): EntryTotals {
  return {
    debitTotalsMinor: Object.fromEntries(totalsByCurrency(lines, 'debit')),
    accounts: [...new Set(lines.map((line) => line.account))],
  };
}
