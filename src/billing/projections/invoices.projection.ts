import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toBigInt } from '../../infrastructure/sql/index.js';
import { bookStreamPrefix } from '../../ledger/index.js';
import {
  InvoiceView,
  InvoiceViewEvent,
  PaymentReceivedData,
  evolveInvoiceView,
  withPayment,
} from '../domain/invoice-view.js';
import type { CreditNoteIssuedData } from '../domain/issued-documents.js';

export const invoicesProjectionName = 'billing-invoices';
/** Bump when the tables' shape or meaning changes: the next start rebuilds. */
export const invoicesProjectionVersion = 2;
export const invoicesTable = 'billing_invoices';
export const creditNotesTable = 'billing_credit_notes';

const handled = [
  'InvoiceDraftCreated',
  'InvoiceDraftReplaced',
  'InvoiceDraftDiscarded',
  'InvoiceIssued',
  'CreditNoteIssued',
  'PaymentReceived',
];

interface Row {
  state: string;
  updated_position: unknown;
}

function bookOf(event: RecordedEvent): string {
  const data = event.data as { bookId?: string };
  if (typeof data.bookId === 'string') return data.bookId;
  return event.streamId.startsWith(bookStreamPrefix)
    ? event.streamId.slice(bookStreamPrefix.length)
    : '';
}

function invoiceIdOf(event: RecordedEvent): string {
  const data = event.data as { invoiceId?: string; documentId?: string };
  return event.type === 'InvoiceIssued' ? data.documentId! : data.invoiceId!;
}

async function load(tx: SqlDatabase, id: string) {
  const [row] = await tx.query<Row>(
    `SELECT state, updated_position FROM ${invoicesTable} WHERE id = ?`,
    [id],
  );
  return (
    row && { view: JSON.parse(row.state) as InvoiceView, position: toBigInt(row.updated_position) }
  );
}

async function save(
  tx: SqlDatabase,
  before: InvoiceView | undefined,
  view: InvoiceView | undefined,
  position: bigint,
  id: string,
) {
  if (!view) {
    await tx.execute(`DELETE FROM ${invoicesTable} WHERE id = ?`, [id]);
    return;
  }
  const columns = [
    view.bookId,
    view.status,
    view.issued?.number ?? null,
    view.issued?.customer.partyId ?? view.draft?.customer.partyId ?? null,
    view.issued?.issueDate ?? view.draft?.issueDate ?? null,
    position,
    JSON.stringify(view),
  ];
  if (before)
    await tx.execute(
      `UPDATE ${invoicesTable} SET book = ?, status = ?, number = ?, customer = ?, issue_date = ?, updated_position = ?, state = ? WHERE id = ?`,
      [...columns, id],
    );
  else
    await tx.execute(
      `INSERT INTO ${invoicesTable} (book, status, number, customer, issue_date, updated_position, state, id, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...columns, id, position],
    );
}

async function applyPayment(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const data = event.data as PaymentReceivedData;
  for (const allocation of data.allocations ?? []) {
    const current = await load(tx, allocation.invoiceId);
    if (!current || current.position >= event.position) continue;
    const view = withPayment(current.view, {
      paymentId: data.documentId,
      date: data.date,
      amountMinor: allocation.amountMinor,
      ...(allocation.discountMinor !== undefined && allocation.discountMinor !== '0'
        ? { discountMinor: allocation.discountMinor }
        : {}),
    });
    await save(tx, current.view, view, event.position, allocation.invoiceId);
  }
}

async function applyInvoiceEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  if (event.type === 'PaymentReceived') return applyPayment(event, tx);
  const id = invoiceIdOf(event);
  const current = await load(tx, id);
  // Applied already (two processes on one read model): nothing to do.
  if (current && current.position >= event.position) return;
  const view = evolveInvoiceView(
    current?.view,
    { type: event.type, data: event.data } as InvoiceViewEvent,
    bookOf(event),
  );
  if (event.type === 'CreditNoteIssued') {
    const data = event.data as CreditNoteIssuedData;
    await tx.execute(`DELETE FROM ${creditNotesTable} WHERE id = ?`, [data.documentId]);
    await tx.execute(
      `INSERT INTO ${creditNotesTable} (id, book, invoice_id, number, position, data) VALUES (?, ?, ?, ?, ?, ?)`,
      [
        data.documentId,
        bookOf(event),
        data.invoiceId,
        data.number,
        event.position,
        JSON.stringify(data),
      ],
    );
  }
  if (current || view) await save(tx, current?.view, view, event.position, id);
}

/** `billing_invoices`: one row per invoice (draft or issued) with its folded view as JSON. */
export const invoicesProjection: Projection = {
  name: invoicesProjectionName,
  version: invoicesProjectionVersion,
  handles: handled,
  async setup(db) {
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${invoicesTable} (
        id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL,
        book TEXT NOT NULL,
        status TEXT NOT NULL,
        number TEXT,
        customer TEXT,
        issue_date TEXT,
        updated_position BIGINT NOT NULL,
        state TEXT NOT NULL
      )`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS billing_invoices_book ON ${invoicesTable} (book, seq)`,
    );
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${creditNotesTable} (
        id TEXT PRIMARY KEY,
        book TEXT NOT NULL,
        invoice_id TEXT NOT NULL,
        number TEXT NOT NULL,
        position BIGINT NOT NULL,
        data TEXT NOT NULL
      )`,
    );
  },
  async reset(db) {
    await db.execute(`DROP TABLE IF EXISTS ${creditNotesTable}`);
    await db.execute(`DROP TABLE IF EXISTS ${invoicesTable}`);
  },
  apply: applyInvoiceEvent,
  partitionOf: bookOf,
};
