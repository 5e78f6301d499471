import { EventStore, readBatchSizeMax, RecordedEvent } from '../../event-sourcing/index.js';

/** At most this many log events are examined for one filtered page; the cursor continues the scan. */
export const eventsScanMax = 10_000;

export interface EventsFilter {
  types?: readonly string[];
  streamId?: string;
  book?: string;
  /** A book-restricted key sees only events of these books. */
  visibleBooks?: readonly string[];
}

export interface EventsPage {
  items: RecordedEvent[];
  /** The position the scan reached: the next page is the events after it. Null at the end of the log. */
  nextAfter: bigint | null;
}

export function eventMatches(event: RecordedEvent, filter: EventsFilter): boolean {
  if (filter.types && !filter.types.includes(event.type)) return false;
  if (filter.streamId !== undefined && event.streamId !== filter.streamId) return false;
  const book = event.metadata.book;
  if (filter.book !== undefined && book !== filter.book) return false;
  if (filter.visibleBooks && (book === undefined || !filter.visibleBooks.includes(book)))
    return false;
  return true;
}

function isFiltered(filter: EventsFilter): boolean {
  return (
    filter.types !== undefined ||
    filter.streamId !== undefined ||
    filter.book !== undefined ||
    filter.visibleBooks !== undefined
  );
}

/**
 * One page of the global log after `after`, in position order. With filters the log is scanned in
 * bounded batches, at most `scanMax` events per page; a page may then hold fewer than `limit`
 * items (even none) while `nextAfter` still says where to continue.
 */
export async function readEventsPage(
  store: EventStore,
  after: bigint,
  limit: number,
  filter: EventsFilter = {},
  scanMax = eventsScanMax,
): Promise<EventsPage> {
  const filtered = isFiltered(filter);
  const items: RecordedEvent[] = [];
  let cursor = after;
  let scanned = 0;
  while (items.length < limit && scanned < scanMax) {
    const want = filtered
      ? Math.min(readBatchSizeMax, scanMax - scanned)
      : Math.min(readBatchSizeMax, limit - items.length);
    const batch = await store.readAll({ after: cursor, limit: want });
    for (const event of batch) {
      cursor = event.position;
      scanned++;
      if (eventMatches(event, filter)) items.push(event);
      if (items.length === limit) return { items, nextAfter: cursor };
    }
    if (batch.length < want) return { items, nextAfter: null };
  }
  return { items, nextAfter: cursor };
}
