import { EventSchema } from '../../event-sourcing/index.js';
import { accountTypes, BookEvent } from './book.events.js';
import { controlAccountNames } from './charts.js';
import { taxCodeKinds } from './tax-codes.js';

const currency = { type: 'string', pattern: '^[A-Z]{3}$' };
const accountCode = { type: 'string', minLength: 1 };
const calendarDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const iban = {
  type: 'string',
  pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$',
  description: 'a bank account’s IBAN (electronic format)',
};
const period = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' };

const journalLine = {
  type: 'object',
  required: ['account', 'side', 'amountMinor', 'currency'],
  additionalProperties: false,
  properties: {
    account: accountCode,
    side: { enum: ['debit', 'credit'] },
    amountMinor: {
      type: 'string',
      pattern: '^[1-9][0-9]*$',
      description: 'positive count of minor units',
    },
    currency,
    memo: { type: 'string' },
    taxCode: { type: 'string', minLength: 1 },
    party: { type: 'string', minLength: 1 },
  },
};

export const bookEventSchemas: readonly (EventSchema & { type: BookEvent['type'] })[] = [
  {
    type: 'BookOpened',
    schemaVersion: 1,
    description: 'A book (one legal entity) was opened.',
    schema: {
      type: 'object',
      required: ['bookId', 'name', 'baseCurrency', 'fiscalYearStartMonth'],
      additionalProperties: false,
      properties: {
        bookId: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        baseCurrency: currency,
        fiscalYearStartMonth: { type: 'integer', minimum: 1, maximum: 12 },
        chart: {
          type: 'object',
          description: 'The chart the book opened with (its accounts and tax codes follow)',
          required: ['id', 'version', 'controlAccounts'],
          additionalProperties: false,
          properties: {
            id: { type: 'string', minLength: 1 },
            version: { type: 'string', minLength: 1 },
            controlAccounts: {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(
                controlAccountNames.map((name) => [name, accountCode]),
              ),
            },
          },
        },
      },
    },
  },
  {
    type: 'AccountOpened',
    schemaVersion: 1,
    description: 'An account was opened in the book’s chart of accounts.',
    schema: {
      type: 'object',
      required: ['code', 'name', 'type'],
      additionalProperties: false,
      properties: {
        code: accountCode,
        name: { type: 'string', minLength: 1 },
        type: { enum: [...accountTypes] },
        currency,
        parent: accountCode,
        iban,
      },
    },
  },
  {
    type: 'AccountIbanChanged',
    schemaVersion: 1,
    description:
      'An asset account got its IBAN, another one, or none (`null`): bank statements find it by it from now on.',
    schema: {
      type: 'object',
      required: ['code', 'iban'],
      additionalProperties: false,
      properties: { code: accountCode, iban: { ...iban, type: ['string', 'null'] } },
    },
  },
  {
    type: 'AccountClosed',
    schemaVersion: 1,
    description: 'An account was closed: it takes no more postings.',
    schema: {
      type: 'object',
      required: ['code'],
      additionalProperties: false,
      properties: { code: accountCode },
    },
  },
  {
    type: 'JournalEntryPosted',
    schemaVersion: 1,
    description:
      'A balanced journal entry was posted (a reversal names the entry it reverses in `reversalOf`; an opening entry names the fiscal year it carries forward in `carryForwardOf`).',
    schema: {
      type: 'object',
      required: ['entryId', 'effectiveDate', 'description', 'lines'],
      additionalProperties: false,
      properties: {
        entryId: { type: 'string', minLength: 1 },
        effectiveDate: calendarDate,
        description: { type: 'string' },
        reference: { type: 'string' },
        lines: { type: 'array', items: journalLine, minItems: 2 },
        metadata: {
          type: 'object',
          additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
        },
        documents: {
          type: 'array',
          items: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
          maxItems: 20,
        },
        reversalOf: { type: 'string', minLength: 1 },
        carryForwardOf: { type: 'integer', minimum: 1900, maximum: 2999 },
        idempotencyKey: { type: 'string', minLength: 1 },
        requestHash: { type: 'string', minLength: 1 },
      },
    },
  },
  {
    type: 'PeriodClosed',
    schemaVersion: 1,
    description: 'An accounting period (month) was closed: postings dated in it are refused.',
    schema: {
      type: 'object',
      required: ['period'],
      additionalProperties: false,
      properties: { period },
    },
  },
  {
    type: 'PeriodReopened',
    schemaVersion: 1,
    description: 'A closed period was reopened, with the reason.',
    schema: {
      type: 'object',
      required: ['period', 'reason'],
      additionalProperties: false,
      properties: { period, reason: { type: 'string', minLength: 1 } },
    },
  },
  {
    type: 'TaxCodeDefined',
    schemaVersion: 1,
    description:
      'A tax code of the book (from its chart or the book’s own) with its rates per date range.',
    schema: {
      type: 'object',
      required: ['code', 'name', 'kind', 'rates'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        kind: { enum: [...taxCodeKinds] },
        rates: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['validFrom', 'ratePercent'],
            additionalProperties: false,
            properties: {
              validFrom: calendarDate,
              validTo: calendarDate,
              ratePercent: { type: 'string', pattern: '^(0|[1-9][0-9]?)(\\.[0-9]{1,2})?$' },
            },
          },
        },
        outputAccount: accountCode,
        inputAccount: accountCode,
        revenueAccount: accountCode,
        expenseAccount: accountCode,
        datevKey: { type: 'string', pattern: '^[0-9]{1,4}$' },
        vatReturnField: { type: 'string', pattern: '^[0-9]{2}$' },
      },
    },
  },
];
