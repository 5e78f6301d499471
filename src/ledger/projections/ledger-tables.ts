import { SqlDatabase } from '../../infrastructure/sql/index.js';

/**
 * The ledger read models (one projection, one checkpoint, so they are always consistent with
 * each other). Money columns are integers of minor units (SQLite INTEGER is 64-bit; PostgreSQL
 * BIGINT); dates are `YYYY-MM-DD` and times ISO 8601 UTC text, so both compare as text.
 *
 * `ledger_daily_balances` is the per-(account, currency, effective date) sum of the lines,
 * maintained with them: balances "as of a date, as known now" read it instead of the lines
 * (docs/architecture.md, "Ledger read models").
 *
 * `ledger_openings` lists the opening entries of carry-forwards: balances as of a date start
 * from the latest standing one, movements over a range leave them out (ledger-openings.ts).
 */
export const ledgerTableNames = [
  'ledger_books',
  'ledger_accounts',
  'ledger_entries',
  'ledger_lines',
  'ledger_daily_balances',
  'ledger_periods',
  'ledger_openings',
] as const;

/** Tables and indexes: what `setup` creates (idempotent). */
export function ledgerTableStatements(db: SqlDatabase): string[] {
  return [...ledgerTablesWithoutIndexes(db), ...ledgerIndexStatements];
}

/**
 * The secondary indexes. A rebuild creates them after the tables are filled: one sort per index
 * instead of a random-order insert per row.
 */
export const ledgerIndexStatements: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS ledger_entries_by_date ON ledger_entries (book, effective_date, position)',
  // Account register, journal by account, and the lines of one account day.
  'CREATE INDEX IF NOT EXISTS ledger_lines_by_account ON ledger_lines (book, account, effective_date, position, line_no)',
  // Bitemporal balances: covers the lines recorded before/after `knownAt`, no table lookups.
  `CREATE INDEX IF NOT EXISTS ledger_lines_by_recorded ON ledger_lines
    (book, recorded_at, effective_date, account, currency, debit_minor, credit_minor)`,
];

/**
 * SQLite turns an integer sum past 2^63 − 1 into a REAL and stores it rounded; these triggers
 * make such a sum fail the transaction instead, as PostgreSQL's BIGINT does ("bigint out of
 * range"). The book decider's accountTotalMinorMax keeps every sum far below it.
 */
function sqliteExactSumTriggers(): string[] {
  return ['INSERT', 'UPDATE'].map(
    (
      operation,
    ) => `CREATE TRIGGER IF NOT EXISTS ledger_daily_balances_exact_${operation.toLowerCase()}
      BEFORE ${operation} ON ledger_daily_balances
      WHEN typeof(NEW.debit_minor) != 'integer' OR typeof(NEW.credit_minor) != 'integer'
      BEGIN SELECT RAISE(ABORT, 'ledger_daily_balances: a sum left the 64-bit integer range'); END`,
  );
}

export function ledgerTablesWithoutIndexes(db: SqlDatabase): string[] {
  const withoutRowId = db.dialect === 'sqlite' ? ' WITHOUT ROWID' : '';
  return [
    `CREATE TABLE IF NOT EXISTS ledger_books (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      base_currency TEXT NOT NULL,
      fiscal_year_start_month INTEGER NOT NULL,
      opened_at TEXT NOT NULL,
      position BIGINT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ledger_accounts (
      book TEXT NOT NULL,
      code TEXT NOT NULL,
      name TEXT NOT NULL,
      type TEXT NOT NULL,
      currency TEXT,
      parent TEXT,
      iban TEXT,
      status TEXT NOT NULL,
      opened_at TEXT NOT NULL,
      closed_at TEXT,
      position BIGINT NOT NULL,
      PRIMARY KEY (book, code)
    )${withoutRowId}`,
    `CREATE TABLE IF NOT EXISTS ledger_entries (
      book TEXT NOT NULL,
      id TEXT NOT NULL,
      effective_date TEXT NOT NULL,
      description TEXT NOT NULL,
      reference TEXT,
      metadata TEXT,
      documents TEXT,
      reversal_of TEXT,
      reversed_by TEXT,
      carry_forward_of INTEGER,
      position BIGINT NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (book, id)
    )`,
    // One event is one entry, so (position, line_no) identifies a line.
    `CREATE TABLE IF NOT EXISTS ledger_lines (
      position BIGINT NOT NULL,
      line_no INTEGER NOT NULL,
      book TEXT NOT NULL,
      entry_id TEXT NOT NULL,
      account TEXT NOT NULL,
      currency TEXT NOT NULL,
      debit_minor BIGINT NOT NULL,
      credit_minor BIGINT NOT NULL,
      memo TEXT,
      tax_code TEXT,
      party TEXT,
      effective_date TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      PRIMARY KEY (position, line_no)
    )${withoutRowId}`,
    `CREATE TABLE IF NOT EXISTS ledger_daily_balances (
      book TEXT NOT NULL,
      account TEXT NOT NULL,
      currency TEXT NOT NULL,
      effective_date TEXT NOT NULL,
      debit_minor BIGINT NOT NULL,
      credit_minor BIGINT NOT NULL,
      PRIMARY KEY (book, account, currency, effective_date)
    )${withoutRowId}`,
    `CREATE TABLE IF NOT EXISTS ledger_periods (
      book TEXT NOT NULL,
      period TEXT NOT NULL,
      status TEXT NOT NULL,
      closed_at TEXT NOT NULL,
      reopened_at TEXT,
      reopen_reason TEXT,
      position BIGINT NOT NULL,
      PRIMARY KEY (book, period)
    )${withoutRowId}`,
    // The opening entries of carry-forwards (docs/adr/0024): a balance as of a date starts from
    // the latest one standing then (recorded, and not reversed, as known at the time or log
    // position asked).
    `CREATE TABLE IF NOT EXISTS ledger_openings (
      book TEXT NOT NULL,
      entry_id TEXT NOT NULL,
      fiscal_year INTEGER NOT NULL,
      effective_date TEXT NOT NULL,
      position BIGINT NOT NULL,
      recorded_at TEXT NOT NULL,
      reversed_at TEXT,
      reversed_position BIGINT,
      PRIMARY KEY (book, entry_id)
    )${withoutRowId}`,
    ...(db.dialect === 'sqlite' ? sqliteExactSumTriggers() : []),
  ];
}
