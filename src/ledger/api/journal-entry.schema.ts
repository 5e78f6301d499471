import { accountCodeLengthMax, idempotencyKeyLengthMax } from '../domain/book.rules.js';
import {
  descriptionLengthMax,
  linesMax,
  linesMin,
  memoLengthMax,
  partyLengthMax,
  referenceLengthMax,
  taxCodeLengthMax,
} from '../domain/journal-entry.rules.js';

/**
 * JSON Schemas of the posting body that accept only what the DTO (PostJournalEntryRequest,
 * class-validator) accepts, never more: the hot routes' fast path (`fastBodyValidation`). A body
 * they refuse goes to class-validator, which names the errors exactly as before; so these may
 * be stricter than the DTO (a date or currency not in its plain form takes the slow path).
 *
 * Lengths: class-validator counts code points less variation selectors (U+FE0E/U+FE0F), ajv
 * code points, so a maximum here is never looser; a non-empty string must hold a character that
 * is not a variation selector.
 */
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const nonEmptyText = (maxLength: number) =>
  ({ type: 'string', maxLength, pattern: '[^\\uFE0E\\uFE0F]' }) as const;
/** Long enough for any decimal amount the domain accepts (≤ 10^18 minor units), bounded for hostile input. */
export const amountTextLengthMax = 40;
const amountText = { type: 'string', maxLength: amountTextLengthMax } as const;

const journalLineSchema = {
  type: 'object',
  required: ['account'],
  additionalProperties: false,
  properties: {
    account: nonEmptyText(accountCodeLengthMax),
    debit: amountText,
    credit: amountText,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    memo: text(memoLengthMax),
    taxCode: text(taxCodeLengthMax),
    party: text(partyLengthMax),
  },
} as const;

const postJournalEntryProperties = {
  effectiveDate: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
  description: nonEmptyText(descriptionLengthMax),
  reference: text(referenceLengthMax),
  lines: { type: 'array', minItems: linesMin, maxItems: linesMax, items: journalLineSchema },
  metadata: { type: 'object' },
  documents: {
    type: 'array',
    maxItems: 20,
    items: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  },
  tax: { type: 'string', enum: ['auto'] },
} as const;

export const postJournalEntrySchema = {
  type: 'object',
  required: ['effectiveDate', 'description', 'lines'],
  additionalProperties: false,
  properties: postJournalEntryProperties,
} as const;

export const batchJournalEntrySchema = {
  ...postJournalEntrySchema,
  properties: {
    ...postJournalEntryProperties,
    idempotencyKey: nonEmptyText(idempotencyKeyLengthMax),
  },
} as const;
