import { SqlDatabase, SqlValue, toBigInt, toSafeNumber } from '../../infrastructure/sql/index.js';
import { decodeCursor, Page, toPage } from './ledger-page.js';
import { AccountsReadModel } from './accounts.read-model.js';
import { SumsRow } from './read-model-sql.js';
import { fromLatestOpening, KnownAs, standingOpeningDates } from './ledger-openings.js';

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

export interface RegisterOptions {
  from?: string;
  to?: string;
  /** Only the lines of events at or before this log position (ADR 0021). */
  knownAtPosition?: bigint;
  limit: number;
  cursor?: string;
}

/** An account's register: its lines in order with a running balance, paged (`ledger_lines`). */
export class RegisterReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly accounts: AccountsReadModel,
  ) {}

  /** The lines of one account in (effective date, position, line) order with a running balance per currency. */
  async register(book: string, code: string, options: RegisterOptions): Promise<RegisterPage> {
    await this.accounts.getAccount(book, code);
    const start =
      options.cursor === undefined
        ? undefined
        : decodeCursor(options.cursor, ['string', 'number', 'number']);
    const { where, params } = registerConditions(book, code, options, start);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT l.entry_id, l.line_no, l.position, l.effective_date, l.currency, l.debit_minor, l.credit_minor, l.memo,
              e.description, e.reference
       FROM ledger_lines l JOIN ledger_entries e ON e.book = l.book AND e.id = l.entry_id
       WHERE ${where.join(' AND ')} ORDER BY l.effective_date, l.position, l.line_no LIMIT ?`,
      [...params, options.limit + 1],
    );
    const openingBalances = await this.openingBalances(
      book,
      code,
      options.from,
      start,
      options.knownAtPosition,
    );
    const running = new Map(openingBalances);
    const openings = await this.openingDates(book, { knownAtPosition: options.knownAtPosition });
    let yearStart = latestOnOrBefore(openings, (start?.[0] as string | undefined) ?? options.from);
    const page = toPage(
      rows,
      options.limit,
      (row): RegisterLineView => {
        // A standing opening entry starts the year's balances afresh (docs/adr/0024).
        const rowYearStart = latestOnOrBefore(openings, String(row.effective_date));
        if (rowYearStart !== yearStart) {
          running.clear();
          yearStart = rowYearStart;
        }
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

  private async openingDates(book: string, known: KnownAs): Promise<string[]> {
    const dates = standingOpeningDates(book, known);
    const rows = await this.db.query<{ effective_date: string }>(dates.sql, dates.params);
    return rows.map((row) => row.effective_date);
  }

  /**
   * Balance per currency of the lines before `from`, or before and at a cursor's (date, position,
   * line), counted from the latest standing opening entry on or before that date; with
   * `knownAtPosition` from the lines up to it instead of the daily balances.
   */
  private async openingBalances(
    book: string,
    code: string,
    from: string | undefined,
    start: (string | number)[] | undefined,
    knownAtPosition: bigint | undefined,
  ): Promise<Map<string, bigint>> {
    const before = (date: string): [string, SqlValue[]] => {
      const opening = fromLatestOpening(book, date, { knownAtPosition });
      return knownAtPosition === undefined
        ? [
            `SELECT account, currency, debit_minor, credit_minor FROM ledger_daily_balances
             WHERE book = ? AND account = ? AND effective_date < ? AND ${opening.sql}`,
            [book, code, date, ...opening.params],
          ]
        : [
            `SELECT account, currency, debit_minor, credit_minor FROM ledger_lines
             WHERE book = ? AND account = ? AND effective_date < ? AND position <= ? AND ${opening.sql}`,
            [book, code, date, knownAtPosition, ...opening.params],
          ];
    };
    let rows: SumsRow[];
    if (start === undefined) {
      if (from === undefined) return new Map();
      const [sql, params] = before(from);
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor
         FROM (${sql}) opening GROUP BY account, currency`,
        params,
      );
    } else {
      const [date, position, lineNo] = start;
      const [sql, params] = before(String(date));
      rows = await this.db.query<SumsRow>(
        `SELECT account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor FROM (
           ${sql}
           UNION ALL
           SELECT account, currency, debit_minor, credit_minor FROM ledger_lines
           WHERE book = ? AND account = ? AND effective_date = ? AND (position < ? OR (position = ? AND line_no <= ?))
         ) opening GROUP BY account, currency`,
        [...params, book, code, date, position, position, lineNo],
      );
    }
    return new Map(
      rows.map((row) => [row.currency, toBigInt(row.debit_minor) - toBigInt(row.credit_minor)]),
    );
  }
}

/** The conditions on `ledger_lines l` of a register page: the account, the dates, what was known, past the cursor. */
function registerConditions(
  book: string,
  code: string,
  options: RegisterOptions,
  start: (string | number)[] | undefined,
): { where: string[]; params: SqlValue[] } {
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
  if (options.knownAtPosition !== undefined) {
    where.push('l.position <= ?');
    params.push(options.knownAtPosition);
  }
  if (start) {
    where.push(
      '(l.effective_date > ? OR (l.effective_date = ? AND (l.position > ? OR (l.position = ? AND l.line_no > ?))))',
    );
    params.push(start[0], start[0], start[1], start[1], start[2]);
  }
  return { where, params };
}

/** The latest of the sorted `dates` on or before `date` (undefined: none, or no date). */
function latestOnOrBefore(dates: readonly string[], date: string | undefined): string | undefined {
  if (date === undefined) return undefined;
  let latest: string | undefined;
  for (const candidate of dates) if (candidate <= date) latest = candidate;
  return latest;
}
