import { CompanySettings } from './company.events.js';
import { Party } from './party.js';

/**
 * The parties module's read port for other modules (billing, banking): a party of a book by its
 * id or personal account number, and the book's company data (the seller). Both read the
 * folded event streams, never a projection: what was just written is there.
 */
export interface PartiesLookup {
  find(bookId: string, idOrNumber: string): Promise<Party | undefined>;
  company(bookId: string): Promise<CompanySettings | undefined>;
}
