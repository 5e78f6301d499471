import { samePerson } from '../../access/index.js';
import { Actor, RecordedEvent } from '../../event-sourcing/index.js';
import { bookIdOfStream } from '../../ledger/index.js';
import { summarizeEvent } from './audit-summary.js';

/** One row of the audit trail: every event of the log, with who, when, why and a summary. */
export interface AuditEntry {
  position: bigint;
  recordedAt: string;
  type: string;
  streamId: string;
  /** metadata.book, else the book of a `book-…` stream, else `data.book` (approvals, policies). */
  book: string | null;
  actor: Actor;
  correlationId: string | null;
  causationId: string | null;
  summary: string;
  data: unknown;
}

/**
 * The filters of `GET /v1/audit` (and exports); every given one must hold (AND).
 * `actor` matches the key id or the name. `from` is inclusive, `to` exclusive (ISO 8601 UTC,
 * normalized by `parseAuditTime`), both on `recordedAt`.
 */
export interface AuditFilter {
  book?: string;
  actor?: string;
  type?: string;
  stream?: string;
  correlationId?: string;
  from?: string;
  to?: string;
  /** A book-restricted key sees only entries of these books. */
  visibleBooks?: readonly string[];
  /** Inclusive upper bound on the position (exports pin the snapshot they started on). */
  untilPosition?: bigint;
}

const unknownActor: Actor = { id: 'unknown', name: 'unknown' };

export function toAuditEntry(event: RecordedEvent): AuditEntry {
  const metadata = event.metadata ?? ({} as RecordedEvent['metadata']);
  const actor =
    metadata.actor && typeof metadata.actor.id === 'string'
      ? { id: metadata.actor.id, name: String(metadata.actor.name ?? '') }
      : unknownActor;
  return {
    position: event.position,
    recordedAt: event.recordedAt,
    type: event.type,
    streamId: event.streamId,
    book: bookOf(event),
    actor,
    correlationId: typeof metadata.correlationId === 'string' ? metadata.correlationId : null,
    causationId: typeof metadata.causationId === 'string' ? metadata.causationId : null,
    summary: summarizeEvent(event),
    data: event.data,
  };
}

function bookOf(event: RecordedEvent): string | null {
  if (typeof event.metadata?.book === 'string') return event.metadata.book;
  const fromStream = bookIdOfStream(event.streamId);
  if (fromStream !== undefined) return fromStream;
  const data = event.data as { book?: unknown } | null;
  return typeof data === 'object' && data !== null && typeof data.book === 'string'
    ? data.book
    : null;
}

/** The same rule the SQL query applies: the oracle for tests and the filter of log-based exports. */
export function matchesAuditFilter(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.book !== undefined && entry.book !== filter.book) return false;
  if (
    filter.actor !== undefined &&
    entry.actor.id !== filter.actor &&
    !samePerson(entry.actor.name, filter.actor)
  )
    return false;
  if (filter.type !== undefined && entry.type !== filter.type) return false;
  if (filter.stream !== undefined && entry.streamId !== filter.stream) return false;
  if (filter.correlationId !== undefined && entry.correlationId !== filter.correlationId)
    return false;
  if (filter.from !== undefined && entry.recordedAt < filter.from) return false;
  if (filter.to !== undefined && entry.recordedAt >= filter.to) return false;
  if (
    filter.visibleBooks !== undefined &&
    (entry.book === null || !filter.visibleBooks.includes(entry.book))
  )
    return false;
  if (filter.untilPosition !== undefined && entry.position > filter.untilPosition) return false;
  return true;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `from`/`to` as given by a client → the store's form (ISO 8601 UTC with milliseconds), so text
 * comparison is time comparison. A date means its start (00:00 UTC); for `to`, which is
 * exclusive, a date means the end of that day (the next day's start), so `to=2026-03-31`
 * includes the 31st. Undefined when the text is neither a date nor a time with a zone.
 */
export function parseAuditTime(value: string, bound: 'from' | 'to'): string | undefined {
  if (datePattern.test(value)) {
    const start = new Date(`${value}T00:00:00.000Z`);
    if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== value)
      return undefined;
    if (bound === 'to') start.setUTCDate(start.getUTCDate() + 1);
    return start.toISOString();
  }
  if (!timePattern.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The filter as recorded in an export event: only what was given, positions as strings. */
export function describeFilter(filter: AuditFilter): Record<string, string> {
  const described: Record<string, string> = {};
  for (const key of ['book', 'actor', 'type', 'stream', 'correlationId', 'from', 'to'] as const) {
    const value = filter[key];
    if (value !== undefined) described[key] = value;
  }
  if (filter.visibleBooks !== undefined) described.visibleBooks = filter.visibleBooks.join(',');
  if (filter.untilPosition !== undefined) described.untilPosition = filter.untilPosition.toString();
  return described;
}
