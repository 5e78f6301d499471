import { EventSchema } from '../../../event-sourcing/index.js';
import { sealedValueSchema } from '../../../parties/index.js';

const minor = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'count of minor units' };
const calendarDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const id = { type: 'string', minLength: 1 };
const iban = { type: 'string', pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$' };
const bic = { type: 'string', pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$' };
const endToEndId = { type: 'string', pattern: '^[A-Za-z0-9-]{1,35}$' };

const creditor = {
  description:
    'Who is paid: a company’s name and IBAN, or a natural person’s sealed under the party’s keys (docs/adr/0015).',
  oneOf: [
    {
      type: 'object',
      required: ['name', 'iban'],
      additionalProperties: false,
      properties: { name: id, iban, bic },
    },
    {
      type: 'object',
      required: ['sealed'],
      additionalProperties: false,
      properties: {
        sealed: {
          type: 'object',
          additionalProperties: false,
          properties: { name: sealedValueSchema, iban: sealedValueSchema },
        },
        bic,
      },
    },
  ],
};

/** The payment runs of a book (stream `payment-runs-<book>`). docs/banking.md "Payment runs". */
export const paymentRunEventSchemas: readonly EventSchema[] = [
  {
    type: 'PaymentRunCreated',
    schemaVersion: 1,
    description:
      'A draft payment run: due open payables (booked incoming invoices) with their open amounts and the suppliers’ bank details, to be paid from a bank account on an execution date. Nothing is posted.',
    schema: {
      type: 'object',
      required: [
        'runId',
        'bookId',
        'sequence',
        'executionDate',
        'bankAccount',
        'debtor',
        'currency',
        'totalMinor',
        'items',
      ],
      additionalProperties: false,
      properties: {
        runId: id,
        bookId: id,
        sequence: { type: 'integer', minimum: 1 },
        executionDate: calendarDate,
        bankAccount: id,
        debtor: {
          type: 'object',
          required: ['name', 'iban'],
          additionalProperties: false,
          properties: { name: id, iban, bic },
        },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        totalMinor: minor,
        items: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['invoiceId', 'number', 'partyId', 'dueDate', 'amountMinor', 'creditor'],
            additionalProperties: false,
            properties: {
              invoiceId: id,
              number: id,
              partyId: id,
              dueDate: calendarDate,
              amountMinor: minor,
              creditor,
            },
          },
        },
        requestHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
  {
    type: 'PaymentRunExecuted',
    schemaVersion: 1,
    description:
      'A payment run was executed: each item has its end-to-end id for the pain.001 credit transfer and is in payment. Nothing is posted; the bank statement’s debit line posts the payment.',
    schema: {
      type: 'object',
      required: ['runId', 'bookId', 'executedAt', 'items'],
      additionalProperties: false,
      properties: {
        runId: id,
        bookId: id,
        executedAt: { type: 'string', format: 'date-time' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['invoiceId', 'endToEndId'],
            additionalProperties: false,
            properties: { invoiceId: id, endToEndId },
          },
        },
        approvalId: id,
      },
    },
  },
  {
    type: 'PaymentRunCancelled',
    schemaVersion: 1,
    description:
      'A draft payment run was cancelled: its items are free for another run. An executed run is never cancelled.',
    schema: {
      type: 'object',
      required: ['runId', 'bookId', 'cancelledAt'],
      additionalProperties: false,
      properties: {
        runId: id,
        bookId: id,
        cancelledAt: { type: 'string', format: 'date-time' },
        reason: { type: 'string', minLength: 1, maxLength: 500 },
      },
    },
  },
];
