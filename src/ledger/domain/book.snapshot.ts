import { AccountType } from './book.events.js';
import { ControlAccounts } from './charts.js';
import { TaxCodeDefinition } from './tax-codes.js';
import {
  AccountState,
  BookState,
  DocumentState,
  EntryState,
  IdempotencyRecord,
} from './book.state.js';

/**
 * The book state as JSON (no Map, Set or bigint), for the snapshot table. Bump
 * `bookSnapshotSchemaVersion` when the state changes shape; an older snapshot is then ignored
 * and the state rebuilt from the events.
 */
export const bookSnapshotSchemaVersion = 5;

export type BookSnapshot = { schemaVersion: number; status: 'none' } | OpenBookSnapshot;

export interface OpenBookSnapshot {
  schemaVersion: number;
  status: 'open';
  bookId: string;
  name: string;
  baseCurrency: string;
  fiscalYearStartMonth: number;
  accounts: [code: string, account: AccountSnapshot][];
  entries: [entryId: string, entry: EntryState][];
  closedPeriods: string[];
  idempotencyKeys: [key: string, record: IdempotencyRecord][];
  series: [series: string, sequence: number][];
  documents: [documentId: string, document: DocumentState][];
  taxCodes: TaxCodeDefinition[];
  controlAccounts: ControlAccounts;
  fiscalYearMovements: [fiscalYear: number, movements: [key: string, balanceMinor: string][]][];
  carriedForward: [fiscalYear: number, entryId: string][];
}

export interface AccountSnapshot {
  type: AccountType;
  currency?: string;
  iban?: string;
  status: 'open' | 'closed';
  totalsMinor: [currency: string, debitMinor: string, creditMinor: string][];
}

export function toBookSnapshot(state: BookState): BookSnapshot {
  if (state.status === 'none') return { schemaVersion: bookSnapshotSchemaVersion, status: 'none' };
  return {
    schemaVersion: bookSnapshotSchemaVersion,
    status: 'open',
    bookId: state.bookId,
    name: state.name,
    baseCurrency: state.baseCurrency,
    fiscalYearStartMonth: state.fiscalYearStartMonth,
    accounts: [...state.accounts].map(([code, account]) => [code, accountSnapshot(account)]),
    entries: [...state.entries].map(([entryId, entry]) => [entryId, copyOfEntry(entry)]),
    closedPeriods: [...state.closedPeriods],
    idempotencyKeys: [...state.idempotencyKeys],
    series: [...state.series],
    documents: [...state.documents].map(([id, document]) => [id, { ...document }]),
    taxCodes: [...state.taxCodes.values()],
    controlAccounts: { ...state.controlAccounts },
    fiscalYearMovements: [...state.fiscalYearMovements].map(([year, movements]) => [
      year,
      [...movements].map(([key, balanceMinor]) => [key, balanceMinor.toString()]),
    ]),
    carriedForward: [...state.carriedForward],
  };
}

/** Undefined when the snapshot has another schema version (rebuild from the events instead). */
export function fromBookSnapshot(snapshot: BookSnapshot): BookState | undefined {
  if (snapshot.schemaVersion !== bookSnapshotSchemaVersion) return undefined;
  if (snapshot.status === 'none') return { status: 'none' };
  return {
    status: 'open',
    bookId: snapshot.bookId,
    name: snapshot.name,
    baseCurrency: snapshot.baseCurrency,
    fiscalYearStartMonth: snapshot.fiscalYearStartMonth,
    accounts: new Map(snapshot.accounts.map(([code, account]) => [code, accountState(account)])),
    entries: new Map(snapshot.entries.map(([entryId, entry]) => [entryId, copyOfEntry(entry)])),
    closedPeriods: new Set(snapshot.closedPeriods),
    idempotencyKeys: new Map(snapshot.idempotencyKeys),
    series: new Map(snapshot.series),
    documents: new Map(snapshot.documents.map(([id, document]) => [id, { ...document }])),
    taxCodes: new Map(snapshot.taxCodes.map((code) => [code.code, code])),
    controlAccounts: { ...snapshot.controlAccounts },
    fiscalYearMovements: new Map(
      snapshot.fiscalYearMovements.map(([year, movements]) => [
        year,
        new Map(movements.map(([key, balanceMinor]) => [key, BigInt(balanceMinor)])),
      ]),
    ),
    carriedForward: new Map(snapshot.carriedForward),
  };
}

function accountSnapshot({
  type,
  currency,
  iban,
  status,
  totalsMinor,
}: AccountState): AccountSnapshot {
  return {
    type,
    ...(currency === undefined ? {} : { currency }),
    ...(iban === undefined ? {} : { iban }),
    status,
    totalsMinor: [...totalsMinor].map(([currency, { debitMinor, creditMinor }]) => [
      currency,
      debitMinor.toString(),
      creditMinor.toString(),
    ]),
  };
}

function accountState({
  type,
  currency,
  iban,
  status,
  totalsMinor,
}: AccountSnapshot): AccountState {
  return {
    type,
    ...(currency === undefined ? {} : { currency }),
    ...(iban === undefined ? {} : { iban }),
    status,
    totalsMinor: new Map(
      totalsMinor.map(([currency, debitMinor, creditMinor]) => [
        currency,
        { debitMinor: BigInt(debitMinor), creditMinor: BigInt(creditMinor) },
      ]),
    ),
  };
}

/** Entries are updated in place (`reversedBy`), so state and snapshot never share one; lines are never mutated. */
function copyOfEntry(entry: EntryState): EntryState {
  return { ...entry };
}
