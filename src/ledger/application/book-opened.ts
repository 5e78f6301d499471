import { EventStore } from '../../event-sourcing/index.js';
import { BookOpenedData, bookStreamId } from '../domain/book.events.js';

/**
 * The book's BookOpened data, read from the log (never stale), or undefined when there is no
 * such book: what other modules check before they write for a book.
 */
export async function bookOpenedOf(
  store: EventStore,
  bookId: string,
): Promise<BookOpenedData | undefined> {
  const [first] = await store.readStream(bookStreamId(bookId), { limit: 1 });
  return first?.type === 'BookOpened' ? (first.data as BookOpenedData) : undefined;
}
