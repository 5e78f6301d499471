import { EventData, jsonEvent, JSONType } from '@kurrent/kurrentdb-client';
import {
  EventMetadata,
  ExpectedRevision,
  genesisHash,
  NewEvent,
  ValidationError,
} from '../../event-sourcing/index.js';
import { canonicalJson } from '../event-store/index.js';
import { envelopeVersion, KontorEnvelope, kurrentEventId } from './kurrentdb-mapping.js';
import { streamChainHash } from './stream-hash-chain.js';

/**
 * The pure part of an append to KurrentDB: normalising the events, chaining their hashes after
 * the stream's last event, and where an idempotent retry would have put them.
 */

/** A new event with its data and metadata in the JSON form KurrentDB will store and hand back. */
export interface PreparedEvent {
  eventId: string;
  kurrentId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
}

/** The stream's last event as read just before the append. */
export interface StreamTail {
  /** undefined when the stream has no events */
  lastRevision: number | undefined;
  /** hash of the last event, genesis when there is none */
  lastHash: string;
}

export interface PlannedEvent {
  kurrentId: string;
  revision: number;
  envelope: KontorEnvelope;
  eventData: EventData;
}

export function prepareNewEvent(event: NewEvent): PreparedEvent {
  if (event.type === '' || event.type.startsWith('$')) {
    throw new ValidationError(`event type ${JSON.stringify(event.type)} is reserved`, [
      { field: 'type', message: 'must be non-empty and not start with $' },
    ]);
  }
  return {
    eventId: event.eventId,
    kurrentId: kurrentEventId(event.eventId),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    // Hashed in exactly the form KurrentDB hands back: JSON, canonical (e.g. -0 becomes 0).
    data: JSON.parse(canonicalJson(event.data, 'data')) as unknown,
    metadata: JSON.parse(canonicalJson(event.metadata, 'metadata')) as EventMetadata,
  };
}

/**
 * Numbers the events after the tail and chains their hashes from the tail's hash. `recordedAt`
 * is the writer's clock, set before the write so that the hash covers it.
 */
export function planStreamAppend(
  streamId: string,
  events: readonly PreparedEvent[],
  tail: StreamTail,
  recordedAt: string,
): PlannedEvent[] {
  let revision = tail.lastRevision ?? -1;
  let prevHash = tail.lastHash;
  return events.map((event) => {
    revision += 1;
    const hash = streamChainHash(prevHash, {
      eventId: event.eventId,
      streamId,
      revision,
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
      recordedAt,
    });
    const envelope: KontorEnvelope = {
      kontor: envelopeVersion,
      eventId: event.eventId,
      schemaVersion: event.schemaVersion,
      recordedAt,
      prevHash,
      hash,
      metadata: event.metadata,
      $correlationId: event.metadata.correlationId,
      ...(event.metadata.causationId === undefined
        ? {}
        : { $causationId: event.metadata.causationId }),
    };
    prevHash = hash;
    const eventData = jsonEvent({
      id: event.kurrentId,
      type: event.type,
      data: event.data as JSONType,
      metadata: envelope as unknown as JSONType,
    }) as EventData;
    return { kurrentId: event.kurrentId, revision, envelope, eventData };
  });
}

export const emptyTail: StreamTail = { lastRevision: undefined, lastHash: genesisHash };

/**
 * The first revision where a retry of this append with the SAME expectation would find its
 * events, when the stream has moved past it: `n` → n + 1, `no_stream` → 0. For `any` and
 * `stream_exists` there is no such place; the adapter looks in the stream's tail instead.
 */
export function retryWindowStart(
  expected: ExpectedRevision,
  lastRevision: number | undefined,
): number | undefined {
  if (lastRevision === undefined) return undefined;
  if (expected === 'no_stream') return 0;
  if (typeof expected === 'number' && expected >= 0 && expected + 1 <= lastRevision)
    return expected + 1;
  return undefined;
}
