import type { InvoiceDraft } from './invoice-draft.js';
import type { CreditNoteIssuedData, InvoiceIssuedData } from './issued-documents.js';

// An invoice as the lists show it, folded from its draft events, its InvoiceIssued, the credit
// notes and the payments allocated to it. Status and open amount follow from those alone.

export type InvoiceStatus = 'draft' | 'issued' | 'partially_paid' | 'paid' | 'cancelled';

export interface InvoicePayment {
  paymentId: string;
  date: string;
  amountMinor: string;
  discountMinor?: string;
}

export interface InvoiceCreditNote {
  id: string;
  number: string;
  issueDate: string;
  grossMinor: string;
  cancelsInvoice: boolean;
}

export interface InvoiceView {
  id: string;
  bookId: string;
  status: InvoiceStatus;
  draft?: InvoiceDraft;
  issued?: InvoiceIssuedData;
  creditNotes: InvoiceCreditNote[];
  payments: InvoicePayment[];
}

/** The PaymentReceived fields billing reads (wip/receivables owns the event). */
export interface PaymentReceivedData {
  documentId: string;
  date: string;
  /** An invoice is settled by amountMinor (cash) + discountMinor (Skonto). */
  allocations?: { invoiceId: string; amountMinor: string; discountMinor?: string }[];
}

const sum = (values: readonly string[]) => values.reduce((total, v) => total + BigInt(v), 0n);

/** gross − credited − paid (never below 0 for the lists; an overpayment stays on the party). */
export function openMinorOf(view: InvoiceView): bigint {
  if (!view.issued) return 0n;
  const open =
    BigInt(view.issued.totals.grossMinor) -
    sum(view.creditNotes.map((c) => c.grossMinor)) -
    sum(view.payments.map((p) => p.amountMinor)) -
    sum(view.payments.map((p) => p.discountMinor ?? '0'));
  return open < 0n ? 0n : open;
}

function statusOf(view: InvoiceView): InvoiceStatus {
  if (!view.issued) return 'draft';
  if (view.creditNotes.some((c) => c.cancelsInvoice)) return 'cancelled';
  const open = openMinorOf(view);
  const paid = view.payments.length > 0;
  if (open === 0n) return paid ? 'paid' : 'cancelled';
  return paid ? 'partially_paid' : 'issued';
}

export type InvoiceViewEvent =
  | {
      type: 'InvoiceDraftCreated' | 'InvoiceDraftReplaced';
      data: { invoiceId: string; bookId: string; draft: InvoiceDraft };
    }
  | { type: 'InvoiceDraftDiscarded'; data: { invoiceId: string; bookId: string } }
  | { type: 'InvoiceIssued'; data: InvoiceIssuedData }
  | { type: 'CreditNoteIssued'; data: CreditNoteIssuedData };

/** The view after one event (undefined: no such invoice, or a discarded draft). */
export function evolveInvoiceView(
  view: InvoiceView | undefined,
  event: InvoiceViewEvent,
  bookId: string,
): InvoiceView | undefined {
  const next = ((): InvoiceView | undefined => {
    switch (event.type) {
      case 'InvoiceDraftCreated':
      case 'InvoiceDraftReplaced':
        if (view?.issued) return view;
        return {
          id: event.data.invoiceId,
          bookId,
          status: 'draft',
          draft: event.data.draft,
          creditNotes: [],
          payments: [],
        };
      case 'InvoiceDraftDiscarded':
        return view?.issued ? view : undefined;
      case 'InvoiceIssued': {
        const { draft: _draft, ...rest } = view ?? {
          id: event.data.documentId,
          bookId,
          creditNotes: [],
          payments: [],
        };
        return { ...rest, status: 'issued', issued: event.data };
      }
      case 'CreditNoteIssued': {
        if (!view || view.creditNotes.some((c) => c.id === event.data.documentId)) return view;
        const note = {
          id: event.data.documentId,
          number: event.data.number,
          issueDate: event.data.issueDate,
          grossMinor: event.data.totals.grossMinor,
          cancelsInvoice: event.data.cancelsInvoice,
        };
        return { ...view, creditNotes: [...view.creditNotes, note] };
      }
    }
  })();
  return next && { ...next, status: statusOf(next) };
}

/** The view after a payment allocated `amountMinor` to it. */
export function withPayment(view: InvoiceView, payment: InvoicePayment): InvoiceView {
  if (view.payments.some((p) => p.paymentId === payment.paymentId)) return view;
  const next = { ...view, payments: [...view.payments, payment] };
  return { ...next, status: statusOf(next) };
}
