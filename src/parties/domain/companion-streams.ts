import { companyStreamId } from './company.events.js';
import { partiesStreamId } from './parties.events.js';

/** The streams of a book that this module keeps beside the book's own (for `kontor export`). */
export function partyCompanionStreams(bookId: string): string[] {
  return [partiesStreamId(bookId), companyStreamId(bookId)];
}
