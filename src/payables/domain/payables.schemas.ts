import { EventSchema, formatAmount } from '../../event-sourcing/index.js';
import { registerDocumentType } from '../../ledger/index.js';

const text = { type: 'string', minLength: 1 };
const decimal = { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$' };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
const documentId = { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' };

const object = (required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required,
  additionalProperties: false,
  properties,
});

export const incomingInvoiceEventSchemas: readonly EventSchema[] = [
  {
    type: 'IncomingInvoiceReceived',
    schemaVersion: 1,
    description:
      'An incoming e-invoice (XRechnung UBL/CII or ZUGFeRD/Factur-X PDF) was received: its original is vault document `documentId`, its supplier the party `supplier`, `sequence` the gap-free receipt number of the book, `totals` as the invoice states them (BT-109, BT-110, BT-112, BT-115), `validation` every failed EN 16931 / XRechnung rule.',
    schema: object(
      [
        'invoiceId',
        'bookId',
        'sequence',
        'documentId',
        'supplier',
        'number',
        'issueDate',
        'dueDate',
        'typeCode',
        'currency',
        'syntax',
        'container',
        'totals',
        'vatBreakdown',
        'lines',
        'linesTotal',
        'sellerName',
        'validation',
      ],
      {
        invoiceId: text,
        bookId: text,
        sequence: { type: 'integer', minimum: 1 },
        documentId,
        supplier: text,
        number: text,
        issueDate: date,
        dueDate: date,
        typeCode: text,
        currency,
        syntax: { enum: ['ubl', 'cii'] },
        container: { enum: ['xml', 'pdf'] },
        totals: object(['net', 'tax', 'gross', 'payable'], {
          net: decimal,
          tax: decimal,
          gross: decimal,
          payable: decimal,
        }),
        vatBreakdown: {
          type: 'array',
          items: object(['category', 'taxable', 'tax'], {
            category: text,
            rate: decimal,
            taxable: decimal,
            tax: decimal,
          }),
        },
        lines: {
          type: 'array',
          items: object(['id', 'name', 'quantity', 'unitCode', 'netAmount', 'vatCategory'], {
            id: { type: 'string' },
            name: { type: 'string' },
            quantity: decimal,
            unitCode: { type: 'string' },
            netAmount: decimal,
            vatCategory: text,
            vatRate: decimal,
          }),
        },
        linesTotal: { type: 'integer', minimum: 0 },
        buyerReference: { type: 'string' },
        paymentTerms: { type: 'string' },
        sellerName: { type: 'string' },
        sellerVatId: { type: 'string' },
        supplierNotes: { type: 'array', items: { type: 'string' } },
        validation: object(['valid', 'errors'], {
          valid: { type: 'boolean' },
          errors: {
            type: 'array',
            items: object(['rule', 'message'], { rule: text, message: { type: 'string' } }),
          },
        }),
      },
    ),
  },
];

/**
 * The booking of an incoming invoice, recorded in the book stream by PostDocument with its
 * entry (docs/adr/0008): documentId = the incoming invoice id, `number` the supplier's number.
 */
export const incomingInvoiceBookedSchema = registerDocumentType({
  type: 'IncomingInvoiceBooked',
  description:
    'An incoming invoice was booked (Kontierung): expense and input VAT (reverse charge: input and output VAT) against the payables control account with the supplier, in the same append. `documentId` is the incoming invoice id, `number` the supplier’s invoice number; the open item of kind payable is this document.',
  summary: (data, actor) => {
    const gross =
      typeof data.grossMinor === 'string' && typeof data.currency === 'string'
        ? `${formatAmount(BigInt(data.grossMinor), data.currency)} ${data.currency}`
        : '?';
    return `${actor} booked incoming invoice ${String(data.number)} of supplier ${String(data.supplier)} over ${gross} (entry ${String(data.entryId)})`;
  },
  schema: object(['issueDate', 'dueDate', 'supplier', 'currency', 'grossMinor', 'original'], {
    issueDate: date,
    dueDate: date,
    supplier: text,
    currency,
    grossMinor: { type: 'string', pattern: '^\\d+$' },
    original: documentId,
  }),
});
