import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toSafeNumber } from '../../infrastructure/sql/index.js';
import type {
  BankStatementImportedData,
  BankStatementLineAssignedData,
  BankStatementLineReopenedData,
} from '../statements/bank-statement.js';

export const bankStatementsProjectionName = 'bank-statements';
export const bankStatementsProjectionVersion = 1;

function statements(db: SqlDatabase): string[] {
  const integer = db.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return [
    `CREATE TABLE IF NOT EXISTS bank_statements (
      book TEXT NOT NULL, id TEXT NOT NULL, account TEXT NOT NULL, statement_id TEXT NOT NULL,
      date TEXT NOT NULL, entries INTEGER NOT NULL, matched INTEGER NOT NULL,
      unmatched INTEGER NOT NULL, assigned INTEGER NOT NULL, imported_at TEXT NOT NULL,
      position ${integer} NOT NULL, PRIMARY KEY (book, id))`,
    'CREATE INDEX IF NOT EXISTS bank_statements_by_date ON bank_statements (book, date, id)',
  ];
}

/** One row per bank statement with its counts (the lines themselves are read from its stream). */
export const bankStatementsProjection: Projection = {
  name: bankStatementsProjectionName,
  version: bankStatementsProjectionVersion,
  handles: (event) =>
    event.type === 'BankStatementImported' ||
    event.type === 'BankStatementLineAssigned' ||
    event.type === 'BankStatementLineReopened',
  async setup(db) {
    for (const statement of statements(db)) await db.execute(statement);
  },
  async reset(db) {
    await db.execute('DROP TABLE IF EXISTS bank_statements');
  },
  apply: applyEvent,
};

async function applyEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  if (event.type !== 'BankStatementImported') {
    // An assignment moves a line from unmatched to assigned, a reopening moves it back.
    const data = event.data as BankStatementLineAssignedData | BankStatementLineReopenedData;
    const step = event.type === 'BankStatementLineAssigned' ? 1 : -1;
    await tx.execute(
      `UPDATE bank_statements SET unmatched = unmatched - ?, assigned = assigned + ?, position = ?
       WHERE book = ? AND id = ?`,
      [step, step, event.position, data.bookId, data.id],
    );
    return;
  }
  const data = event.data as BankStatementImportedData;
  const matched = data.lines.filter((line) => line.match !== undefined).length;
  const date = data.lines.reduce((last, line) => (line.date > last ? line.date : last), '');
  await tx.execute(
    `INSERT INTO bank_statements
       (book, id, account, statement_id, date, entries, matched, unmatched, assigned, imported_at, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
     ON CONFLICT (book, id) DO UPDATE SET
       date = CASE WHEN excluded.date > bank_statements.date THEN excluded.date ELSE bank_statements.date END,
       entries = bank_statements.entries + excluded.entries,
       matched = bank_statements.matched + excluded.matched,
       unmatched = bank_statements.unmatched + excluded.unmatched,
       position = excluded.position`,
    [
      data.bookId,
      data.id,
      data.account,
      data.statementId,
      date,
      data.lines.length,
      matched,
      data.lines.length - matched,
      event.recordedAt,
      event.position,
    ],
  );
}

export interface BankStatementView {
  id: string;
  account: string;
  statementId: string;
  /** The latest booking date of its lines. */
  date: string;
  entries: number;
  matched: number;
  unmatched: number;
  assigned: number;
  importedAt: string;
}

export class BankStatementsReadModel {
  constructor(private readonly db: SqlDatabase) {}

  async list(book: string): Promise<BankStatementView[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, account, statement_id, date, entries, matched, unmatched, assigned, imported_at
       FROM bank_statements WHERE book = ? ORDER BY date DESC, id`,
      [book],
    );
    return rows.map((row) => ({
      id: String(row.id),
      account: String(row.account),
      statementId: String(row.statement_id),
      date: String(row.date),
      entries: toSafeNumber(row.entries),
      matched: toSafeNumber(row.matched),
      unmatched: toSafeNumber(row.unmatched),
      assigned: toSafeNumber(row.assigned),
      importedAt: String(row.imported_at),
    }));
  }
}
