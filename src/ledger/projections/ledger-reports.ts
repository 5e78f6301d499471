import { assert, sumMinor } from '../../event-sourcing/index.js';
import { AccountType } from '../domain/book.events.js';
import { AccountsReadModel, AccountView } from './accounts.read-model.js';
import {
  AccountSums,
  BalanceFilter,
  BalancesReadModel,
  TaxedLineSumsRow,
} from './balances.read-model.js';

export interface TrialBalanceLine {
  account: string;
  name: string;
  type: AccountType;
  debitMinor: bigint;
  creditMinor: bigint;
  /** debit − credit */
  balanceMinor: bigint;
}

export interface TrialBalanceCurrency {
  currency: string;
  lines: TrialBalanceLine[];
  totals: { debitMinor: bigint; creditMinor: bigint };
}

/** An account's amount in its natural sign (assets and expenses debit − credit, the others credit − debit). */
export interface StatementLine {
  account: string;
  name: string;
  amountMinor: bigint;
}

export interface StatementSection {
  lines: StatementLine[];
  totalMinor: bigint;
}

export interface BalanceSheetCurrency {
  currency: string;
  assets: StatementSection;
  liabilities: StatementSection;
  equity: StatementSection;
  /** Revenue − expenses not yet closed into equity. */
  resultMinor: bigint;
  liabilitiesAndEquityMinor: bigint;
  /** assets = liabilities + equity + result */
  balanced: boolean;
}

export interface IncomeStatementCurrency {
  currency: string;
  revenue: StatementSection;
  expenses: StatementSection;
  netIncomeMinor: bigint;
}

/** As known at a recording time or at a log position (at most one of them); empty: as known now. */
export type KnownFilter = Pick<BalanceFilter, 'knownAt' | 'knownAtPosition'>;

const debitNormal: ReadonlySet<AccountType> = new Set(['asset', 'expense']);

/** Reports built from the per-account sums of the read model. */
export class LedgerReports {
  constructor(
    private readonly accounts: AccountsReadModel,
    private readonly balances: BalancesReadModel,
  ) {}

  async trialBalance(
    book: string,
    filter: Pick<BalanceFilter, 'asOf'> & KnownFilter,
  ): Promise<TrialBalanceCurrency[]> {
    await this.accounts.requireBook(book);
    const [sums, accounts] = await this.sumsWithAccounts(book, filter);
    return byCurrency(sums).map(([currency, rows]) => {
      const lines = rows.map((row) => {
        const account = accountOf(accounts, row);
        return {
          account: row.account,
          name: account.name,
          type: account.type,
          debitMinor: row.debitMinor,
          creditMinor: row.creditMinor,
          balanceMinor: row.debitMinor - row.creditMinor,
        };
      });
      const totals = {
        debitMinor: sumMinor(lines.map((line) => line.debitMinor)),
        creditMinor: sumMinor(lines.map((line) => line.creditMinor)),
      };
      assert(
        totals.debitMinor === totals.creditMinor,
        `trial balance of ${book} in ${currency}: debits ${totals.debitMinor} ≠ credits ${totals.creditMinor}`,
      );
      return { currency, lines, totals };
    });
  }

  async balanceSheet(
    book: string,
    asOf: string | undefined,
    known: KnownFilter = {},
  ): Promise<BalanceSheetCurrency[]> {
    await this.accounts.requireBook(book);
    const [sums, accounts] = await this.sumsWithAccounts(book, {
      ...known,
      ...(asOf === undefined ? {} : { asOf }),
    });
    return byCurrency(sums).map(([currency, rows]) => {
      const section = (type: AccountType) => statementSection(rows, accounts, type);
      const assets = section('asset');
      const liabilities = section('liability');
      const equity = section('equity');
      const resultMinor = section('revenue').totalMinor - section('expense').totalMinor;
      const liabilitiesAndEquityMinor = liabilities.totalMinor + equity.totalMinor + resultMinor;
      return {
        currency,
        assets,
        liabilities,
        equity,
        resultMinor,
        liabilitiesAndEquityMinor,
        balanced: assets.totalMinor === liabilitiesAndEquityMinor,
      };
    });
  }

  /**
   * What the VAT return reads: the book's base currency, the taxed lines of [from, to] in it,
   * and every account's movement in it over the period (for the reconciliation).
   */
  async vatReturnInputs(
    book: string,
    period: { from: string; to: string },
  ): Promise<{
    currency: string;
    taxedLines: TaxedLineSumsRow[];
    /** Currencies other than the base one that lines with a tax code were posted in. */
    otherCurrencies: string[];
    movements: AccountSums[];
  }> {
    const { baseCurrency: currency } = await this.accounts.getBook(book);
    const [lines, sums] = await Promise.all([
      this.balances.taxedLineSums(book, period),
      this.balances.sums(book, { from: period.from, asOf: period.to }),
    ]);
    const otherCurrencies = [
      ...new Set(lines.filter((line) => line.currency !== currency).map((line) => line.currency)),
    ].sort();
    return {
      currency,
      taxedLines: lines.filter((line) => line.currency === currency),
      otherCurrencies,
      movements: sums.filter((sum) => sum.currency === currency),
    };
  }

  async incomeStatement(
    book: string,
    period: { from?: string; to?: string },
    known: KnownFilter = {},
  ): Promise<IncomeStatementCurrency[]> {
    await this.accounts.requireBook(book);
    const filter: BalanceFilter = {
      ...known,
      ...(period.from ? { from: period.from } : {}),
      ...(period.to ? { asOf: period.to } : {}),
    };
    const [sums, accounts] = await this.sumsWithAccounts(book, filter);
    return byCurrency(sums)
      .map(([currency, rows]) => {
        const revenue = statementSection(rows, accounts, 'revenue');
        const expenses = statementSection(rows, accounts, 'expense');
        return {
          currency,
          revenue,
          expenses,
          netIncomeMinor: revenue.totalMinor - expenses.totalMinor,
        };
      })
      .filter(
        (statement) => statement.revenue.lines.length > 0 || statement.expenses.lines.length > 0,
      );
  }

  private async sumsWithAccounts(
    book: string,
    filter: BalanceFilter,
  ): Promise<[AccountSums[], Map<string, AccountView>]> {
    const sums = await this.balances.sums(book, filter);
    // Read after the sums: an account with lines was opened before them, so it is always found.
    const accounts = await this.accounts.accountsByCode(book);
    return [sums.filter((row) => row.debitMinor !== 0n || row.creditMinor !== 0n), accounts];
  }
}

function statementSection(
  rows: AccountSums[],
  accounts: Map<string, AccountView>,
  type: AccountType,
): StatementSection {
  const lines = rows
    .filter((row) => accountOf(accounts, row).type === type)
    .map((row) => ({
      account: row.account,
      name: accountOf(accounts, row).name,
      amountMinor: debitNormal.has(type)
        ? row.debitMinor - row.creditMinor
        : row.creditMinor - row.debitMinor,
    }));
  return { lines, totalMinor: sumMinor(lines.map((line) => line.amountMinor)) };
}

function byCurrency(sums: AccountSums[]): [string, AccountSums[]][] {
  const groups = new Map<string, AccountSums[]>();
  for (const row of sums) {
    let group = groups.get(row.currency);
    if (!group) groups.set(row.currency, (group = []));
    group.push(row);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function accountOf(accounts: Map<string, AccountView>, row: AccountSums): AccountView {
  const account = accounts.get(row.account);
  assert(
    account !== undefined,
    `lines on account ${row.account}, which the read model does not know`,
  );
  return account;
}
