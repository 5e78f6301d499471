import { ConflictError, ValidationError, WrongExpectedRevisionError } from './errors.js';
import { NewEvent } from './event.js';
import { AppendResult, ExpectedRevision } from './event-store.js';

/**
 * The append rules every event store adapter shares (ARCHITECTURE §3), kept pure so that each
 * adapter only supplies lookups and inserts.
 */

/** Where an already stored event lives; what the idempotency check needs. */
export interface StoredEventLocation {
  streamId: string;
  revision: number;
  position: bigint;
}

/** `lastRevision` is undefined when the stream has no events. */
export function checkExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  lastRevision: number | undefined,
): void {
  const actual = lastRevision ?? 'no_stream';
  const matches =
    expected === 'any' ||
    (expected === 'no_stream' && lastRevision === undefined) ||
    (expected === 'stream_exists' && lastRevision !== undefined) ||
    expected === lastRevision;
  if (!matches) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

/** Two events of one append sharing an id would make the idempotency key ambiguous. */
export function checkDistinctEventIds(events: readonly Pick<NewEvent, 'eventId'>[]): void {
  const eventIds = new Set<string>();
  for (const event of events) {
    if (eventIds.has(event.eventId)) {
      throw new ValidationError(`event id ${event.eventId} appears twice in one append`, [
        { field: 'eventId', message: 'must be unique within an append' },
      ]);
    }
    eventIds.add(event.eventId);
  }
}

/**
 * Decides an append against the event ids already stored (checked BEFORE the revision):
 * none stored → undefined (a new append); all stored in this stream → the original result
 * (an idempotent retry); anything else → ConflictError.
 */
export function idempotentRetryResult(
  streamId: string,
  events: readonly Pick<NewEvent, 'eventId'>[],
  stored: readonly (StoredEventLocation | undefined)[],
): AppendResult | undefined {
  const found = stored.filter(
    (location): location is StoredEventLocation => location !== undefined,
  );
  if (found.length === 0) return undefined;
  const elsewhere = found.find((location) => location.streamId !== streamId);
  if (elsewhere !== undefined) {
    throw new ConflictError(
      `an event id of this append is already stored in stream ${elsewhere.streamId}`,
    );
  }
  if (found.length !== events.length) {
    throw new ConflictError(
      `${found.length} of the ${events.length} event ids of this append are already stored in stream ${streamId}`,
    );
  }
  const last = found[found.length - 1]!;
  return {
    streamId,
    lastRevision: last.revision,
    positions: found.map((location) => location.position),
    lastPosition: last.position,
  };
}
