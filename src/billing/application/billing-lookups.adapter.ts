import { EventStore } from '../../event-sourcing/index.js';
import { bookOpenedOf } from '../../ledger/index.js';
import type { BillingLookups } from './billing-lookups.js';

/** The book's currency and fiscal year from its first event (BookOpened). */
export async function bookOf(store: EventStore, bookId: string) {
  const data = await bookOpenedOf(store, bookId);
  if (!data) return undefined;
  return { baseCurrency: data.baseCurrency, fiscalYearStartMonth: data.fiscalYearStartMonth };
}

/**
 * The lookups billing runs with: a slot whose answers come from the installed source (the
 * ledger's tax codes and control accounts, the parties module); `install` replaces it.
 */
export class BillingLookupsSlot implements BillingLookups {
  private source: Omit<BillingLookups, 'book'>;

  constructor(private readonly store: EventStore) {
    this.source = {
      taxCodesOn: () => Promise.resolve({ valid: {}, known: [] }),
      customer: () => Promise.resolve(undefined),
      company: () => Promise.resolve(undefined),
      receivablesAccount: () => Promise.resolve(undefined),
    };
  }

  /** Replaces the named lookups (the rest stay as they are). */
  install(source: Partial<Omit<BillingLookups, 'book'>>): void {
    this.source = { ...this.source, ...source };
  }

  book(bookId: string) {
    return bookOf(this.store, bookId);
  }
  taxCodesOn(bookId: string, date: string) {
    return this.source.taxCodesOn(bookId, date);
  }
  customer(bookId: string, idOrNumber: string) {
    return this.source.customer(bookId, idOrNumber);
  }
  company(bookId: string) {
    return this.source.company(bookId);
  }
  receivablesAccount(bookId: string) {
    return this.source.receivablesAccount(bookId);
  }
}
