import { ControlAccounts } from '../domain/charts.js';
import { TaxCodeDefinition } from '../domain/tax-codes.js';
import { BookState, requireOpenBook } from '../domain/book.state.js';
import { LedgerCommands } from './ledger-commands.js';
import { LedgerLookup, RecordedDocument } from './ledger-lookup.js';

/** LedgerLookup over the book workers' state (see LedgerLookup). */
export class BookStateLedgerLookup extends LedgerLookup {
  constructor(private readonly ledger: LedgerCommands) {
    super();
  }

  taxCodesOf(bookId: string): Promise<TaxCodeDefinition[]> {
    return this.ledger.inspect(bookId, (state: BookState) =>
      [...requireOpenBook(state, bookId).taxCodes.values()].map(copyOf),
    );
  }

  documentOf(bookId: string, documentId: string): Promise<RecordedDocument | undefined> {
    return this.ledger.inspect(bookId, (state: BookState) => {
      const known = requireOpenBook(state, bookId).documents.get(documentId);
      return known === undefined ? undefined : { ...known };
    });
  }

  bookControlAccounts(bookId: string): Promise<ControlAccounts> {
    return this.ledger.inspect(bookId, (state: BookState) => ({
      ...requireOpenBook(state, bookId).controlAccounts,
    }));
  }
}

/** The state is the worker's: callers get copies. */
function copyOf(code: TaxCodeDefinition): TaxCodeDefinition {
  return { ...code, rates: code.rates.map((rate) => ({ ...rate })) };
}
