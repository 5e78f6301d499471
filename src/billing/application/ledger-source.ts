import { LedgerLookup, taxCodeOn } from '../../ledger/index.js';
import type { InvoiceTaxCode } from '../domain/invoice-tax.js';
import type { BillingLookups } from './billing-lookups.js';

/** Tax codes on a date and the receivables control account from the book (LedgerLookup). */
export function ledgerSource(
  ledger: LedgerLookup,
): Pick<BillingLookups, 'taxCodesOn' | 'receivablesAccount'> {
  return {
    async taxCodesOn(bookId, date) {
      const codes = await ledger.taxCodesOf(bookId);
      const valid: Record<string, InvoiceTaxCode> = {};
      for (const definition of codes) {
        const onDate = taxCodeOn(codes, definition.code, date);
        if (onDate) valid[definition.code] = onDate;
      }
      return { valid, known: codes.map((code) => code.code) };
    },
    async receivablesAccount(bookId) {
      return (await ledger.bookControlAccounts(bookId)).receivables;
    },
  };
}
