import { NotFoundError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toBigInt, toSafeNumber } from '../../infrastructure/sql/index.js';
import { EntryMetadata } from '../domain/book.events.js';
import { decodeCursor, Page, toPage } from './ledger-page.js';
import { AccountsReadModel } from './accounts.read-model.js';
import { compareText, placeholders } from './read-model-sql.js';

export interface LineView {
  lineNo: number;
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  memo: string | null;
  taxCode: string | null;
  party: string | null;
}

export interface EntryView {
  id: string;
  book: string;
  effectiveDate: string;
  description: string;
  reference: string | null;
  metadata: EntryMetadata | null;
  /** Ids of the vault documents (Belege) the entry was booked from. */
  documents: string[];
  reversalOf: string | null;
  reversedBy: string | null;
  /** An opening entry: the fiscal year it carries forward. */
  carryForwardOf: number | null;
  position: bigint;
  recordedAt: string;
  lines: LineView[];
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
  documents: string | null;
  reversal_of: string | null;
  reversed_by: string | null;
  carry_forward_of: unknown;
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
  tax_code: string | null;
  party: string | null;
}

const entryColumns =
  'book, id, effective_date, description, reference, metadata, documents, reversal_of, reversed_by, carry_forward_of, position, recorded_at';

/** A journal entry and the journal of a book, with their lines (`ledger_entries`, `ledger_lines`). */
export class JournalReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly accounts: AccountsReadModel,
  ) {}

  async getEntry(book: string, id: string): Promise<EntryView> {
    const [row] = await this.db.query<EntryRow>(
      `SELECT ${entryColumns} FROM ledger_entries WHERE book = ? AND id = ?`,
      [book, id],
    );
    if (!row) {
      await this.accounts.requireBook(book);
      throw new NotFoundError(`Journal entry ${id} not found in book ${book}`);
    }
    const [entry] = await this.withLines([row]);
    return entry!;
  }

  /** Entries in (effective date, position) order, optionally only those touching `account`. */
  async listEntries(book: string, filter: EntryListFilter): Promise<Page<EntryView>> {
    await this.accounts.requireBook(book);
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
      `SELECT position, line_no, account, currency, debit_minor, credit_minor, memo, tax_code, party FROM ledger_lines
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
        taxCode: line.tax_code ?? null,
        party: line.party ?? null,
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
        documents: row.documents === null ? [] : (JSON.parse(row.documents) as string[]),
        reversalOf: row.reversal_of ?? null,
        reversedBy: row.reversed_by ?? null,
        carryForwardOf: row.carry_forward_of == null ? null : toSafeNumber(row.carry_forward_of),
        position,
        recordedAt: row.recorded_at,
        lines: byPosition.get(position) ?? [],
      };
    });
  }
}
