import { NotFoundError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toBigInt, toSafeNumber } from '../../infrastructure/sql/index.js';
import { AccountType, EntryMetadata } from '../domain/book.events.js';
import { decodeCursor, Page, toPage } from './ledger-page.js';

export interface BookView {
  id: string;
  name: string;
  baseCurrency: string;
  fiscalYearStartMonth: number;
  openedAt: string;
  position: bigint;
}

export interface PeriodView {
  period: string;
  status: 'closed' | 'open';
  closedAt: string;
  reopenedAt: string | null;
  reopenReason: string | null;
}

export interface AccountView {
  code: string;
  name: string;
  type: AccountType;
  currency: string | null;
  parent: string | null;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
}

export interface LineView {
  lineNo: number;
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  memo: string | null;
}

export interface EntryView {
  id: string;
  book: string;
  effectiveDate: string;
  description: string;
  reference: string | null;
  metadata: EntryMetadata | null;
  reversalOf: string | null;
  reversedBy: string | null;
  position: bigint;
  recordedAt: string;
  lines: LineView[];
}

/** Debit and credit sums of one account in one currency. */
export interface AccountSums {
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

export interface BalanceFilter {
  /** Inclusive upper bound on the effective date; undefined: every date. */
  asOf?: string;
  /** Inclusive lower bound on the effective date. */
  from?: string;
  /** Only lines recorded at or before this ISO time (normalized, `toISOString`); undefined: as known now. */
  knownAt?: string;
  account?: string;
}

export interface RegisterLineView {
  entryId: string;
  lineNo: number;
  position: bigint;
  effectiveDate: string;
  description: string;
  reference: string | null;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  memo: string | null;
  /** Debits minus credits of the account in this currency up to and including this line. */
  balanceMinor: bigint;
}

export interface RegisterPage extends Page<RegisterLineView> {
  /** Balance per currency before the first line of the page. */
  openingBalances: Map<string, bigint>;
}

export interface EntryListFilter {
  account?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

interface EntryRow {
  book: string;
  id: string;
  effective_date: string;
  description: string;
  reference: string | null;
  metadata: string | null;
  reversal_of: string | null;
  reversed_by: string | null;
  position: unknown;
  recorded_at: string;
}

interface LineRow {
  position: unknown;
  line_no: unknown;
  account: string;
  currency: string;
  debit_minor: unknown;
  credit_minor: unknown;
  memo: string | null;
}

interface SumsRow {
  account: string;
  currency: string;
  debit_minor: unknown;
  credit_minor: unknown;
}

const entryColumns =
  'book, id, effective_date, description, reference, metadata, reversal_of, reversed_by, position, recorded_at';
const accountColumns = 'code, name, type, currency, parent, status, opened_at, closed_at';

/**
 * The queries behind the ledger's read endpoints, over the tables of ledger.projection.ts.
 * Every balance is computed by ONE statement, so it reads one consistent snapshot even while
 * the projection commits.
 */
export class LedgerReadModel {
  constructor(private readonly db: SqlDatabase) {}

  async listBooks(options: {
    visibleBooks?: readonly string[];
    limit: number;
    cursor?: string;
  }): Promise<Page<BookView>> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.cursor !== undefined) {
      const [after] = decodeCursor(options.cursor, ['string']);
      where.push('id > ?');
      params.push(after);
    }
    if (options.visibleBooks) {
      if (options.visibleBooks.length === 0) return { items: [], nextCursor: null };
      where.push(`id IN (${placeholders(options.visibleBooks.length)})`);
      params.push(...options.visibleBooks);
    }
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, name, base_currency, fiscal_year_start_month, opened_at, position FROM ledger_books
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`,
      [...params, options.limit + 1],
    );
    return toPage(rows, options.limit, toBook, (row) => [String(row.id)]);
  }

  async getBook(id: string): Promise<BookView & { periods: PeriodView[] }> {
    const [row] = await this.db.query<Record<string, unknown>>(
      'SELECT id, name, base_currency, fiscal_year_start_month, opened_at, position FROM ledger_books WHERE id = ?',
      [id],
    );
    if (!row) throw new NotFoundError(`Book ${id} not found`);
    const periods = await this.db.query<Record<string, unknown>>(
      'SELECT period, status, closed_at, reopened_at, reopen_reason FROM ledger_periods WHERE book = ? ORDER BY period',
      [id],
    );
    return {
      ...toBook(row),
      periods: periods.map((period) => ({
        period: String(period.period),
        status: period.status as PeriodView['status'],
        closedAt: String(period.closed_at),
        reopenedAt: (period.reopened_at as string | null) ?? null,
        reopenReason: (period.reopen_reason as string | null) ?? null,
      })),
    };
  }

  async requireBook(id: string): Promise<void> {
    const rows = await this.db.query('SELECT 1 AS found FROM ledger_books WHERE id = ?', [id]);
    if (rows.length === 0) throw new NotFoundError(`Book ${id} not found`);
  }

  async listAccounts(
    book: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<AccountView>> {
    await this.requireBook(book);
    const after =
      options.cursor === undefined
        ? undefined
        : String(decodeCursor(options.cursor, ['string'])[0]);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${accountColumns} FROM ledger_accounts WHERE book = ? ${after === undefined ? '' : 'AND code > ?'} ORDER BY code LIMIT ?`,
      after === undefined ? [book, options.limit + 1] : [book, after, options.limit + 1],
    );
    return toPage(rows, options.limit, toAccount, (row) => [String(row.code)]);
  }

  /** Every account of a book by code (reports name their lines). */
  async accountsByCode(book: string): Promise<Map<string, AccountView>> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${accountColumns} FROM ledger_accounts WHERE book = ?`,
      [book],
    );
    return new Map(rows.map((row) => [String(row.code), toAccount(row)]));
  }

  async getAccount(book: string, code: string): Promise<AccountView> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT ${accountColumns} FROM ledger_accounts WHERE book = ? AND code = ?`,
      [book, code],
    );
    if (!row) {
      await this.requireBook(book);
      throw new NotFoundError(`Account ${code} not found in book ${book}`);
    }
    return toAccount(row);
  }

  async getEntry(book: string, id: string): Promise<EntryView> {
    const [row] = await this.db.query<EntryRow>(
      `SELECT ${entryColumns} FROM ledger_entries WHERE book = ? AND id = ?`,
      [book, id],
    );
    if (!row) {
      await this.requireBook(book);
      throw new NotFoundError(`Journal entry ${id} not found in book ${book}`);
    }
    const [entry] = await this.withLines([row]);
    return entry!;
  }

  /** Entries in (effective date, position) order, optionally only those touching `account`. */
  async listEntries(book: string, filter: EntryListFilter): Promise<Page<EntryView>> {
    await this.requireBook(book);
    const where = ['book = ?'];
    const params: SqlValue[] = [book];
    if (filter.account !== undefined) {
      where.push('account = ?');
      params.push(filter.account);
    }
    if (filter.from !== undefined) {
      where.push('effective_date >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('effective_date <= ?');
      params.push(filter.to);
    }
    if (filter.cursor !== undefined) {
      const [date, position] = decodeCursor(filter.cursor, ['string', 'number']);
      where.push('(effective_date > ? OR (effective_date = ? AND position > ?))');
      params.push(date, date, position);
    }
    const rows =
      filter.account === undefined
        ? await this.db.query<EntryRow>(
            `SELECT ${entryColumns} FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY effective_date, position LIMIT ?`,
            [...params, filter.limit + 1],
          )
        : await this.entriesTouching(where, params, filter.limit + 1);
    const page = toPage(
      rows,
      filter.limit,
      (row) => row,
      (row) => [row.effective_date, toSafeNumber(row.position)],
    );
    return { items: await this.withLines(page.items), nextCursor: page.nextCursor };
  }

  /**
   * Sums per account and currency. Without `knownAt`: from the daily balances. With it: either the
   * lines recorded up to `knownAt`, or the daily balances minus the lines recorded after it —
   * whichever reads fewer lines (judged by where `knownAt` falls between the first and the last
   * recording time). Both are exact; each is one statement.
   */
  async sums(book: string, filter: BalanceFilter): Promise<AccountSums[]> {
    const dateWhere: string[] = [];
    const dateParams: SqlValue[] = [];
    if (filter.account !== undefined) {
      dateWhere.push('account = ?');
      dateParams.push(filter.account);
    }
    if (filter.from !== undefined) {
      dateWhere.push('effective_date >= ?');
      dateParams.push(filter.from);
    }
    if (filter.asOf !== undefined) {
      dateWhere.push('effective_date <= ?');
      dateParams.push(filter.asOf);
    }
    const and = dateWhere.map((condition) => ` AND ${condition}`).join('');
    let rows: SumsRow[];
    if (filter.knownAt === undefined) {
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor
         FROM ledger_daily_balances WHERE book = ?${and} GROUP BY account, currency`,
        [book, ...dateParams],
      );
    } else if (await this.fewerLinesUpTo(book, filter.knownAt)) {
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor
         FROM ledger_lines WHERE book = ? AND recorded_at <= ?${and} GROUP BY account, currency`,
        [book, filter.knownAt, ...dateParams],
      );
    } else {
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor FROM (
           SELECT account, currency, debit_minor, credit_minor FROM ledger_daily_balances WHERE book = ?${and}
           UNION ALL
           SELECT account, currency, -debit_minor, -credit_minor FROM ledger_lines WHERE book = ? AND recorded_at > ?${and}
         ) known GROUP BY account, currency`,
        [book, ...dateParams, book, filter.knownAt, ...dateParams],
      );
    }
    return rows
      .map((row) => ({
        account: row.account,
        currency: row.currency,
        debitMinor: toBigInt(row.debit_minor),
        creditMinor: toBigInt(row.credit_minor),
      }))
      .sort((a, b) => compareText(a.account, b.account) || compareText(a.currency, b.currency));
  }

  /** The lines of one account in (effective date, position, line) order with a running balance per currency. */
  async register(
    book: string,
    code: string,
    options: { from?: string; to?: string; limit: number; cursor?: string },
  ): Promise<RegisterPage> {
    await this.getAccount(book, code);
    const start =
      options.cursor === undefined
        ? undefined
        : decodeCursor(options.cursor, ['string', 'number', 'number']);
    const where = ['l.book = ?', 'l.account = ?'];
    const params: SqlValue[] = [book, code];
    if (options.from !== undefined) {
      where.push('l.effective_date >= ?');
      params.push(options.from);
    }
    if (options.to !== undefined) {
      where.push('l.effective_date <= ?');
      params.push(options.to);
    }
    if (start) {
      where.push(
        '(l.effective_date > ? OR (l.effective_date = ? AND (l.position > ? OR (l.position = ? AND l.line_no > ?))))',
      );
      params.push(start[0], start[0], start[1], start[1], start[2]);
    }
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT l.entry_id, l.line_no, l.position, l.effective_date, l.currency, l.debit_minor, l.credit_minor, l.memo,
              e.description, e.reference
       FROM ledger_lines l JOIN ledger_entries e ON e.book = l.book AND e.id = l.entry_id
       WHERE ${where.join(' AND ')} ORDER BY l.effective_date, l.position, l.line_no LIMIT ?`,
      [...params, options.limit + 1],
    );
    const openingBalances = await this.openingBalances(book, code, options.from, start);
    const running = new Map(openingBalances);
    const page = toPage(
      rows,
      options.limit,
      (row): RegisterLineView => {
        const currency = String(row.currency);
        const debitMinor = toBigInt(row.debit_minor);
        const creditMinor = toBigInt(row.credit_minor);
        const balanceMinor = (running.get(currency) ?? 0n) + debitMinor - creditMinor;
        running.set(currency, balanceMinor);
        return {
          entryId: String(row.entry_id),
          lineNo: toSafeNumber(row.line_no),
          position: toBigInt(row.position),
          effectiveDate: String(row.effective_date),
          description: String(row.description),
          reference: (row.reference as string | null) ?? null,
          currency,
          debitMinor,
          creditMinor,
          memo: (row.memo as string | null) ?? null,
          balanceMinor,
        };
      },
      (row) => [String(row.effective_date), toSafeNumber(row.position), toSafeNumber(row.line_no)],
    );
    return { ...page, openingBalances };
  }

  /** Balance per currency of the lines before `from`, or before and at a cursor's (date, position, line). */
  private async openingBalances(
    book: string,
    code: string,
    from: string | undefined,
    start: (string | number)[] | undefined,
  ): Promise<Map<string, bigint>> {
    let rows: SumsRow[];
    if (start === undefined) {
      if (from === undefined) return new Map();
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor
         FROM ledger_daily_balances WHERE book = ? AND account = ? AND effective_date < ? GROUP BY account, currency`,
        [book, code, from],
      );
    } else {
      const [date, position, lineNo] = start;
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor FROM (
           SELECT account, currency, debit_minor, credit_minor FROM ledger_daily_balances
           WHERE book = ? AND account = ? AND effective_date < ?
           UNION ALL
           SELECT account, currency, debit_minor, credit_minor FROM ledger_lines
           WHERE book = ? AND account = ? AND effective_date = ? AND (position < ? OR (position = ? AND line_no <= ?))
         ) opening GROUP BY account, currency`,
        [book, code, date, book, code, date, position, position, lineNo],
      );
    }
    return new Map(
      rows.map((row) => [row.currency, toBigInt(row.debit_minor) - toBigInt(row.credit_minor)]),
    );
  }

  /** Whether fewer lines were (probably) recorded up to `knownAt` than after it. */
  private async fewerLinesUpTo(book: string, knownAt: string): Promise<boolean> {
    const [row] = await this.db.query<{ first_at: string | null; last_at: string | null }>(
      `SELECT (SELECT MIN(recorded_at) FROM ledger_lines WHERE book = ?) AS first_at,
              (SELECT MAX(recorded_at) FROM ledger_lines WHERE book = ?) AS last_at`,
      [book, book],
    );
    if (!row?.first_at || !row.last_at) return true;
    const known = Date.parse(knownAt);
    return known - Date.parse(row.first_at) < Date.parse(row.last_at) - known;
  }

  private async entriesTouching(
    where: string[],
    params: SqlValue[],
    limit: number,
  ): Promise<EntryRow[]> {
    const keys = await this.db.query<{ entry_id: string }>(
      `SELECT DISTINCT effective_date, position, entry_id FROM ledger_lines WHERE ${where.join(' AND ')}
       ORDER BY effective_date, position LIMIT ?`,
      [...params, limit],
    );
    if (keys.length === 0) return [];
    const rows = await this.db.query<EntryRow>(
      `SELECT ${entryColumns} FROM ledger_entries WHERE book = ? AND id IN (${placeholders(keys.length)})`,
      [params[0], ...keys.map((key) => key.entry_id)],
    );
    return rows.sort(
      (a, b) =>
        compareText(a.effective_date, b.effective_date) ||
        Number(toBigInt(a.position) - toBigInt(b.position)),
    );
  }

  private async withLines(rows: EntryRow[]): Promise<EntryView[]> {
    if (rows.length === 0) return [];
    const lines = await this.db.query<LineRow>(
      `SELECT position, line_no, account, currency, debit_minor, credit_minor, memo FROM ledger_lines
       WHERE position IN (${placeholders(rows.length)}) ORDER BY position, line_no`,
      rows.map((row) => toBigInt(row.position)),
    );
    const byPosition = new Map<bigint, LineView[]>();
    for (const line of lines) {
      const position = toBigInt(line.position);
      let list = byPosition.get(position);
      if (!list) byPosition.set(position, (list = []));
      list.push({
        lineNo: toSafeNumber(line.line_no),
        account: line.account,
        currency: line.currency,
        debitMinor: toBigInt(line.debit_minor),
        creditMinor: toBigInt(line.credit_minor),
        memo: line.memo ?? null,
      });
    }
    return rows.map((row) => {
      const position = toBigInt(row.position);
      return {
        id: row.id,
        book: row.book,
        effectiveDate: row.effective_date,
        description: row.description,
        reference: row.reference ?? null,
        metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as EntryMetadata),
        reversalOf: row.reversal_of ?? null,
        reversedBy: row.reversed_by ?? null,
        position,
        recordedAt: row.recorded_at,
        lines: byPosition.get(position) ?? [],
      };
    });
  }
}

function toBook(row: Record<string, unknown>): BookView {
  return {
    id: String(row.id),
    name: String(row.name),
    baseCurrency: String(row.base_currency),
    fiscalYearStartMonth: toSafeNumber(row.fiscal_year_start_month),
    openedAt: String(row.opened_at),
    position: toBigInt(row.position),
  };
}

function toAccount(row: Record<string, unknown>): AccountView {
  return {
    code: String(row.code),
    name: String(row.name),
    type: row.type as AccountType,
    currency: (row.currency as string | null) ?? null,
    parent: (row.parent as string | null) ?? null,
    status: row.status as AccountView['status'],
    openedAt: String(row.opened_at),
    closedAt: (row.closed_at as string | null) ?? null,
  };
}

function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** Byte-order comparison, the same as SQL's ORDER BY on ASCII codes. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
