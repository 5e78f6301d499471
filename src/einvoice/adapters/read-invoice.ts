import type { En16931Invoice } from '../domain/en16931.model.js';
import { readCiiDocument } from './cii-reader.js';
import { readFailure, UnreadableFieldError, type ReadOutcome } from './invoice-read-error.js';
import { parseXmlSafely } from './safe-xml.js';
import { readUblDocument } from './ubl-reader.js';

// One entry point for incoming XML invoices: which syntax it is decides which reader runs.

export type InvoiceSyntax = 'ubl' | 'cii';

export interface ReadInvoice {
  invoice: En16931Invoice;
  syntax: InvoiceSyntax;
}

/** An XRechnung / EN 16931 invoice in UBL (Invoice, CreditNote) or CII; never throws. */
export function readInvoiceXml(input: Uint8Array | string): ReadOutcome<ReadInvoice> {
  const parsed = parseXmlSafely(input);
  if (!parsed.ok) return parsed;
  const { root, rootName } = parsed.value;
  try {
    if (rootName === 'Invoice' || rootName === 'CreditNote')
      return { ok: true, value: { invoice: readUblDocument(root, rootName), syntax: 'ubl' } };
    if (rootName === 'CrossIndustryInvoice')
      return { ok: true, value: { invoice: readCiiDocument(root), syntax: 'cii' } };
  } catch (error) {
    if (error instanceof UnreadableFieldError)
      return readFailure('unreadable-field', `${error.message}; the invoice cannot be read`);
    throw error;
  }
  return readFailure(
    'not-an-invoice',
    `the root element is <${rootName}>; expected a UBL Invoice or CreditNote or a CII CrossIndustryInvoice`,
  );
}
