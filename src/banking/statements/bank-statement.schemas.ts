import { EventSchema } from '../../event-sourcing/index.js';
import { matchRules } from './statement-matching.js';
import { reopenCauses } from './bank-statement.js';

const id = { type: 'string', minLength: 1 };
const minor = { type: 'string', pattern: '^(0|[1-9][0-9]*)$', description: 'count of minor units' };
const iban = {
  type: 'string',
  minLength: 1,
  description: 'the statement’s Acct/Id/IBAN as the bank wrote it',
};

const line = {
  type: 'object',
  required: ['n', 'entryReference', 'detail', 'date', 'amountMinor', 'currency', 'direction'],
  additionalProperties: false,
  properties: {
    n: { type: 'integer', minimum: 1, description: 'from 1, in file order within the statement' },
    entryReference: { type: 'string', minLength: 1, description: 'NtryRef, else AcctSvcrRef' },
    detail: { type: 'integer', minimum: 1, description: 'the TxDtls within its entry' },
    date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    amountMinor: minor,
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    direction: { enum: ['credit', 'debit'] },
    endToEndId: { type: 'string', minLength: 1 },
    remittance: { type: 'string', minLength: 1, description: 'Ustrd' },
    counterpartyName: { type: 'string' },
    counterpartyIban: { type: 'string' },
    match: {
      type: 'object',
      required: ['payment'],
      additionalProperties: false,
      properties: { rule: { enum: [...matchRules] }, item: id, payment: id },
    },
  },
};

/** A bank statement's stream (docs/adr/0020-bank-statement-lines.md). */
export const bankStatementEventSchemas: readonly EventSchema[] = [
  {
    type: 'BankStatementImported',
    schemaVersion: 1,
    description:
      'Booked lines of a camt.053 statement were imported into a bank account: each matched to an open item (its payment posted in the book stream) or waiting to be assigned. A re-import records only lines not seen before.',
    schema: {
      type: 'object',
      required: ['id', 'bookId', 'account', 'statementId', 'lines'],
      additionalProperties: false,
      properties: {
        id,
        bookId: id,
        account: id,
        statementId: id,
        iban,
        lines: { type: 'array', items: line, minItems: 1 },
      },
    },
  },
  {
    type: 'BankStatementLineAssigned',
    schemaVersion: 1,
    description:
      'A waiting bank statement line was booked by hand: as a payment of an open item (`invoice`) or against an account (`account`, e.g. fees or interest).',
    schema: {
      type: 'object',
      required: ['id', 'bookId', 'n', 'entryId'],
      additionalProperties: false,
      properties: {
        id,
        bookId: id,
        n: { type: 'integer', minimum: 1 },
        invoice: id,
        account: id,
        payment: id,
        entryId: id,
        approvalId: id,
        idempotencyKey: id,
        requestHash: id,
      },
    },
  },
  {
    type: 'BankStatementLineReopened',
    schemaVersion: 1,
    description:
      'An assigned bank statement line waits again (unmatched, assignable anew): the approval that held its entry was rejected, expired, cancelled or failed to execute, so the entry was never posted; or the assignment was undone (`unassigned`), its entry reversed by `reversalEntryId`. The earlier assignment stays in the stream.',
    schema: {
      type: 'object',
      required: ['id', 'bookId', 'n', 'entryId', 'cause'],
      additionalProperties: false,
      properties: {
        id,
        bookId: id,
        n: { type: 'integer', minimum: 1 },
        entryId: id,
        cause: { enum: [...reopenCauses] },
        approvalId: id,
        reason: { type: 'string', minLength: 1 },
        reversalEntryId: id,
      },
    },
  },
];
