import { SqlDatabase, SqlValue, toBigInt, toSafeNumber } from '../../infrastructure/sql/index.js';
import { AccountsReadModel } from '../../ledger/ledger-read.module.js';
import { decodeCursor, encodeCursor, Page } from '../../ledger/ledger-read.module.js';
import { BookedEntry, LateBooking, lateBookingOf } from '../domain/late-bookings.js';

export interface LateBookingsFilter {
  from?: string;
  to?: string;
  days: number;
  cashAccounts: readonly string[];
  limit: number;
  cursor?: string;
}

interface EntryRow {
  id: string;
  effective_date: string;
  recorded_at: string;
  description: string;
  reference: string | null;
  reversal_of: string | null;
  position: unknown;
  cash: unknown;
}

/** Entries read per round trip while looking for late ones. */
const scanBatch = 1000;

/**
 * Late bookings from the ledger projection's tables (`ledger_entries`, `ledger_lines`), in
 * (effective date, position) order. The delay is computed per entry, so the scan reads the
 * range in batches until a page of late entries is full: memory stays at one batch.
 */
export async function lateBookings(
  db: SqlDatabase,
  accounts: AccountsReadModel,
  book: string,
  filter: LateBookingsFilter,
): Promise<Page<LateBooking>> {
  await accounts.requireBook(book);
  let key =
    filter.cursor === undefined ? undefined : decodeCursor(filter.cursor, ['string', 'number']);
  const items: LateBooking[] = [];
  for (;;) {
    const rows = await entryBatch(db, book, filter, key);
    for (const row of rows) {
      const late = lateBookingOf(bookedEntry(row), filter.days);
      key = [row.effective_date, toSafeNumber(row.position)];
      if (late === undefined) continue;
      if (items.length === filter.limit) return { items, nextCursor: encodeCursor(lastKey(items)) };
      items.push(late);
    }
    if (rows.length < scanBatch) return { items, nextCursor: null };
  }
}

function lastKey(items: LateBooking[]): (string | number)[] {
  const last = items[items.length - 1]!;
  return [last.effectiveDate, Number(last.position)];
}

async function entryBatch(
  db: SqlDatabase,
  book: string,
  filter: LateBookingsFilter,
  after: (string | number)[] | undefined,
): Promise<EntryRow[]> {
  const where = ['e.book = ?'];
  const params: SqlValue[] = [book];
  if (filter.from !== undefined) {
    where.push('e.effective_date >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('e.effective_date <= ?');
    params.push(filter.to);
  }
  if (after !== undefined) {
    where.push('(e.effective_date > ? OR (e.effective_date = ? AND e.position > ?))');
    params.push(after[0]!, after[0]!, after[1]!);
  }
  const cash =
    filter.cashAccounts.length === 0
      ? '0'
      : `CASE WHEN EXISTS (SELECT 1 FROM ledger_lines l WHERE l.position = e.position AND l.account IN (${filter.cashAccounts.map(() => '?').join(', ')})) THEN 1 ELSE 0 END`;
  return db.query<EntryRow>(
    `SELECT e.id, e.effective_date, e.recorded_at, e.description, e.reference, e.reversal_of, e.position, ${cash} AS cash
     FROM ledger_entries e WHERE ${where.join(' AND ')} ORDER BY e.effective_date, e.position LIMIT ?`,
    [...filter.cashAccounts, ...params, scanBatch],
  );
}

function bookedEntry(row: EntryRow): BookedEntry {
  return {
    entryId: row.id,
    effectiveDate: row.effective_date,
    recordedAt: row.recorded_at,
    description: row.description,
    reference: row.reference,
    reversalOf: row.reversal_of,
    position: toBigInt(row.position),
    cash: Number(row.cash) === 1,
  };
}
