import type { ServicePeriod } from './invoice-draft.js';
import type { VatCategoryCode } from '../../einvoice/index.js';

// The shapes of the document events billing records through the book's PostDocument
// (CONTRACT.md "Document events"). Money as decimal strings of minor units ("12345"). The
// ledger adds documentId, number, numbering and entryId to `data` in the same append.
// Everything a rendering needs is in the event: the same event renders to the same bytes.

export interface PostalAddressSnapshot {
  line1?: string;
  line2?: string;
  city?: string;
  postCode?: string;
  countryCode: string;
}

/** The company (seller, BG-4) as it was when the document was issued. */
export interface SellerSnapshot {
  name: string;
  address: PostalAddressSnapshot;
  vatId?: string;
  taxNumber?: string;
  registration?: string;
  contact?: { name?: string; phone?: string; email?: string };
  electronicAddress?: { value: string; scheme: string };
  iban?: string;
  bic?: string;
}

/** The customer (buyer, BG-7) as it was when the document was issued. */
export interface CustomerSnapshot {
  partyId: string;
  number: string;
  name: string;
  address: PostalAddressSnapshot;
  vatId?: string;
  buyerReference?: string;
  electronicAddress?: { value: string; scheme: string };
  /**
   * A private customer's name, address and e-mail as stored: sealed under the party's keys
   * (application/customer-sealing.ts); reads open them into the fields above.
   */
  sealed?: Partial<Record<'name' | 'address' | 'email', string>>;
  /** Fields whose key is gone (GDPR erasure): they read empty. */
  erased?: string[];
}

export interface IssuedLine {
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  taxCode: string;
  ratePercent: string;
  vatCategory: VatCategoryCode;
  revenueAccount: string;
  costCenter?: string;
  netMinor: string;
}

export interface IssuedTax {
  taxCode: string;
  ratePercent: string;
  vatCategory: VatCategoryCode;
  baseMinor: string;
  amountMinor: string;
  outputAccount?: string;
  exemptionReason?: string;
  exemptionReasonCode?: string;
}

export interface IssuedTotals {
  netMinor: string;
  taxes: IssuedTax[];
  grossMinor: string;
}

export interface DocumentNumbering {
  series: string;
  sequence: number;
}

/** Added by the ledger's PostDocument to the document event's data. */
export interface PostedDocumentFields {
  documentId: string;
  number: string;
  numbering: DocumentNumbering;
  entryId: string;
}

export interface InvoiceIssuedFields {
  issueDate: string;
  dueDate: string;
  deliveryDate?: string;
  servicePeriod?: ServicePeriod;
  currency: string;
  customer: CustomerSnapshot;
  seller: SellerSnapshot;
  lines: IssuedLine[];
  totals: IssuedTotals;
  receivablesAccount: string;
  paymentTermsDays: number;
  note?: string;
  /** Notes the law requires on this invoice (§ 14a UStG: reverse charge, intra-EU supply). */
  legalNotes?: string[];
}

export type InvoiceIssuedData = PostedDocumentFields & InvoiceIssuedFields;

export interface CreditNoteIssuedFields {
  invoiceId: string;
  invoiceNumber: string;
  invoiceIssueDate: string;
  issueDate: string;
  reason: string;
  currency: string;
  customer: CustomerSnapshot;
  seller: SellerSnapshot;
  deliveryDate?: string;
  servicePeriod?: ServicePeriod;
  lines: IssuedLine[];
  totals: IssuedTotals;
  receivablesAccount: string;
  cancelsInvoice: boolean;
  legalNotes?: string[];
}

export type CreditNoteIssuedData = PostedDocumentFields & CreditNoteIssuedFields;

/** Document event types billing owns (registered with the ledger's document registry). */
export const invoiceIssuedType = 'InvoiceIssued';
export const creditNoteIssuedType = 'CreditNoteIssued';

/** Number series per fiscal year: `RE-2027` → numbers `RE-2027-00001`, credit notes `GS-2027`. */
export const invoiceSeries = (fiscalYear: number) => `RE-${fiscalYear}`;
export const creditNoteSeries = (fiscalYear: number) => `GS-${fiscalYear}`;

/** The fiscal year a date belongs to, named after the calendar year it starts in. */
export function fiscalYearOf(date: string, fiscalYearStartMonth = 1): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= fiscalYearStartMonth ? year : year - 1;
}

/** issueDate + days as a calendar date (UTC arithmetic on dates only; no clock). */
export function addDays(date: string, days: number): string {
  const time = Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
  return new Date(time + days * 86_400_000).toISOString().slice(0, 10);
}
