import { SqlDatabase, SqlValue, toBigInt } from '../../infrastructure/sql/index.js';
import { compareText, SumsRow } from './read-model-sql.js';
import { fromLatestOpening, standingOpeningPositions } from './ledger-openings.js';

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
  /** Only lines of events at or before this log position: the books as they stood then (ADR 0021). */
  knownAtPosition?: bigint;
  account?: string;
}

export interface TaxedLineSumsRow {
  taxCode: string;
  account: string;
  accountType: string;
  currency: string;
  effectiveDate: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

/** Rows of `source` (`<table> WHERE …`) to add up, or to subtract when `negated`. */
interface SumTerm {
  source: string;
  negated: boolean;
  params: SqlValue[];
}

function termSql(term: SumTerm): string {
  return term.negated
    ? `SELECT account, currency, -debit_minor AS debit_minor, -credit_minor AS credit_minor FROM ${term.source}`
    : `SELECT account, currency, debit_minor, credit_minor FROM ${term.source}`;
}

/** A movement over [from, asOf] leaves the standing opening entries in it out (docs/adr/0024). */
function openingsLeftOut(book: string, filter: BalanceFilter, from: string): SumTerm {
  const range = { from, ...(filter.asOf === undefined ? {} : { to: filter.asOf }) };
  const openings = standingOpeningPositions(book, range, filter);
  const account = filter.account === undefined ? '' : ' AND account = ?';
  return {
    source: `ledger_lines WHERE ${openings.sql}${account}`,
    negated: true,
    params: [...openings.params, ...(filter.account === undefined ? [] : [filter.account])],
  };
}

/**
 * Balances per account and currency, as of a date and as known at a time (`ledger_daily_balances`,
 * `ledger_lines`). Every balance is ONE statement, so it reads one consistent snapshot even while
 * the projection commits.
 */
export class BalancesReadModel {
  constructor(private readonly db: SqlDatabase) {}

  /**
   * Sums per account and currency. Without `from` a balance: from the latest standing opening
   * entry on or before `asOf` (docs/adr/0024); with `from` a movement over [from, asOf], standing
   * opening entries left out. Without `knownAt`: from the daily balances. With it: either the
   * lines recorded up to `knownAt`, or the daily balances minus the lines recorded after it —
   * whichever reads fewer lines (judged by where `knownAt` falls between the first and the last
   * recording time). With `knownAtPosition` the same two ways around a log position (a line is
   * never changed once written, so either is exactly the books as they stood). Each is exact and
   * one statement.
   */
  async sums(book: string, filter: BalanceFilter): Promise<AccountSums[]> {
    const terms = await this.sumTerms(book, filter);
    const sumColumns =
      'account, currency, SUM(debit_minor) AS debit_minor, SUM(credit_minor) AS credit_minor';
    const [single] = terms;
    const sql =
      terms.length === 1 && !single!.negated
        ? `SELECT ${sumColumns} FROM ${single!.source} GROUP BY account, currency`
        : `SELECT ${sumColumns} FROM (${terms.map(termSql).join(' UNION ALL ')}) t GROUP BY account, currency`;
    const rows = await this.db.query<SumsRow>(
      sql,
      terms.flatMap((term) => term.params),
    );
    return rows
      .map((row) => ({
        account: row.account,
        currency: row.currency,
        debitMinor: toBigInt(row.debit_minor),
        creditMinor: toBigInt(row.credit_minor),
      }))
      .sort((a, b) => compareText(a.account, b.account) || compareText(a.currency, b.currency));
  }

  /** The row sources a sum adds up (negated: subtracted). */
  private async sumTerms(book: string, filter: BalanceFilter): Promise<SumTerm[]> {
    const dateWhere: string[] = [];
    const dateParams: SqlValue[] = [];
    if (filter.account !== undefined) {
      dateWhere.push('account = ?');
      dateParams.push(filter.account);
    }
    if (filter.from !== undefined) {
      dateWhere.push('effective_date >= ?');
      dateParams.push(filter.from);
    } else {
      const opening = fromLatestOpening(book, filter.asOf, filter);
      dateWhere.push(opening.sql);
      dateParams.push(...opening.params);
    }
    if (filter.asOf !== undefined) {
      dateWhere.push('effective_date <= ?');
      dateParams.push(filter.asOf);
    }
    const and = dateWhere.map((condition) => ` AND ${condition}`).join('');
    const daily = { source: `ledger_daily_balances WHERE book = ?${and}`, negated: false };
    const terms: SumTerm[] = [];
    if (filter.knownAtPosition !== undefined)
      terms.push(
        ...(await this.knownAtPositionTerms(
          book,
          filter.knownAtPosition,
          filter.account,
          and,
          dateParams,
        )),
      );
    else if (filter.knownAt === undefined) terms.push({ ...daily, params: [book, ...dateParams] });
    else if (await this.fewerLinesUpTo(book, filter.knownAt))
      terms.push({
        source: `ledger_lines WHERE book = ? AND recorded_at <= ?${and}`,
        negated: false,
        params: [book, filter.knownAt, ...dateParams],
      });
    else
      terms.push(
        { ...daily, params: [book, ...dateParams] },
        {
          source: `ledger_lines WHERE book = ? AND recorded_at > ?${and}`,
          negated: true,
          params: [book, filter.knownAt, ...dateParams],
        },
      );
    if (filter.from !== undefined) terms.push(openingsLeftOut(book, filter, filter.from));
    return terms;
  }

  /**
   * Sums of the lines that carry a tax code, per code, account (with its type) and effective
   * day, for the VAT return of [from, to] in one currency.
   */
  async taxedLineSums(
    book: string,
    period: { from: string; to: string },
  ): Promise<TaxedLineSumsRow[]> {
    const rows = await this.db.query<{
      tax_code: string;
      account: string;
      account_type: string;
      currency: string;
      effective_date: string;
      debit_minor: unknown;
      credit_minor: unknown;
    }>(
      `SELECT l.tax_code, l.account, a.type AS account_type, l.currency, l.effective_date,
              SUM(l.debit_minor) AS debit_minor, SUM(l.credit_minor) AS credit_minor
       FROM ledger_lines l JOIN ledger_accounts a ON a.book = l.book AND a.code = l.account
       WHERE l.book = ? AND l.tax_code IS NOT NULL
         AND l.effective_date >= ? AND l.effective_date <= ?
       GROUP BY l.tax_code, l.account, a.type, l.currency, l.effective_date
       ORDER BY l.effective_date, l.tax_code, l.account, l.currency`,
      [book, period.from, period.to],
    );
    return rows.map((row) => ({
      taxCode: row.tax_code,
      account: row.account,
      accountType: row.account_type,
      currency: row.currency,
      effectiveDate: row.effective_date,
      debitMinor: toBigInt(row.debit_minor),
      creditMinor: toBigInt(row.credit_minor),
    }));
  }

  /**
   * The lines of the events up to `position`, or the daily balances minus the lines after it,
   * whichever side of `position` is shorter in the log. For a whole book both read the lines by
   * the primary key's position range: `book || '' = ?` keeps the planner off the book's indexes,
   * which are not in position order and would read every line of the book (EXPLAIN QUERY PLAN).
   * For one account its index is the narrower read.
   */
  private async knownAtPositionTerms(
    book: string,
    position: bigint,
    account: string | undefined,
    and: string,
    dateParams: SqlValue[],
  ): Promise<SumTerm[]> {
    const bookIs = account === undefined ? "book || '' = ?" : 'book = ?';
    const [range] = await this.db.query<{ first: unknown; last: unknown }>(
      'SELECT MIN(position) AS first, MAX(position) AS last FROM ledger_lines',
    );
    const first = range?.first == null ? 0n : toBigInt(range.first);
    const last = range?.last == null ? 0n : toBigInt(range.last);
    if (position - first < last - position)
      return [
        {
          source: `ledger_lines WHERE position <= ? AND ${bookIs}${and}`,
          negated: false,
          params: [position, book, ...dateParams],
        },
      ];
    return [
      {
        source: `ledger_daily_balances WHERE book = ?${and}`,
        negated: false,
        params: [book, ...dateParams],
      },
      {
        source: `ledger_lines WHERE position > ? AND ${bookIs}${and}`,
        negated: true,
        params: [position, book, ...dateParams],
      },
    ];
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
}
