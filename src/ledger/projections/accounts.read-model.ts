import { NotFoundError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toBigInt, toSafeNumber } from '../../infrastructure/sql/index.js';
import { AccountType } from '../domain/book.events.js';
import { decodeCursor, Page, toPage } from './ledger-page.js';
import { placeholders } from './read-model-sql.js';

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
  /** A bank account's IBAN (electronic format), or null. */
  iban: string | null;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
}

const accountColumns = 'code, name, type, currency, parent, iban, status, opened_at, closed_at';

/** `GET /v1/books`, a book, its accounts (the `ledger_books` and `ledger_accounts` tables). */
export class AccountsReadModel {
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

  /** The account whose IBAN (electronic format) this is, or undefined. */
  async accountByIban(book: string, iban: string): Promise<AccountView | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT ${accountColumns} FROM ledger_accounts WHERE book = ? AND iban = ?`,
      [book, iban],
    );
    return row === undefined ? undefined : toAccount(row);
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
    iban: (row.iban as string | null) ?? null,
    status: row.status as AccountView['status'],
    openedAt: String(row.opened_at),
    closedAt: (row.closed_at as string | null) ?? null,
  };
}
