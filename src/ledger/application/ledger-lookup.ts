import { ControlAccounts } from '../domain/charts.js';
import { TaxCodeDefinition } from '../domain/tax-codes.js';

export interface RecordedDocument {
  type: string;
  entryId: string;
  number?: string;
  status: 'open' | 'closed';
}

/**
 * The ledger's read port for other modules (billing, banking): a book's tax codes and control
 * accounts, read from the book's state as its worker holds it (consistent with every command
 * decided so far, unlike the projections). Inject `LedgerLookup` (provided by LedgerModule);
 * pair `taxCodesOf` with the pure `taxCodeOn(codes, code, date)`. A book that does not exist:
 * NotFoundError (404).
 */
export abstract class LedgerLookup {
  abstract taxCodesOf(bookId: string): Promise<TaxCodeDefinition[]>;
  abstract bookControlAccounts(bookId: string): Promise<ControlAccounts>;
  /** The document PostDocument recorded under this id (its type, number, entry), if any. */
  abstract documentOf(bookId: string, documentId: string): Promise<RecordedDocument | undefined>;
}
