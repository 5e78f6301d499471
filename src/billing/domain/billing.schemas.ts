import type { EventSchema } from '../../event-sourcing/index.js';
import { formatAmount } from '../../event-sourcing/index.js';
import { registerDocumentType } from '../../ledger/index.js';
import { sealedValueSchema } from '../../parties/index.js';
import { invoiceLinesMax } from './invoice-limits.js';

// JSON Schemas of billing's events (the event catalog, GET /v1/events/schemas, docs/events.md).

const text = { type: 'string', minLength: 1 };
const date = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
const decimal = { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$' };
const minor = { type: 'string', pattern: '^-?(0|[1-9][0-9]*)$' };
const period = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: { from: date, to: date },
};
const vatCategory = { enum: ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M', 'B'] };

const draftLine = {
  type: 'object',
  required: ['description', 'quantity', 'unit', 'unitPrice', 'taxCode', 'ratePercent', 'netMinor'],
  additionalProperties: false,
  properties: {
    description: text,
    quantity: decimal,
    unit: text,
    unitPrice: decimal,
    taxCode: text,
    ratePercent: decimal,
    revenueAccount: text,
    costCenter: text,
    netMinor: minor,
  },
};
const issuedLine = {
  ...draftLine,
  required: [...draftLine.required, 'vatCategory', 'revenueAccount'],
  properties: { ...draftLine.properties, vatCategory },
};
const draftTax = {
  type: 'object',
  required: ['taxCode', 'ratePercent', 'baseMinor', 'amountMinor'],
  additionalProperties: false,
  properties: { taxCode: text, ratePercent: decimal, baseMinor: minor, amountMinor: minor },
};
const issuedTax = {
  ...draftTax,
  required: [...draftTax.required, 'vatCategory'],
  properties: {
    ...draftTax.properties,
    vatCategory,
    outputAccount: text,
    exemptionReason: text,
    exemptionReasonCode: text,
  },
};
const totals = (tax: object) => ({
  type: 'object',
  required: ['netMinor', 'taxes', 'grossMinor'],
  additionalProperties: false,
  properties: { netMinor: minor, taxes: { type: 'array', items: tax }, grossMinor: minor },
});
const lines = (line: object) => ({
  type: 'array',
  minItems: 1,
  maxItems: invoiceLinesMax,
  items: line,
});

const draft = {
  type: 'object',
  required: ['customer', 'currency', 'paymentTermsDays', 'lines', 'totals'],
  additionalProperties: false,
  properties: {
    customer: {
      type: 'object',
      required: ['partyId', 'number'],
      additionalProperties: false,
      properties: { partyId: text, number: text, name: text },
    },
    issueDate: date,
    deliveryDate: date,
    servicePeriod: period,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    paymentTermsDays: { type: 'integer', minimum: 0 },
    note: { type: 'string' },
    buyerReference: text,
    lines: lines(draftLine),
    totals: totals(draftTax),
  },
};

const address = {
  type: 'object',
  required: ['countryCode'],
  properties: {
    line1: { type: 'string' },
    line2: { type: 'string' },
    city: { type: 'string' },
    postCode: { type: 'string' },
    countryCode: { type: 'string', pattern: '^[A-Z]{2}$' },
  },
};
const electronicAddress = {
  type: 'object',
  required: ['value', 'scheme'],
  properties: { value: text, scheme: text },
};
/** A company's name and address as they are; a private customer's only sealed. */
const customer = {
  type: 'object',
  required: ['partyId', 'number'],
  properties: {
    partyId: text,
    number: text,
    name: text,
    address,
    vatId: text,
    buyerReference: text,
    electronicAddress,
    sealed: {
      type: 'object',
      description: "A private customer's name, address and e-mail, sealed under their party's keys",
      required: ['name', 'address'],
      additionalProperties: false,
      properties: { name: sealedValueSchema, address: sealedValueSchema, email: sealedValueSchema },
    },
  },
  oneOf: [
    { required: ['name', 'address'], properties: { name: text, address } },
    { required: ['sealed'], properties: { sealed: true } },
  ],
};
const seller = {
  type: 'object',
  required: ['name', 'address'],
  properties: {
    name: text,
    address,
    vatId: text,
    taxNumber: text,
    registration: text,
    contact: { type: 'object' },
    electronicAddress,
    iban: text,
    bic: text,
  },
};
const ids = { invoiceId: text, bookId: text };

/** Events of the invoice draft streams (`invoice-draft-<id>`). */
export const invoiceDraftEventSchemas: readonly EventSchema[] = [
  {
    type: 'InvoiceDraftCreated',
    schemaVersion: 1,
    description:
      'An invoice draft was created (checked, with its EN 16931 totals); it changes freely until issued.',
    schema: {
      type: 'object',
      required: ['invoiceId', 'bookId', 'draft'],
      additionalProperties: false,
      properties: { ...ids, draft },
    },
  },
  {
    type: 'InvoiceDraftReplaced',
    schemaVersion: 1,
    description: 'An open invoice draft was replaced as a whole.',
    schema: {
      type: 'object',
      required: ['invoiceId', 'bookId', 'draft'],
      additionalProperties: false,
      properties: { ...ids, draft },
    },
  },
  {
    type: 'InvoiceDraftDiscarded',
    schemaVersion: 1,
    description: 'An open invoice draft was discarded (it never had a number).',
    schema: {
      type: 'object',
      required: ['invoiceId', 'bookId'],
      additionalProperties: false,
      properties: ids,
    },
  },
  {
    type: 'InvoiceDraftIssued',
    schemaVersion: 1,
    description:
      'The draft was issued under `number`; the InvoiceIssued event of the book is the invoice.',
    schema: {
      type: 'object',
      required: ['invoiceId', 'bookId', 'number'],
      additionalProperties: false,
      properties: { ...ids, number: text },
    },
  },
];

const currencyCode = { type: 'string', pattern: '^[A-Z]{3}$' };

/** The one-line audit summary of an invoice or credit note (its number, customer, gross). */
function documentSummary(kind: string) {
  return (data: Record<string, unknown>, actor: string) => {
    const named = data.customer as { name?: string; number?: string } | undefined;
    // A private customer is named by their account, never by name (it is sealed anyway).
    const customer = named?.name ?? (named?.number ? `customer ${named.number}` : '?');
    const totals = data.totals as { grossMinor?: string } | undefined;
    const currency = typeof data.currency === 'string' ? data.currency : 'EUR';
    const gross = totals?.grossMinor ? formatAmount(BigInt(totals.grossMinor), currency) : '?';
    return `${actor} issued ${kind} ${String(data.number)} to ${customer} over ${gross} ${currency} (entry ${String(data.entryId)})`;
  };
}

/**
 * Billing's document events, recorded in the book stream by PostDocument with their entry;
 * registered with the ledger (docs/adr/0008), which adds documentId, number, numbering, entryId.
 */
export const invoiceIssuedSchema = registerDocumentType({
  type: 'InvoiceIssued',
  description:
    'An invoice was issued with the next gap-free number of its series (RE-<fiscal year>) and posted (receivables to revenue and output VAT) in the same append. It never changes.',
  summary: documentSummary('invoice'),
  schema: {
    type: 'object',
    required: [
      'number',
      'numbering',
      'issueDate',
      'dueDate',
      'currency',
      'customer',
      'seller',
      'lines',
      'totals',
      'receivablesAccount',
      'paymentTermsDays',
    ],
    additionalProperties: false,
    properties: {
      issueDate: date,
      dueDate: date,
      deliveryDate: date,
      servicePeriod: period,
      currency: currencyCode,
      customer,
      seller,
      lines: lines(issuedLine),
      totals: totals(issuedTax),
      receivablesAccount: text,
      paymentTermsDays: { type: 'integer', minimum: 0 },
      note: { type: 'string' },
      legalNotes: { type: 'array', items: text },
    },
  },
});

export const creditNoteIssuedSchema = registerDocumentType({
  type: 'CreditNoteIssued',
  description:
    'A credit note (type 381) for an issued invoice, numbered in its own series (GS-<fiscal year>), posting the reversal of its lines; a full one cancels (closes) the invoice.',
  summary: documentSummary('credit note'),
  schema: {
    type: 'object',
    required: [
      'number',
      'numbering',
      'invoiceId',
      'invoiceNumber',
      'invoiceIssueDate',
      'issueDate',
      'reason',
      'currency',
      'customer',
      'seller',
      'lines',
      'totals',
      'receivablesAccount',
      'cancelsInvoice',
    ],
    additionalProperties: false,
    properties: {
      invoiceId: text,
      invoiceNumber: text,
      invoiceIssueDate: date,
      issueDate: date,
      reason: text,
      currency: currencyCode,
      customer,
      seller,
      deliveryDate: date,
      servicePeriod: period,
      lines: lines(issuedLine),
      totals: totals(issuedTax),
      receivablesAccount: text,
      cancelsInvoice: { type: 'boolean' },
      legalNotes: { type: 'array', items: text },
    },
  },
});

/** Billing's own stream events; the document events join the catalog through the registry. */
export const billingEventSchemas: readonly EventSchema[] = invoiceDraftEventSchemas;
