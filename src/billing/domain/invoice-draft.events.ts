import type { InvoiceDraft } from './invoice-draft.js';

/** Stream of one invoice draft: `invoice-draft-<invoiceId>`; drafts change freely until issued. */
export const invoiceDraftStreamPrefix = 'invoice-draft-';
export const invoiceDraftStreamId = (invoiceId: string) =>
  `${invoiceDraftStreamPrefix}${invoiceId}`;

export interface InvoiceDraftCreated {
  type: 'InvoiceDraftCreated';
  data: { invoiceId: string; bookId: string; draft: InvoiceDraft };
}

export interface InvoiceDraftReplaced {
  type: 'InvoiceDraftReplaced';
  data: { invoiceId: string; bookId: string; draft: InvoiceDraft };
}

export interface InvoiceDraftDiscarded {
  type: 'InvoiceDraftDiscarded';
  data: { invoiceId: string; bookId: string };
}

/** The draft was issued as `number` (the InvoiceIssued event in the book stream is the invoice). */
export interface InvoiceDraftIssued {
  type: 'InvoiceDraftIssued';
  data: { invoiceId: string; bookId: string; number: string };
}

export type InvoiceDraftEvent =
  InvoiceDraftCreated | InvoiceDraftReplaced | InvoiceDraftDiscarded | InvoiceDraftIssued;

export const invoiceDraftEventTypes: readonly InvoiceDraftEvent['type'][] = [
  'InvoiceDraftCreated',
  'InvoiceDraftReplaced',
  'InvoiceDraftDiscarded',
  'InvoiceDraftIssued',
];
