import { assert, RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import {
  AccountClosedData,
  AccountIbanChangedData,
  AccountOpenedData,
  BookEvent,
  bookEventTypes,
  bookIdOfStream,
  BookOpenedData,
  JournalEntryPostedData,
  PeriodClosedData,
  PeriodReopenedData,
} from '../domain/book.events.js';
import { PostedEntry, postEntries } from './ledger-entry-writes.js';
import {
  ledgerTableNames,
  ledgerTablesWithoutIndexes,
  ledgerTableStatements,
} from './ledger-tables.js';

export const ledgerProjectionName = 'ledger';

/** Bump when a table's shape or meaning changes: the next start rebuilds from position 0. */
// 2: lines carry tax_code and party. 3: entries carry their documents and carry_forward_of,
// accounts their iban; ledger_openings.
export const ledgerProjectionVersion = 3;

/**
 * Books, accounts, journal entries and lines, daily balances and periods, from the book streams.
 * Balance is asserted again here: the decider refused unbalanced entries, so one here is a bug.
 */
export const ledgerProjection: Projection = {
  name: ledgerProjectionName,
  version: ledgerProjectionVersion,
  handles: (event) =>
    bookIdOfStream(event.streamId) !== undefined &&
    (bookEventTypes as readonly string[]).includes(event.type),
  async setup(db) {
    for (const statement of ledgerTableStatements(db)) await db.execute(statement);
  },
  async setupForRebuild(db) {
    for (const statement of ledgerTablesWithoutIndexes(db)) await db.execute(statement);
  },
  async reset(db) {
    for (const table of ledgerTableNames) await db.execute(`DROP TABLE IF EXISTS ${table}`);
  },
  apply: applyBookEvent,
  applyBatch: applyBookEvents,
  // A book whose event cannot be applied is set aside alone; the other books go on.
  partitionOf: (event) => bookIdOfStream(event.streamId),
};

/**
 * The same rows as `applyBookEvent` on each event in turn, with far fewer statements: runs of
 * consecutive JournalEntryPosted events are written with multi-row inserts and one upsert of
 * their summed daily balances; any other event first writes the run before it, then applies alone.
 */
async function applyBookEvents(events: readonly RecordedEvent[], tx: SqlDatabase): Promise<void> {
  let run: PostedEntry[] = [];
  for (const recorded of events) {
    if (recorded.type === 'JournalEntryPosted') {
      const book = bookIdOfStream(recorded.streamId);
      assert(
        book !== undefined,
        `ledger projection got event ${recorded.position} of stream ${recorded.streamId}`,
      );
      run.push({ book, entry: recorded.data as JournalEntryPostedData, event: recorded });
      continue;
    }
    await postEntries(tx, run);
    run = [];
    await applyBookEvent(recorded, tx);
  }
  await postEntries(tx, run);
}

async function applyBookEvent(recorded: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const book = bookIdOfStream(recorded.streamId);
  assert(
    book !== undefined,
    `ledger projection got event ${recorded.position} of stream ${recorded.streamId}`,
  );
  const event = { type: recorded.type, data: recorded.data } as BookEvent;
  switch (event.type) {
    case 'BookOpened':
      return openBook(tx, book, event.data, recorded);
    case 'AccountOpened':
      return openAccount(tx, book, event.data, recorded);
    case 'AccountIbanChanged':
      return changeAccountIban(tx, book, event.data);
    case 'AccountClosed':
      return closeAccount(tx, book, event.data, recorded);
    case 'JournalEntryPosted':
      return postEntry(tx, book, event.data, recorded);
    case 'PeriodClosed':
      return closePeriod(tx, book, event.data, recorded);
    case 'PeriodReopened':
      return reopenPeriod(tx, book, event.data, recorded);
  }
}

async function openBook(
  tx: SqlDatabase,
  book: string,
  data: BookOpenedData,
  event: RecordedEvent,
): Promise<void> {
  assert(data.bookId === book, `BookOpened for ${data.bookId} in stream ${event.streamId}`);
  await tx.execute(
    'INSERT INTO ledger_books (id, name, base_currency, fiscal_year_start_month, opened_at, position) VALUES (?, ?, ?, ?, ?, ?)',
    [
      book,
      data.name,
      data.baseCurrency,
      data.fiscalYearStartMonth,
      event.recordedAt,
      event.position,
    ],
  );
}

async function openAccount(
  tx: SqlDatabase,
  book: string,
  data: AccountOpenedData,
  event: RecordedEvent,
): Promise<void> {
  await tx.execute(
    `INSERT INTO ledger_accounts (book, code, name, type, currency, parent, iban, status, opened_at, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    [
      book,
      data.code,
      data.name,
      data.type,
      data.currency,
      data.parent,
      data.iban,
      event.recordedAt,
      event.position,
    ],
  );
}

async function changeAccountIban(
  tx: SqlDatabase,
  book: string,
  data: AccountIbanChangedData,
): Promise<void> {
  const { changes } = await tx.execute(
    'UPDATE ledger_accounts SET iban = ? WHERE book = ? AND code = ?',
    [data.iban, book, data.code],
  );
  assert(changes === 1, `AccountIbanChanged for unknown account ${book}/${data.code}`);
}

async function closeAccount(
  tx: SqlDatabase,
  book: string,
  data: AccountClosedData,
  event: RecordedEvent,
): Promise<void> {
  const { changes } = await tx.execute(
    `UPDATE ledger_accounts SET status = 'closed', closed_at = ? WHERE book = ? AND code = ?`,
    [event.recordedAt, book, data.code],
  );
  assert(changes === 1, `AccountClosed for unknown account ${book}/${data.code}`);
}

/** One entry is a run of one. */
function postEntry(
  tx: SqlDatabase,
  book: string,
  entry: JournalEntryPostedData,
  event: RecordedEvent,
): Promise<void> {
  return postEntries(tx, [{ book, entry, event }]);
}

async function closePeriod(
  tx: SqlDatabase,
  book: string,
  data: PeriodClosedData,
  event: RecordedEvent,
): Promise<void> {
  await tx.execute(
    `INSERT INTO ledger_periods (book, period, status, closed_at, position) VALUES (?, ?, 'closed', ?, ?)
     ON CONFLICT (book, period) DO UPDATE SET status = 'closed', closed_at = excluded.closed_at,
       reopened_at = NULL, reopen_reason = NULL, position = excluded.position`,
    [book, data.period, event.recordedAt, event.position],
  );
}

async function reopenPeriod(
  tx: SqlDatabase,
  book: string,
  data: PeriodReopenedData,
  event: RecordedEvent,
): Promise<void> {
  const { changes } = await tx.execute(
    `UPDATE ledger_periods SET status = 'open', reopened_at = ?, reopen_reason = ?, position = ? WHERE book = ? AND period = ?`,
    [event.recordedAt, data.reason, event.position, book, data.period],
  );
  assert(
    changes === 1,
    `PeriodReopened for period ${data.period} of book ${book}, which was never closed`,
  );
}
