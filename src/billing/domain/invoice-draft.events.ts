import type { DomainEvent } from '../../event-sourcing/index.js';
import type { InvoiceDraft } from './invoice-draft.js';

/** Stream of one invoice draft: `invoice-draft-<invoiceId>`; drafts change freely until issued. */
export const invoiceDraftStreamPrefix = 'invoice-draft-';
export const invoiceDraftStreamId = (invoiceId: string) =>
  `${invoiceDraftStreamPrefix}${invoiceId}`;

export type InvoiceDraftCreated = DomainEvent<
  'InvoiceDraftCreated',
  { invoiceId: string; bookId: string; draft: InvoiceDraft }
>;

export type InvoiceDraftReplaced = DomainEvent<
  'InvoiceDraftReplaced',
  { invoiceId: string; bookId: string; draft: InvoiceDraft }
>;

export type InvoiceDraftDiscarded = DomainEvent<
  'InvoiceDraftDiscarded',
  { invoiceId: string; bookId: string }
>;

/** The draft was issued as `number` (the InvoiceIssued event in the book stream is the invoice). */
export type InvoiceDraftIssued = DomainEvent<
  'InvoiceDraftIssued',
  { invoiceId: string; bookId: string; number: string }
>;

export type InvoiceDraftEvent =
  InvoiceDraftCreated | InvoiceDraftReplaced | InvoiceDraftDiscarded | InvoiceDraftIssued;

export const invoiceDraftEventTypes: readonly InvoiceDraftEvent['type'][] = [
  'InvoiceDraftCreated',
  'InvoiceDraftReplaced',
  'InvoiceDraftDiscarded',
  'InvoiceDraftIssued',
];
