import { EntryMetadata } from './book.events.js';
import type { TaxCodeDefinition } from './tax-codes.js';

/**
 * Book commands as they arrive from the edge (API, CLI, reactors): amounts are still decimal
 * strings, parsed by the decider because a line's currency defaults to the book's base currency.
 * Ids are made at the edge. No command carries `now`: no book rule depends on the time (a
 * reversal's default effective date is the original's, not today's).
 * `bookId` routes the command; the decider asserts it matches the book it decides for.
 */

export interface OpenBook {
  type: 'OpenBook';
  bookId: string;
  name: string;
  baseCurrency: string;
  /** 1–12, default 1 (January). */
  fiscalYearStartMonth?: number;
  /** `skr03` | `skr04`: open with the chart's accounts, control accounts and tax codes. */
  chart?: string;
}

/** Adds a book's own tax code (a known code: 409). Fields are checked by the decider. */
export interface DefineTaxCode {
  type: 'DefineTaxCode';
  bookId: string;
  taxCode: TaxCodeDefinition;
}

/** `accountType` is the API's `type` (renamed: `type` names the command). */
export interface OpenAccount {
  type: 'OpenAccount';
  bookId: string;
  code: string;
  name: string;
  accountType: string;
  currency?: string;
  parent?: string;
  /** The bank account's IBAN (asset accounts only), in print or electronic format. */
  iban?: string;
}

/** Gives an asset account its IBAN, another one, or none (`null`). */
export interface ChangeAccountIban {
  type: 'ChangeAccountIban';
  bookId: string;
  code: string;
  /** In print or electronic format; null removes it. */
  iban: string | null;
}

export interface CloseAccount {
  type: 'CloseAccount';
  bookId: string;
  code: string;
}

/** A line as the API gives it: exactly one of `debit` / `credit`, a positive decimal string. */
export interface JournalLineInput {
  account: string;
  debit?: string;
  credit?: string;
  /** Defaults to the book's base currency. */
  currency?: string;
  memo?: string;
  /** A tax code of the book (`GET /v1/books/:book/tax-codes`), valid on the entry's date. */
  taxCode?: string;
  /** A party id (opaque to the ledger). */
  party?: string;
}

/** The client's Idempotency-Key with a hash of the canonical request body, both from the edge. */
export interface IdempotencyInput {
  key: string;
  requestHash: string;
}

export interface PostJournalEntry {
  type: 'PostJournalEntry';
  bookId: string;
  entryId: string;
  effectiveDate: string;
  description: string;
  reference?: string;
  lines: JournalLineInput[];
  metadata?: EntryMetadata;
  /** Ids of vault documents (Belege, `sha256:<hex>`) the entry is booked from; the edge checks they exist. */
  documents?: string[];
  /**
   * `auto`: the lines with a taxCode are net tax bases and Kontor adds the tax lines from the
   * codes (one per code and side), so the entry balances with its gross counter line.
   */
  tax?: 'auto';
  idempotency?: IdempotencyInput;
}

/**
 * Posts a new entry `newEntryId` with every line of `entryId` swapped. `reason` becomes the new
 * entry's description; `effectiveDate` defaults to the original's effective date.
 */
export interface ReverseJournalEntry {
  type: 'ReverseJournalEntry';
  bookId: string;
  entryId: string;
  newEntryId: string;
  reason: string;
  effectiveDate?: string;
  idempotency?: IdempotencyInput;
}

export interface ClosePeriod {
  type: 'ClosePeriod';
  bookId: string;
  /** YYYY-MM */
  period: string;
  /** The clock's day (YYYY-MM-DD) when the command was given: periods after its month are refused. */
  today: string;
}

export interface ReopenPeriod {
  type: 'ReopenPeriod';
  bookId: string;
  period: string;
  reason: string;
}

/**
 * Year-end carry-forward (Saldenvortrag, docs/adr/0024): posts the opening entry `entryId`
 * dated the first day of the next fiscal year with the closing balances of `fiscalYear`'s
 * balance-sheet accounts and its result on `resultAccount` (default: the chart's
 * `retainedEarnings`, SKR03 0860 / SKR04 2970).
 */
export interface CarryForwardFiscalYear {
  type: 'CarryForwardFiscalYear';
  bookId: string;
  /** The fiscal year carried forward (the calendar year it starts in). */
  fiscalYear: number;
  entryId: string;
  resultAccount?: string;
  idempotency?: IdempotencyInput;
}

/**
 * Records a business document (an invoice, a credit note, a payment) and posts its journal entry
 * in ONE append: the generic consistency boundary for billing and banking (docs/adr/0008). The
 * document's type must be registered (`registerDocumentType`); the book assigns the next
 * gap-free number of `numbering.series`, refuses a known `document.id`, checks `refersTo` and
 * marks `closes` closed. `entry.reference` becomes the number when the document is numbered.
 */
export interface PostDocument {
  type: 'PostDocument';
  bookId: string;
  document: { type: string; id: string; data: Record<string, unknown> };
  numbering?: { series: string };
  refersTo?: { documentId: string; mustBeOpen?: boolean };
  closes?: string;
  entry: Omit<PostJournalEntry, 'type' | 'bookId' | 'idempotency'>;
  /** The approval action policies see (e.g. `invoice.issue`); without it the gate never holds it. */
  gate?: { action: string };
  idempotency?: IdempotencyInput;
}

export type BookCommand =
  | OpenBook
  | OpenAccount
  | ChangeAccountIban
  | CloseAccount
  | PostJournalEntry
  | ReverseJournalEntry
  | ClosePeriod
  | ReopenPeriod
  | PostDocument
  | DefineTaxCode
  | CarryForwardFiscalYear;
