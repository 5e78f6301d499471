import {
  checkInvoiceRules,
  type En16931Invoice,
  type IncomingInvoice,
} from '../../einvoice/index.js';

// What Kontor keeps of a received e-invoice (IncomingInvoiceReceived): the EN 16931 fields a
// booking, a payment and the console need, as the invoice states them (decimal strings), and
// the result of the rule checks. The original is the vault document `documentId`.

export const incomingLineNameLengthMax = 200;
/** Lines kept in the event (the original keeps all; the rendering shows these). */
export const incomingLinesKeptMax = 500;

export interface IncomingTotals {
  net: string; // BT-109
  tax: string; // BT-110 (0 when absent)
  gross: string; // BT-112
  payable: string; // BT-115
}

export interface IncomingVatBreakdown {
  category: string; // BT-118
  rate?: string; // BT-119
  taxable: string; // BT-116
  tax: string; // BT-117
}

export interface IncomingLine {
  id: string; // BT-126
  name: string; // BT-153
  quantity: string; // BT-129
  unitCode: string; // BT-130
  netAmount: string; // BT-131
  vatCategory: string; // BT-151
  vatRate?: string; // BT-152
}

export interface ValidationResult {
  valid: boolean;
  errors: { rule: string; message: string }[];
}

/** The invoice facts read from the file (before a supplier and an id are known). */
export interface IncomingInvoiceFacts {
  number: string;
  issueDate: string;
  dueDate: string;
  typeCode: string;
  currency: string;
  syntax: 'ubl' | 'cii';
  container: 'xml' | 'pdf';
  totals: IncomingTotals;
  vatBreakdown: IncomingVatBreakdown[];
  lines: IncomingLine[];
  linesTotal: number;
  buyerReference?: string;
  paymentTerms?: string;
  sellerName: string;
  sellerVatId?: string;
  validation: ValidationResult;
  /** What of the seller's master data could not be taken over when the supplier was registered. */
  supplierNotes?: string[];
}

export interface IncomingInvoiceReceivedData extends IncomingInvoiceFacts {
  invoiceId: string;
  bookId: string;
  /** Gap-free receipt number of the book (Eingangsbuch), 1, 2, … */
  sequence: number;
  documentId: string;
  supplier: string;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The facts of a read invoice, with every failed rule (EN 16931 BR-…, BR-DE-…). */
export function incomingFactsOf(read: IncomingInvoice): IncomingInvoiceFacts {
  const invoice: En16931Invoice = read.invoice;
  const { totals } = invoice;
  const errors = checkInvoiceRules(invoice);
  return {
    number: invoice.number,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate ?? invoice.issueDate,
    typeCode: invoice.typeCode,
    currency: invoice.currency,
    syntax: read.syntax,
    container: read.container,
    totals: {
      net: totals.taxExclusiveTotal,
      tax: totals.vatTotal ?? '0',
      gross: totals.taxInclusiveTotal,
      payable: totals.payableAmount,
    },
    vatBreakdown: invoice.vatBreakdown.map((vat) => ({
      category: vat.categoryCode,
      ...optional('rate', vat.rate),
      taxable: vat.taxableAmount,
      tax: vat.taxAmount,
    })),
    lines: invoice.lines.slice(0, incomingLinesKeptMax).map((line) => ({
      id: line.id,
      name: line.name.slice(0, incomingLineNameLengthMax),
      quantity: line.quantity,
      unitCode: line.unitCode,
      netAmount: line.netAmount,
      vatCategory: line.vatCategoryCode,
      ...optional('vatRate', line.vatRate),
    })),
    linesTotal: invoice.lines.length,
    ...optional('buyerReference', invoice.buyerReference),
    ...optional('paymentTerms', invoice.paymentTerms?.slice(0, 1000)),
    sellerName: invoice.seller.name,
    ...optional('sellerVatId', invoice.seller.vatId),
    validation: { valid: errors.length === 0, errors },
  };
}
