import { assert, RecordedEvent } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue } from '../../infrastructure/sql/index.js';
import { JournalEntryPostedData, JournalLine } from '../domain/book.events.js';

// How the ledger projection writes journal entries: their rows and lines in multi-row inserts,
// the daily balances summed and upserted once per run, then reversal marks and openings.

/** Parameters per multi-row statement (SQLite allows 32,766, PostgreSQL 65,535). */
const statementParametersMax = 10_000;

export interface PostedEntry {
  book: string;
  entry: JournalEntryPostedData;
  event: RecordedEvent;
}

export async function postEntries(tx: SqlDatabase, run: readonly PostedEntry[]): Promise<void> {
  if (run.length === 0) return;
  assertRunConsistent(run);
  const entryParams: SqlValue[] = [];
  const lineParams: SqlValue[] = [];
  for (const posted of run) {
    pushEntryRow(entryParams, posted);
    pushLineRows(lineParams, posted);
  }
  await insertRows(tx, entryTableAndColumns, entryColumnCount, entryParams);
  await insertRows(tx, lineTableAndColumns, lineColumnCount, lineParams);
  await addRunToDailyBalances(tx, run);
  for (const { book, entry, event } of run) {
    if (entry.reversalOf !== undefined) await markReversed(tx, book, entry, event);
    if (entry.carryForwardOf !== undefined) await recordOpening(tx, book, entry, event);
  }
}

/**
 * What `applyBookEvent` asserts before writing, for every entry of a run, plus one thing the batch
 * would otherwise let through: a reversal written before its original (per event, the original
 * would not exist yet when the reversal marks it).
 */
function assertRunConsistent(run: readonly PostedEntry[]): void {
  const indexById = new Map<string, number>();
  run.forEach(({ book, entry }, index) => {
    const key = `${book}\u0000${entry.entryId}`;
    if (!indexById.has(key)) indexById.set(key, index);
  });
  run.forEach(({ book, entry }, index) => {
    assertBalanced(entry);
    if (entry.reversalOf === undefined) return;
    const original = indexById.get(`${book}\u0000${entry.reversalOf}`);
    assert(
      original === undefined || original <= index,
      `reversal ${entry.entryId} of ${entry.reversalOf}: no unreversed original in book ${book}`,
    );
  });
}

const entryTableAndColumns =
  'ledger_entries (book, id, effective_date, description, reference, metadata, documents, reversal_of, carry_forward_of, position, recorded_at)';
const entryColumnCount = 11;

/**
 * Appends the entry's row to `params`: one flat array per statement, no row arrays to copy, and
 * NULL rather than undefined, so the driver binds it as it is (portableParams).
 */
function pushEntryRow(params: SqlValue[], { book, entry, event }: PostedEntry): void {
  params.push(
    book,
    entry.entryId,
    entry.effectiveDate,
    entry.description,
    entry.reference ?? null,
    entry.metadata === undefined ? null : JSON.stringify(entry.metadata),
    documentsColumn(entry),
    entry.reversalOf ?? null,
    entry.carryForwardOf ?? null,
    event.position,
    event.recordedAt,
  );
}

/** The entry's document ids as a JSON array, or NULL for none. */
function documentsColumn(entry: JournalEntryPostedData): string | null {
  return entry.documents === undefined || entry.documents.length === 0
    ? null
    : JSON.stringify(entry.documents);
}

const lineTableAndColumns =
  'ledger_lines (position, line_no, book, entry_id, account, currency, debit_minor, credit_minor, memo, tax_code, party, effective_date, recorded_at)';
const lineColumnCount = 13;

/** Appends the rows of the entry's lines to `params`. */
function pushLineRows(params: SqlValue[], { book, entry, event }: PostedEntry): void {
  entry.lines.forEach((line, index) => {
    const amountMinor = BigInt(line.amountMinor);
    params.push(
      event.position,
      index,
      book,
      entry.entryId,
      line.account,
      line.currency,
      line.side === 'debit' ? amountMinor : 0n,
      line.side === 'credit' ? amountMinor : 0n,
      line.memo ?? null,
      line.taxCode ?? null,
      line.party ?? null,
      entry.effectiveDate,
      event.recordedAt,
    );
  });
}

/**
 * `INSERT INTO <table (columns)> VALUES (…), (…)` for the rows flattened in `params`, as few
 * statements as the parameter limit allows.
 */
async function insertRows(
  tx: SqlDatabase,
  tableAndColumns: string,
  columns: number,
  params: readonly SqlValue[],
): Promise<void> {
  const paramsPerStatement = Math.floor(statementParametersMax / columns) * columns;
  for (let start = 0; start < params.length; start += paramsPerStatement) {
    const chunk =
      params.length <= paramsPerStatement
        ? params
        : params.slice(start, start + paramsPerStatement);
    await tx.execute(
      `INSERT INTO ${tableAndColumns} VALUES ${placeholderRows(chunk.length / columns, columns)}`,
      chunk,
    );
  }
}

/** The run's lines summed per (book, account, currency, day): each row is touched once per statement. */
async function addRunToDailyBalances(tx: SqlDatabase, run: readonly PostedEntry[]): Promise<void> {
  const sums = new Map<string, SqlValue[]>();
  for (const { book, entry } of run) {
    for (const line of entry.lines) {
      const key = `${book}\u0000${line.account}\u0000${line.currency}\u0000${entry.effectiveDate}`;
      let sum = sums.get(key);
      if (!sum)
        sums.set(key, (sum = [book, line.account, line.currency, entry.effectiveDate, 0n, 0n]));
      const column = line.side === 'debit' ? 4 : 5;
      sum[column] = (sum[column] as bigint) + BigInt(line.amountMinor);
    }
  }
  const rows = [...sums.values()];
  const rowsPerStatement = Math.floor(statementParametersMax / dailyBalanceColumnCount);
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    await tx.execute(upsertDailyBalancesSql(chunk.length), chunk.flat());
  }
}

const dailyBalanceColumnCount = 6;

function upsertDailyBalancesSql(rows: number): string {
  return `INSERT INTO ledger_daily_balances (book, account, currency, effective_date, debit_minor, credit_minor)
     VALUES ${placeholderRows(rows, dailyBalanceColumnCount)}
     ON CONFLICT (book, account, currency, effective_date) DO UPDATE SET
       debit_minor = ledger_daily_balances.debit_minor + excluded.debit_minor,
       credit_minor = ledger_daily_balances.credit_minor + excluded.credit_minor`;
}

async function markReversed(
  tx: SqlDatabase,
  book: string,
  entry: JournalEntryPostedData,
  event: RecordedEvent,
): Promise<void> {
  const { changes } = await tx.execute(
    'UPDATE ledger_entries SET reversed_by = ? WHERE book = ? AND id = ? AND reversed_by IS NULL',
    [entry.entryId, book, entry.reversalOf],
  );
  assert(
    changes === 1,
    `reversal ${entry.entryId} of ${entry.reversalOf}: no unreversed original in book ${book}`,
  );
  // A reversed opening entry no longer starts the year's balances (from the reversal's recording on).
  await tx.execute(
    'UPDATE ledger_openings SET reversed_at = ?, reversed_position = ? WHERE book = ? AND entry_id = ?',
    [event.recordedAt, event.position, book, entry.reversalOf],
  );
}

async function recordOpening(
  tx: SqlDatabase,
  book: string,
  entry: JournalEntryPostedData,
  event: RecordedEvent,
): Promise<void> {
  await tx.execute(
    'INSERT INTO ledger_openings (book, entry_id, fiscal_year, effective_date, position, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
    [
      book,
      entry.entryId,
      entry.carryForwardOf,
      entry.effectiveDate,
      event.position,
      event.recordedAt,
    ],
  );
}

function assertBalanced(entry: JournalEntryPostedData): void {
  const net = new Map<string, bigint>();
  for (const line of entry.lines)
    net.set(line.currency, (net.get(line.currency) ?? 0n) + signedMinor(line));
  for (const [currency, netMinor] of net) {
    assert(
      netMinor === 0n,
      `entry ${entry.entryId} is unbalanced in ${currency} by ${netMinor} minor units`,
    );
  }
}

function signedMinor(line: JournalLine): bigint {
  const amountMinor = BigInt(line.amountMinor);
  assert(amountMinor > 0n, `line amount ${line.amountMinor} is not positive`);
  return line.side === 'debit' ? amountMinor : -amountMinor;
}

function placeholderRows(rows: number, columns: number): string {
  const row = `(${new Array<string>(columns).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(row).join(', ');
}
