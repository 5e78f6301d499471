import { ValidationError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toBigInt } from '../../infrastructure/sql/index.js';
import type { InvoiceStatus, InvoiceView } from '../domain/invoice-view.js';
import { CustomerSealing } from '../application/customer-sealing.js';
import type { CreditNoteIssuedData } from '../domain/issued-documents.js';
import { creditNotesTable, invoicesTable } from './invoices.projection.js';

/** Resolves once the read models hold every event appended before the call. */
export type InvoicesCaughtUp = () => Promise<void>;
export const INVOICES_CAUGHT_UP = Symbol('INVOICES_CAUGHT_UP');

export const invoicesLimitDefault = 100;
export const invoicesLimitMax = 1000;

export interface InvoicesQuery {
  status?: InvoiceStatus;
  customer?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface InvoicesPage {
  items: InvoiceView[];
  nextCursor: string | null;
}

/** Queries on the `billing-invoices` projection. */
export class InvoicesReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly sealing: CustomerSealing,
  ) {}

  /**
   * One invoice, a private customer's data opened; `{ sealed: true }` leaves it sealed (a
   * credit note copies the customer as the invoice stored it).
   */
  async get(
    bookId: string,
    id: string,
    options: { sealed?: boolean } = {},
  ): Promise<InvoiceView | undefined> {
    const [row] = await this.db.query<{ state: string }>(
      `SELECT state FROM ${invoicesTable} WHERE id = ? AND book = ?`,
      [id, bookId],
    );
    if (!row) return undefined;
    const view = JSON.parse(row.state) as InvoiceView;
    return options.sealed ? view : this.opened(view);
  }

  private async opened(view: InvoiceView): Promise<InvoiceView> {
    const draft = view.draft && (await this.sealing.openDraft(view.bookId, view.draft));
    if (!view.issued?.customer.sealed) return draft ? { ...view, draft } : view;
    const customer = await this.sealing.open(view.bookId, view.issued.customer);
    return { ...view, ...(draft ? { draft } : {}), issued: { ...view.issued, customer } };
  }

  async list(bookId: string, query: InvoicesQuery): Promise<InvoicesPage> {
    if (query.cursor !== undefined && !/^[0-9]{1,19}$/.test(query.cursor))
      throw new ValidationError('Invalid cursor', [
        { field: 'cursor', message: 'use nextCursor of the previous page' },
      ]);
    const limit = Math.min(query.limit ?? invoicesLimitDefault, invoicesLimitMax);
    const where = ['book = ?'];
    const params: SqlValue[] = [bookId];
    if (query.status) where.push('status = ?') && params.push(query.status);
    if (query.customer) where.push('customer = ?') && params.push(query.customer);
    if (query.from) where.push('issue_date >= ?') && params.push(query.from);
    if (query.to) where.push('issue_date <= ?') && params.push(query.to);
    if (query.cursor) where.push('seq > ?') && params.push(BigInt(query.cursor));
    const rows = await this.db.query<{ state: string; seq: unknown }>(
      `SELECT state, seq FROM ${invoicesTable} WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      items: await Promise.all(
        page.map((row) => this.opened(JSON.parse(row.state) as InvoiceView)),
      ),
      nextCursor: rows.length > limit ? toBigInt(page[page.length - 1]!.seq).toString() : null,
    };
  }

  async creditNote(bookId: string, id: string): Promise<CreditNoteIssuedData | undefined> {
    const [row] = await this.db.query<{ data: string }>(
      `SELECT data FROM ${creditNotesTable} WHERE id = ? AND book = ?`,
      [id, bookId],
    );
    if (!row) return undefined;
    const data = JSON.parse(row.data) as CreditNoteIssuedData;
    return { ...data, customer: await this.sealing.open(bookId, data.customer) };
  }
}
