import { formatAmount, isCurrency } from '../../event-sourcing/index.js';
import { registerDocumentType } from '../../ledger/index.js';

const minor = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'count of minor units' };
const positiveMinor = {
  type: 'string',
  pattern: '^[1-9][0-9]*$',
  description: 'positive count of minor units',
};
const calendarDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const id = { type: 'string', minLength: 1 };

function amount(value: unknown, currency: unknown): string {
  const code = typeof currency === 'string' && isCurrency(currency) ? currency : 'EUR';
  return typeof value === 'string' && /^\d+$/.test(value)
    ? `${formatAmount(BigInt(value), code)} ${code}`
    : '?';
}

/** The payment document's shape, shared by PaymentReceived and PaymentMade. */
const paymentSchema = {
  type: 'object',
  required: [
    'partyId',
    'date',
    'amountMinor',
    'currency',
    'bankAccount',
    'allocations',
    'discountMinor',
    'controlAccount',
  ],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['payable'] },
    partyId: id,
    date: calendarDate,
    amountMinor: positiveMinor,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    bankAccount: id,
    reference: { type: 'string' },
    allocations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['invoiceId', 'amountMinor', 'discountMinor'],
        additionalProperties: false,
        properties: { invoiceId: id, amountMinor: positiveMinor, discountMinor: minor },
      },
    },
    discountMinor: minor,
    controlAccount: id,
  },
};

/** PaymentReceived: a received payment (documents the banking module posts via PostDocument). */
export const paymentReceivedSchema = registerDocumentType({
  type: 'PaymentReceived',
  description:
    'A payment was received: bank to the receivables control account (the party on the line), allocated to invoices; Skonto as its own lines; the rest stays open on the party.',
  schema: paymentSchema,
  summary: (data, actor) => paymentSummary(data, `${actor} recorded a payment of`, 'from'),
});

/** PaymentMade: a payment to a supplier (a payable), posted via PostDocument. */
export const paymentMadeSchema = registerDocumentType({
  type: 'PaymentMade',
  description:
    'A supplier was paid: the payables control account (the party on the line) to bank, allocated to payable open items; Skonto received with its input VAT correction as its own lines.',
  schema: paymentSchema,
  summary: (data, actor) => paymentSummary(data, `${actor} recorded a payment of`, 'to'),
});

function paymentSummary(data: Record<string, unknown>, prefix: string, direction: string): string {
  const allocations = Array.isArray(data.allocations) ? data.allocations.length : 0;
  const discount =
    data.discountMinor !== '0' ? `, discount ${amount(data.discountMinor, data.currency)}` : '';
  return `${prefix} ${amount(data.amountMinor, data.currency)} ${direction} ${String(data.partyId)} on ${String(data.date)} (${allocations} invoice${allocations === 1 ? '' : 's'}${discount})`;
}
