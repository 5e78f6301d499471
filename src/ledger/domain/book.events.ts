import { DomainEvent } from '../../event-sourcing/index.js';
import type { TaxCodeDefinition } from './tax-codes.js';

/**
 * The vocabulary of a book (one legal entity). All events of a book live in one stream,
 * `book-<bookId>`: the book is the consistency boundary. These type names are a persisted
 * schema: never rename them; a new shape gets a `schemaVersion` and an upcaster.
 */
export function bookStreamId(bookId: string): string {
  return `${bookStreamPrefix}${bookId}`;
}

export const bookStreamPrefix = 'book-';

/** The book id of a book stream, or undefined for any other stream. */
export function bookIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(bookStreamPrefix)
    ? streamId.slice(bookStreamPrefix.length)
    : undefined;
}

export const accountTypes = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof accountTypes)[number];

export type LineSide = 'debit' | 'credit';

/** The book's control accounts, named by the chart (docs/billing.md "Charts and tax codes"). */
export interface ControlAccounts {
  receivables?: string;
  payables?: string;
  bank?: string;
  cash?: string;
  discountGranted?: string;
  discountReceived?: string;
  dunningFees?: string;
  interestIncome?: string;
  interestExpense?: string;
  /** Gewinnvortrag: where a carry-forward puts the result (CarryForwardFiscalYear). */
  retainedEarnings?: string;
}

export interface BookOpenedData {
  bookId: string;
  name: string;
  baseCurrency: string;
  /** 1–12: the month the fiscal year starts in. */
  fiscalYearStartMonth: number;
  /** The chart the book opened with; its accounts and tax codes follow in the same append. */
  chart?: { id: string; version: string; controlAccounts: ControlAccounts };
}

export interface AccountOpenedData {
  code: string;
  name: string;
  type: AccountType;
  /** When set, the account takes postings in this currency only; otherwise in any. */
  currency?: string;
  parent?: string;
  /** A bank account's IBAN, electronic format (bank statements find their account by it). */
  iban?: string;
}

/** The account's IBAN from now on (electronic format), or null: it has none any more. */
export interface AccountIbanChangedData {
  code: string;
  iban: string | null;
}

export interface AccountClosedData {
  code: string;
}

export interface JournalLine {
  account: string;
  side: LineSide;
  /** Positive integer count of minor units of `currency`, as a decimal string (JSON has no bigint). */
  amountMinor: string;
  currency: string;
  memo?: string;
  /** The line is a tax base (or the tax amount) of this tax code: feeds the VAT return and the DATEV BU key. */
  taxCode?: string;
  /** A party id (customer, supplier), opaque to the ledger: the personal account of the line. */
  party?: string;
}

/** Free-form, flat entry metadata (e.g. `{ costCenter: "HQ" }`). */
export type EntryMetadata = Readonly<Record<string, string | number | boolean | null>>;

/**
 * A posted entry. A reversal is a JournalEntryPosted like any other, with every line's side
 * swapped and `reversalOf` naming the original: that one event is the link both ways (the
 * original's `reversedBy` is derived from it), so no separate "reversed" event can go missing.
 */
export interface JournalEntryPostedData {
  entryId: string;
  /** YYYY-MM-DD, the accounting date. */
  effectiveDate: string;
  description: string;
  reference?: string;
  lines: JournalLine[];
  metadata?: EntryMetadata;
  /** The vault documents (Belege) of the entry, `sha256:<hex>` ids. */
  documents?: string[];
  reversalOf?: string;
  /**
   * Set on an opening entry (Eröffnungsbuchung) only: the fiscal year whose closing balances it
   * carries forward (docs/adr/0024). Reports start the new year's balances from it.
   */
  carryForwardOf?: number;
  /** The client's Idempotency-Key and the hash of the request body it came with (per book). */
  idempotencyKey?: string;
  requestHash?: string;
}

export interface PeriodClosedData {
  /** YYYY-MM */
  period: string;
}

export interface PeriodReopenedData {
  period: string;
  reason: string;
}

/** A tax code of the book (from its chart, or a book's own, `POST /v1/books/:book/tax-codes`). */
export type TaxCodeDefinedData = TaxCodeDefinition;

export type BookOpened = DomainEvent<'BookOpened', BookOpenedData>;
export type TaxCodeDefined = DomainEvent<'TaxCodeDefined', TaxCodeDefinedData>;
export type AccountOpened = DomainEvent<'AccountOpened', AccountOpenedData>;
export type AccountIbanChanged = DomainEvent<'AccountIbanChanged', AccountIbanChangedData>;
export type AccountClosed = DomainEvent<'AccountClosed', AccountClosedData>;
export type JournalEntryPosted = DomainEvent<'JournalEntryPosted', JournalEntryPostedData>;
export type PeriodClosed = DomainEvent<'PeriodClosed', PeriodClosedData>;
export type PeriodReopened = DomainEvent<'PeriodReopened', PeriodReopenedData>;

export type BookEvent =
  | BookOpened
  | AccountOpened
  | AccountIbanChanged
  | AccountClosed
  | JournalEntryPosted
  | PeriodClosed
  | PeriodReopened
  | TaxCodeDefined;

/**
 * The fields the ledger adds to every document event (docs/adr/0008): the rest of `data` is the
 * owning module's (e.g. billing's `InvoiceIssued`). The book's state folds only these fields, so
 * the ledger knows no invoice.
 */
export interface DocumentEventFields {
  documentId: string;
  /** `<series>-<sequence zero-padded to 5>`, when the document was numbered by the book. */
  number?: string;
  numbering?: { series: string; sequence: number };
  /** The journal entry posted in the same append. */
  entryId: string;
  /** The document this one refers to (e.g. the invoice of a credit note). */
  refersTo?: string;
  /** The document this one closes (e.g. a full credit note closes its invoice). */
  closes?: string;
}

/** A document event of a registered document type (`type` is e.g. `InvoiceIssued`). */
export interface DocumentEvent {
  type: string;
  data: DocumentEventFields & Record<string, unknown>;
}

/** Everything a book stream holds: the ledger's own events and document events. */
export type BookStreamEvent = BookEvent | DocumentEvent;

/** A document event is any event of a book stream that is not one of the ledger's own types. */
export function isDocumentEvent(event: BookStreamEvent): event is DocumentEvent {
  return !isBookEventType(event.type);
}

export const bookEventTypes: readonly BookEvent['type'][] = [
  'BookOpened',
  'AccountOpened',
  'AccountIbanChanged',
  'AccountClosed',
  'JournalEntryPosted',
  'PeriodClosed',
  'PeriodReopened',
  'TaxCodeDefined',
];

export function isBookEventType(type: string): type is BookEvent['type'] {
  return (bookEventTypes as readonly string[]).includes(type);
}

/** The first of `events` of one of the ledger's own types (document events never match). */
export function findBookEvent<Type extends BookEvent['type'], Event extends BookStreamEvent>(
  events: readonly Event[],
  type: Type,
): (Event & Extract<BookEvent, { type: Type }>) | undefined {
  return events.find((event) => event.type === type) as
    (Event & Extract<BookEvent, { type: Type }>) | undefined;
}
