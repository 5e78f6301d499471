import { ConflictError, NotFoundError } from '../../event-sourcing/index.js';
import { InvoiceRuleError } from '../domain/invoice-errors.js';
import type { CustomerSnapshot, SellerSnapshot } from '../domain/issued-documents.js';
import type { BillingBook, BillingLookups } from './billing-lookups.js';

// The other modules' data an issue needs, each missing piece an actionable refusal.

export interface IssueParties {
  book: BillingBook;
  seller: SellerSnapshot | undefined;
  customer: CustomerSnapshot;
  /** The customer is a natural person: billing seals their personal data (customer-sealing.ts). */
  customerIsPerson: boolean;
  receivablesAccount: string;
}

export async function issuePartiesOf(
  lookups: BillingLookups,
  bookId: string,
  partyId: string,
): Promise<IssueParties> {
  const [book, seller, found, receivablesAccount] = await Promise.all([
    lookups.book(bookId),
    lookups.company(bookId),
    lookups.customer(bookId, partyId),
    lookups.receivablesAccount(bookId),
  ]);
  if (!book) throw new NotFoundError(`Book ${bookId} not found`);
  if (!found) throw new ConflictError(`The invoice's customer ${partyId} no longer exists`);
  if (!receivablesAccount)
    throw new InvoiceRuleError(
      `Book ${bookId} names no receivables control account: open it with a chart ("chart": "skr03" or "skr04")`,
      [{ field: 'book', message: 'no receivables control account' }],
    );
  const {
    paymentTermsDays: _terms,
    naturalPerson,
    ...customer
  } = found as CustomerSnapshot & { paymentTermsDays?: number; naturalPerson?: boolean };
  return { book, seller, customer, customerIsPerson: naturalPerson === true, receivablesAccount };
}
