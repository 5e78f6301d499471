import { RecordedEvent } from '../../event-sourcing/index.js';
import { WebhookRegisteredData } from './webhook.events.js';

export type WebhookFilter = Pick<WebhookRegisteredData, 'types' | 'books'>;

/**
 * Whether a webhook wants an event: its type is listed (or no types were given) and its book,
 * from the metadata, is listed (or no books were given; an event without a book never matches
 * a book filter).
 */
export function webhookWants(
  filter: WebhookFilter,
  event: Pick<RecordedEvent, 'type' | 'metadata'>,
): boolean {
  if (filter.types !== undefined && !filter.types.includes(event.type)) return false;
  if (filter.books !== undefined) {
    const book = event.metadata.book;
    if (typeof book !== 'string' || !filter.books.includes(book)) return false;
  }
  return true;
}
