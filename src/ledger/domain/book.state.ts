import { NotFoundError, assert } from '../../event-sourcing/index.js';
import {
  AccountType,
  BookStreamEvent,
  DocumentEventFields,
  JournalEntryPostedData,
  JournalLine,
  LineSide,
  isDocumentEvent,
} from './book.events.js';
import type { ControlAccounts } from './charts.js';
import { fiscalYearOf } from './calendar.js';
import type { TaxCodeDefinition } from './tax-codes.js';

/**
 * What the book decider needs to know, nothing more (read models hold the rest). A book may
 * hold millions of entries, so an entry keeps only what a later command needs: an original
 * keeps its effective date, reference and lines without memos (to build its reversal, ~100 bytes a line);
 * a reversal keeps only the id it reverses.
 */
export type BookState = { status: 'none' } | OpenBookState;

export interface OpenBookState {
  status: 'open';
  bookId: string;
  name: string;
  baseCurrency: string;
  fiscalYearStartMonth: number;
  accounts: Map<string, AccountState>;
  entries: Map<string, EntryState>;
  /** `YYYY-MM` */
  closedPeriods: Set<string>;
  idempotencyKeys: Map<string, IdempotencyRecord>;
  /** The last sequence number given per numbering series (`RE-2027` → 41). */
  series: Map<string, number>;
  /** Every document recorded (PostDocument), by document id. */
  documents: Map<string, DocumentState>;
  taxCodes: Map<string, TaxCodeDefinition>;
  controlAccounts: ControlAccounts;
  /**
   * Per fiscal year, debit − credit per account and currency (key `movementKey`) of the entries
   * dated in it: what a carry-forward carries (closing balances as of the year's last day).
   */
  fiscalYearMovements: Map<number, Map<string, bigint>>;
  /** The standing carry-forwards: fiscal year → its opening entry (dropped when it is reversed). */
  carriedForward: Map<number, string>;
}

export interface DocumentState {
  type: string;
  entryId: string;
  number?: string;
  status: 'open' | 'closed';
}

export interface AccountState {
  type: AccountType;
  currency?: string;
  iban?: string;
  status: 'open' | 'closed';
  /**
   * The sum of the debits and the sum of the credits per currency, as the read models hold them
   * (each bounded by accountTotalMinorMax); the balance is their difference.
   */
  totalsMinor: Map<string, AccountTotals>;
}

export interface AccountTotals {
  debitMinor: bigint;
  creditMinor: bigint;
}

export interface EntryLineState {
  account: string;
  side: LineSide;
  amountMinor: string;
  currency: string;
  /** Kept so a reversal carries them too (the VAT return and open items net out). */
  taxCode?: string;
  party?: string;
}

export type EntryState = OriginalEntryState | ReversalEntryState;

export interface OriginalEntryState {
  kind: 'original';
  effectiveDate: string;
  /** Carried over to the reversal, so both are found under the one document reference. */
  reference?: string;
  lines: readonly EntryLineState[];
  reversedBy?: string;
  /** An opening entry: the fiscal year it carries forward. */
  carryForwardOf?: number;
}

export interface ReversalEntryState {
  kind: 'reversal';
  reversalOf: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  entryId: string;
}

export function initialBookState(): BookState {
  return { status: 'none' };
}

/**
 * Applies one event. For speed with millions of entries this updates `state` IN PLACE and
 * returns it (a copy per event would cost O(entries)). Whoever folds owns the state: after a
 * failed append, reload it from the store (snapshot + events) instead of reusing it.
 */
export function evolveBook(state: BookState, event: BookStreamEvent): BookState {
  if (isDocumentEvent(event)) {
    assert(state.status === 'open', `${event.type} before BookOpened`);
    applyDocument(state, event.type, event.data);
    return state;
  }
  if (event.type === 'BookOpened') {
    assert(state.status === 'none', 'BookOpened on an open book');
    const { chart, ...book } = event.data;
    return {
      status: 'open',
      ...book,
      accounts: new Map(),
      entries: new Map(),
      closedPeriods: new Set(),
      idempotencyKeys: new Map(),
      series: new Map(),
      documents: new Map(),
      taxCodes: new Map(),
      controlAccounts: { ...chart?.controlAccounts },
      fiscalYearMovements: new Map(),
      carriedForward: new Map(),
    };
  }
  assert(state.status === 'open', `${event.type} before BookOpened`);
  switch (event.type) {
    case 'AccountOpened': {
      const { code, type, currency, iban } = event.data;
      state.accounts.set(code, {
        type,
        ...(currency === undefined ? {} : { currency }),
        ...(iban === undefined ? {} : { iban }),
        status: 'open',
        totalsMinor: new Map(),
      });
      return state;
    }
    case 'AccountIbanChanged': {
      const account = accountOf(state, event.data.code);
      if (event.data.iban === null) delete account.iban;
      else account.iban = event.data.iban;
      return state;
    }
    case 'AccountClosed':
      accountOf(state, event.data.code).status = 'closed';
      return state;
    case 'JournalEntryPosted':
      applyEntry(state, event.data);
      return state;
    case 'PeriodClosed':
      state.closedPeriods.add(event.data.period);
      return state;
    case 'PeriodReopened':
      state.closedPeriods.delete(event.data.period);
      return state;
    case 'TaxCodeDefined':
      state.taxCodes.set(event.data.code, event.data);
      return state;
  }
}

function applyEntry(state: OpenBookState, entry: JournalEntryPostedData): void {
  const movements = movementsOf(
    state,
    fiscalYearOf(entry.effectiveDate, state.fiscalYearStartMonth),
  );
  for (const line of entry.lines) {
    const totals = totalsOf(accountOf(state, line.account), line.currency);
    const amountMinor = BigInt(line.amountMinor);
    if (line.side === 'debit') totals.debitMinor += amountMinor;
    else totals.creditMinor += amountMinor;
    const key = movementKey(line.account, line.currency);
    movements.set(
      key,
      (movements.get(key) ?? 0n) + (line.side === 'debit' ? amountMinor : -amountMinor),
    );
  }
  if (entry.reversalOf === undefined) {
    state.entries.set(entry.entryId, {
      kind: 'original',
      effectiveDate: entry.effectiveDate,
      ...(entry.reference === undefined ? {} : { reference: entry.reference }),
      lines: entry.lines.map(lineState),
      ...(entry.carryForwardOf === undefined ? {} : { carryForwardOf: entry.carryForwardOf }),
    });
    if (entry.carryForwardOf !== undefined)
      state.carriedForward.set(entry.carryForwardOf, entry.entryId);
  } else {
    const original = state.entries.get(entry.reversalOf);
    assert(
      original?.kind === 'original',
      `reversal ${entry.entryId} of ${entry.reversalOf}, which is no original entry`,
    );
    original.reversedBy = entry.entryId;
    if (original.carryForwardOf !== undefined) state.carriedForward.delete(original.carryForwardOf);
    state.entries.set(entry.entryId, { kind: 'reversal', reversalOf: entry.reversalOf });
  }
  if (entry.idempotencyKey !== undefined) {
    assert(
      entry.requestHash !== undefined,
      `entry ${entry.entryId} has an idempotency key without a request hash`,
    );
    state.idempotencyKeys.set(entry.idempotencyKey, {
      requestHash: entry.requestHash,
      entryId: entry.entryId,
    });
  }
}

/** Generic on the ledger's fields of the event: the ledger knows no invoice. */
function applyDocument(state: OpenBookState, type: string, data: DocumentEventFields): void {
  assert(
    typeof data.documentId === 'string' && !state.documents.has(data.documentId),
    `${type} with a missing or known document id ${String(data.documentId)}`,
  );
  if (data.numbering !== undefined) {
    const last = state.series.get(data.numbering.series) ?? 0;
    assert(
      data.numbering.sequence === last + 1,
      `${type} ${data.documentId}: sequence ${data.numbering.sequence} after ${last} in ${data.numbering.series}`,
    );
    state.series.set(data.numbering.series, data.numbering.sequence);
  }
  if (data.closes !== undefined) {
    const closed = state.documents.get(data.closes);
    assert(closed !== undefined, `${type} ${data.documentId} closes unknown ${data.closes}`);
    closed.status = 'closed';
  }
  state.documents.set(data.documentId, {
    type,
    entryId: data.entryId,
    ...(data.number === undefined ? {} : { number: data.number }),
    status: 'open',
  });
}

/** The key of an account's movement in a currency in `fiscalYearMovements`. */
export function movementKey(account: string, currency: string): string {
  return `${account}\u0000${currency}`;
}

function movementsOf(state: OpenBookState, fiscalYear: number): Map<string, bigint> {
  let movements = state.fiscalYearMovements.get(fiscalYear);
  if (movements === undefined) state.fiscalYearMovements.set(fiscalYear, (movements = new Map()));
  return movements;
}

/** The account's totals in a currency, created at zero when it has none yet. */
export function totalsOf(account: AccountState, currency: string): AccountTotals {
  let totals = account.totalsMinor.get(currency);
  if (totals === undefined)
    account.totalsMinor.set(currency, (totals = { debitMinor: 0n, creditMinor: 0n }));
  return totals;
}

function accountOf(state: OpenBookState, code: string): AccountState {
  const account = state.accounts.get(code);
  assert(account !== undefined, `event names unknown account ${code}`);
  return account;
}

function lineState(line: JournalLine): EntryLineState {
  const { account, side, amountMinor, currency, taxCode, party } = line;
  return {
    account,
    side,
    amountMinor,
    currency,
    ...(taxCode === undefined ? {} : { taxCode }),
    ...(party === undefined ? {} : { party }),
  };
}

/** The entry an Idempotency-Key was first used for, so the caller can answer as it did then. */
export function findIdempotentEntry(state: BookState, key: string): IdempotencyRecord | undefined {
  return state.status === 'open' ? state.idempotencyKeys.get(key) : undefined;
}

export function findEntry(state: BookState, entryId: string): EntryState | undefined {
  return state.status === 'open' ? state.entries.get(entryId) : undefined;
}

export function findDocument(state: BookState, documentId: string): DocumentState | undefined {
  return state.status === 'open' ? state.documents.get(documentId) : undefined;
}

export function findAccount(state: BookState, code: string): AccountState | undefined {
  return state.status === 'open' ? state.accounts.get(code) : undefined;
}

/** 404 when the book was never opened. */
export function requireOpenBook(state: BookState, bookId: string): OpenBookState {
  if (state.status === 'none') throw new NotFoundError(`Book ${bookId} not found`);
  assert(
    state.bookId === bookId,
    `command for book ${bookId} decided against book ${state.bookId}`,
  );
  return state;
}
