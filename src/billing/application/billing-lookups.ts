import type { InvoiceTaxCode } from '../domain/invoice-tax.js';
import type { CustomerSnapshot, SellerSnapshot } from '../domain/issued-documents.js';

// What billing needs to know from other modules (ledger, parties), as one port; the adapter
// in billing.module.ts answers it from their public surfaces.

export interface BillingBook {
  baseCurrency: string;
  fiscalYearStartMonth: number;
}

export interface BillingCustomer extends CustomerSnapshot {
  paymentTermsDays?: number;
  /** A private customer: their name, address and e-mail are sealed in billing's events. */
  naturalPerson?: boolean;
}

export interface TaxCodesOnDate {
  /** Codes valid on the date, by code. */
  valid: Record<string, InvoiceTaxCode>;
  /** Every code the book knows. */
  known: string[];
}

export interface BillingLookups {
  book(bookId: string): Promise<BillingBook | undefined>;
  taxCodesOn(bookId: string, date: string): Promise<TaxCodesOnDate>;
  customer(bookId: string, idOrNumber: string): Promise<BillingCustomer | undefined>;
  company(bookId: string): Promise<SellerSnapshot | undefined>;
  /** The chart's receivables control account (SKR03 1400, SKR04 1200). */
  receivablesAccount(bookId: string): Promise<string | undefined>;
}

export const BILLING_LOOKUPS = Symbol('BILLING_LOOKUPS');
