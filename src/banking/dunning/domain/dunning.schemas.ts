import { EventSchema, formatAmount, isCurrency } from '../../../event-sourcing/index.js';
import { registerDocumentType } from '../../../ledger/index.js';

const minor = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'count of minor units' };
const calendarDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const id = { type: 'string', minLength: 1 };

const notice = {
  type: 'object',
  required: [
    'partyId',
    'level',
    'currency',
    'openMinor',
    'feeMinor',
    'interestMinor',
    'interestPoints',
    'items',
  ],
  additionalProperties: false,
  properties: {
    partyId: id,
    level: { type: 'integer', minimum: 1, maximum: 3 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    openMinor: minor,
    feeMinor: minor,
    interestMinor: minor,
    interestPoints: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['invoiceId', 'dueDate', 'openMinor', 'daysOverdue', 'interestMinor'],
        additionalProperties: false,
        properties: {
          invoiceId: id,
          number: { type: 'string' },
          dueDate: calendarDate,
          openMinor: minor,
          daysOverdue: { type: 'integer', minimum: 0 },
          interestMinor: minor,
        },
      },
    },
  },
};

/** The run's proposal and the book's dunning settings (their own streams). */
export const dunningEventSchemas: readonly EventSchema[] = [
  {
    type: 'DunningRunProposed',
    schemaVersion: 1,
    description:
      'A dunning run was proposed as of a date: one notice per overdue customer (level, fee, §288 BGB interest). Nothing is posted until it is confirmed.',
    schema: {
      type: 'object',
      required: ['runId', 'bookId', 'asOf', 'notices'],
      additionalProperties: false,
      properties: {
        runId: id,
        bookId: id,
        asOf: calendarDate,
        notices: { type: 'array', items: notice },
      },
    },
  },
  {
    type: 'DunningSettingsChanged',
    schemaVersion: 1,
    description:
      'The book’s dunning settings: fee per level, base rates (Basiszinssatz) with their effective dates, interval and grace days, fallback accounts.',
    schema: {
      type: 'object',
      required: ['bookId', 'feesMinor', 'baseRates', 'intervalDays', 'graceDays'],
      additionalProperties: false,
      properties: {
        bookId: id,
        feesMinor: { type: 'array', items: minor },
        baseRates: {
          type: 'array',
          items: {
            type: 'object',
            required: ['validFrom', 'ratePercent'],
            additionalProperties: false,
            properties: {
              validFrom: calendarDate,
              ratePercent: { type: 'string', pattern: '^-?\\d{1,2}(\\.\\d{1,5})?$' },
            },
          },
        },
        intervalDays: { type: 'integer', minimum: 0 },
        graceDays: { type: 'integer', minimum: 0 },
        receivablesAccount: id,
        feesAccount: id,
        interestAccount: id,
      },
    },
  },
];

function total(notices: unknown, field: 'feeMinor' | 'interestMinor'): string {
  if (!Array.isArray(notices)) return '?';
  const list = notices as Record<string, unknown>[];
  const currency =
    typeof list[0]?.currency === 'string' && isCurrency(list[0].currency)
      ? list[0].currency
      : 'EUR';
  const sum = list.reduce(
    (acc, n) => acc + (typeof n[field] === 'string' ? BigInt(n[field]) : 0n),
    0n,
  );
  return `${formatAmount(sum, currency)} ${currency}`;
}

/** DunningRunConfirmed: the confirmed notices, with their fees and interest posted in the same append. */
export const dunningRunConfirmedSchema = registerDocumentType({
  type: 'DunningRunConfirmed',
  description:
    'A dunning run was confirmed: its notices are recorded and their fees and default interest posted (receivables with the party to the fee and interest income accounts).',
  schema: {
    type: 'object',
    required: ['runId', 'asOf', 'notices', 'receivablesAccount'],
    additionalProperties: false,
    properties: {
      runId: id,
      asOf: calendarDate,
      notices: { type: 'array', items: notice },
      receivablesAccount: id,
      feesAccount: id,
      interestAccount: id,
    },
  },
  summary: (data, actor) =>
    `${actor} confirmed dunning run ${String(data.runId)} as of ${String(data.asOf)}: ${Array.isArray(data.notices) ? data.notices.length : 0} notices, fees ${total(data.notices, 'feeMinor')}, interest ${total(data.notices, 'interestMinor')}`,
});
