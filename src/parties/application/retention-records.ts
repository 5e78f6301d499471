import { EventStore } from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toBigInt } from '../../infrastructure/sql/index.js';
import { RetentionBasis } from '../domain/personal-retention.js';

/** The records a retention duty covers that name a party: its last invoice and booking. */
export interface RetentionRecords {
  basisOf(bookId: string, partyId: string): Promise<RetentionBasis>;
  /** Every invoice and booking line that names the party (for the Art. 15 report). */
  referencing(bookId: string, partyId: string): Promise<PartyReferences>;
}

export interface PartyReferences {
  invoices: { id: string; number: string | null; issueDate: string | null; status: string }[];
  bookings: {
    entryId: string;
    date: string;
    account: string;
    currency: string;
    debitMinor: string;
    creditMinor: string;
    memo: string | null;
  }[];
}

/**
 * From the read models (billing's invoices, the ledger's lines), after they have caught up with
 * the whole log: a retention computed from a read model that lags would end too early.
 */
export class ReadModelRetentionRecords implements RetentionRecords {
  constructor(
    private readonly db: SqlDatabase,
    private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  async basisOf(bookId: string, partyId: string): Promise<RetentionBasis> {
    await this.projections.waitForAll(await this.store.headPosition());
    const [invoice] = await this.db.query<{ last: string | null }>(
      `SELECT MAX(issue_date) AS last FROM billing_invoices WHERE book = ? AND customer = ? AND status <> 'draft'`,
      [bookId, partyId],
    );
    const [booking] = await this.db.query<{ last: string | null }>(
      `SELECT MAX(effective_date) AS last FROM ledger_lines WHERE book = ? AND party = ?`,
      [bookId, partyId],
    );
    return {
      ...(invoice?.last ? { lastInvoiceDate: invoice.last } : {}),
      ...(booking?.last ? { lastBookingDate: booking.last } : {}),
    };
  }

  async referencing(bookId: string, partyId: string): Promise<PartyReferences> {
    await this.projections.waitForAll(await this.store.headPosition());
    const invoices = await this.db.query<{
      id: string;
      number: string | null;
      issue_date: string | null;
      status: string;
    }>(
      `SELECT id, number, issue_date, status FROM billing_invoices WHERE book = ? AND customer = ? ORDER BY seq`,
      [bookId, partyId],
    );
    const lines = await this.db.query<{
      entry_id: string;
      effective_date: string;
      account: string;
      currency: string;
      debit_minor: unknown;
      credit_minor: unknown;
      memo: string | null;
    }>(
      `SELECT entry_id, effective_date, account, currency, debit_minor, credit_minor, memo FROM ledger_lines
       WHERE book = ? AND party = ? ORDER BY position, line_no`,
      [bookId, partyId],
    );
    return {
      invoices: invoices.map((row) => ({
        id: row.id,
        number: row.number,
        issueDate: row.issue_date,
        status: row.status,
      })),
      bookings: lines.map((row) => ({
        entryId: row.entry_id,
        date: row.effective_date,
        account: row.account,
        currency: row.currency,
        debitMinor: toBigInt(row.debit_minor).toString(),
        creditMinor: toBigInt(row.credit_minor).toString(),
        memo: row.memo,
      })),
    };
  }
}
export const RETENTION_RECORDS = 'RETENTION_RECORDS';
