import {
  AppendResult,
  EventMetadata,
  EventStore,
  NewEvent,
  RecordedEvent,
  assert,
} from '../../event-sourcing/index.js';
import { BookStreamEvent, isBookEventType } from '../domain/book.events.js';

/** A book event as stored, with the fields callers answer with. */
export type BookEventRecord = BookStreamEvent & {
  eventId: string;
  revision: number;
  position: bigint;
  metadata: EventMetadata;
};

export interface BookCommandResult {
  /** The events the command appended; for a repeat, the event of the original entry. */
  events: BookEventRecord[];
  /** Position of the last of `events`. */
  position: bigint;
  /** True when nothing was appended because the command repeats an earlier one. */
  repeated: boolean;
}

export type Settle<T> = { resolve: (value: T) => void; reject: (error: unknown) => void };

/** The ledger's own events, and document events (any other type carrying a document id). */
export function bookEventOf(event: RecordedEvent): BookStreamEvent {
  assert(
    isBookEventType(event.type) ||
      typeof (event.data as { documentId?: unknown } | null)?.documentId === 'string',
    `${event.streamId} holds an event of type ${event.type}`,
  );
  assert(
    event.schemaVersion === 1,
    `${event.type} schema version ${event.schemaVersion} has no upcaster`,
  );
  return { type: event.type, data: event.data } as BookStreamEvent;
}

export function recordOf(event: RecordedEvent): BookEventRecord {
  return {
    ...bookEventOf(event),
    eventId: event.eventId,
    revision: event.revision,
    position: event.position,
    metadata: event.metadata,
  };
}

export function toRecord(event: NewEvent, result: AppendResult, index: number): BookEventRecord {
  const count = result.positions.length;
  return {
    type: event.type,
    data: event.data,
    eventId: event.eventId,
    revision: result.lastRevision - count + 1 + index,
    position: result.positions[index]!,
    metadata: event.metadata,
  } as BookEventRecord;
}

/** The JSON bytes of events' data and metadata (what a store's append size limit counts). */
export function jsonBytesOf(events: readonly NewEvent[]): number {
  let bytes = 0;
  for (const event of events)
    bytes +=
      Buffer.byteLength(JSON.stringify(event.data)) +
      Buffer.byteLength(JSON.stringify(event.metadata));
  return bytes;
}

/**
 * The events at `positions` of an append the store answered as an idempotent retry (every event
 * id, derived from the command ids, stored before): what the callers are answered with, not what
 * the worker's state decided. A state behind the stream decides a document's number anew
 * (RE-…-00002 where the log holds 00003).
 */
export async function storedRecordsAt(
  store: EventStore,
  streamId: string,
  positions: readonly bigint[],
): Promise<Map<string, BookEventRecord>> {
  const stored = new Map<string, BookEventRecord>();
  for (const position of positions) {
    const [event] = await store.readAll({ from: position, limit: 1 });
    assert(event?.streamId === streamId, `position ${position} is not in ${streamId}`);
    stored.set(event.eventId, recordOf(event));
  }
  return stored;
}
