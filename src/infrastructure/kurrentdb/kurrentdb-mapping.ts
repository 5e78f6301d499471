import {
  AppendStreamState,
  ErrorType,
  NO_STREAM,
  RecordedEvent as KurrentRecordedEvent,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  assert,
  deterministicId,
  EventMetadata,
  ExpectedRevision,
  RecordedEvent,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../event-sourcing/index.js';

/**
 * Pure mappings between Kontor's event store port and KurrentDB: stream names, event ids,
 * expected revisions, errors and the metadata envelope every Kontor event carries.
 */

/** Snapshots live in their own streams (never in the log); `readAll` filters them out. */
export const snapshotStreamPrefix = 'kontor-snapshot-';
const namespacePattern = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Where a Kontor stream lives in KurrentDB. Without a namespace a stream keeps its own name and
 * the log is every non-system, non-snapshot stream of the database. With a namespace (several
 * Kontor installations, or test isolation, on one database) stream `s` is stored as
 * `<namespace>:s` and the log is the streams with that prefix.
 */
export class StreamNaming {
  readonly prefix: string;

  constructor(readonly namespace?: string) {
    if (namespace !== undefined) {
      if (!namespacePattern.test(namespace) || namespace.startsWith('kontor-')) {
        throw new ValidationError(
          `KurrentDB namespace ${JSON.stringify(namespace)} must match ${namespacePattern} and not start with kontor-`,
        );
      }
    }
    this.prefix = namespace === undefined ? '' : `${namespace}:`;
  }

  /** The KurrentDB stream of a Kontor stream; refuses names KurrentDB or this adapter reserve. */
  domainStream(streamId: string): string {
    if (streamId === '' || streamId.startsWith('$') || streamId.startsWith(snapshotStreamPrefix)) {
      throw new ValidationError(`stream id ${JSON.stringify(streamId)} is reserved`, [
        {
          field: 'streamId',
          message: `must be non-empty and not start with $ or ${snapshotStreamPrefix}`,
        },
      ]);
    }
    return this.prefix + streamId;
  }

  snapshotStream(streamId: string): string {
    return snapshotStreamPrefix + this.domainStream(streamId);
  }

  isDomainStream(streamName: string): boolean {
    return (
      streamName.startsWith(this.prefix) &&
      !streamName.startsWith('$') &&
      !streamName.startsWith(snapshotStreamPrefix)
    );
  }

  streamIdOf(streamName: string): string {
    assert(
      this.isDomainStream(streamName),
      `${streamName} is not a Kontor stream of this namespace`,
    );
    return streamName.slice(this.prefix.length);
  }

  /** Server-side stream-name filter of `$all`: the log without system and snapshot streams. */
  get logFilterRegex(): string {
    return this.prefix === '' ? `^(?!\\$|${snapshotStreamPrefix})` : `^${escapeRegex(this.prefix)}`;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/**
 * KurrentDB event ids are UUIDs. Kontor's are UUIDs too (random or `deterministicId`); any other
 * id is mapped to a UUID derived from it, so a retry still carries the same KurrentDB id. The
 * original id travels in the envelope.
 */
export function kurrentEventId(eventId: string): string {
  return uuidPattern.test(eventId)
    ? eventId.toLowerCase()
    : deterministicId('kontor-event-id', eventId);
}

/**
 * The adapter always appends with the stream's exact current state (read just before): an
 * explicit revision is what makes KurrentDB's own de-duplication reliable, and it turns a race
 * into a WrongExpectedVersion instead of a silent interleaving.
 */
export function streamStateAfter(lastRevision: number | undefined): AppendStreamState {
  return lastRevision === undefined ? NO_STREAM : BigInt(lastRevision);
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return (
    error instanceof Error &&
    (error as { type?: unknown }).type === ErrorType.WRONG_EXPECTED_VERSION
  );
}

export function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof Error && (error as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND
  );
}

/**
 * The server's answer to a read of `$all` from a number that is not a record's position
 * (positions are byte offsets). The client passes it on as an UnknownError: only its text says.
 */
export function isInvalidPosition(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { type?: unknown }).type === ErrorType.UNKNOWN &&
    /invalid[ _-]?position/i.test(error.message)
  );
}

export function isMaxAppendSizeExceeded(
  error: unknown,
): error is Error & { maxAppendSize?: number } {
  return (
    error instanceof Error &&
    (error as { type?: unknown }).type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED
  );
}

export function isDeadlineExceeded(error: unknown): boolean {
  return (
    error instanceof Error && (error as { type?: unknown }).type === ErrorType.DEADLINE_EXCEEDED
  );
}

export function isAccessDenied(error: unknown): boolean {
  return error instanceof Error && (error as { type?: unknown }).type === ErrorType.ACCESS_DENIED;
}

/** The kernel's error for a KurrentDB WrongExpectedVersion, with the caller's expectation. */
export function toWrongExpectedRevision(
  streamId: string,
  expected: ExpectedRevision,
  error: WrongExpectedVersionError,
): WrongExpectedRevisionError {
  const actual = error.actualState === NO_STREAM ? 'no_stream' : Number(error.actualState);
  return new WrongExpectedRevisionError(streamId, expected, actual);
}

/**
 * A stream KurrentDB soft-deleted or truncated (`$tb`, `$maxCount`, `$maxAge`, a scavenge):
 * its revisions no longer start where Kontor's hash chain does. Kontor neither reads a partial
 * stream as if it were whole nor appends to it (an operator must restore it).
 */
export class KurrentStreamTruncatedError extends Error {
  constructor(streamName: string, detail: string) {
    super(
      `KurrentDB stream ${streamName} was deleted or truncated outside Kontor (${detail}): Kontor refuses to read it as whole or append to it; restore the stream (docs/kurrentdb.md)`,
    );
    this.name = 'KurrentStreamTruncatedError';
  }
}

/** Format version of the envelope, for a later change of its shape. */
export const envelopeVersion = 1;

/**
 * KurrentDB event metadata of a Kontor event: the Kontor metadata plus the stored fields KurrentDB
 * has no place for. `$correlationId`/`$causationId` follow KurrentDB's conventions (its
 * `$by_correlation_id` projection reads them); they are not hashed.
 */
export interface KontorEnvelope {
  kontor: typeof envelopeVersion;
  eventId: string;
  schemaVersion: number;
  recordedAt: string;
  prevHash: string;
  hash: string;
  metadata: EventMetadata;
  $correlationId?: string;
  $causationId?: string;
}

export function isKontorEnvelope(value: unknown): value is KontorEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as Partial<KontorEnvelope>;
  return (
    envelope.kontor === envelopeVersion &&
    typeof envelope.eventId === 'string' &&
    typeof envelope.schemaVersion === 'number' &&
    typeof envelope.recordedAt === 'string' &&
    typeof envelope.prevHash === 'string' &&
    typeof envelope.hash === 'string' &&
    typeof envelope.metadata === 'object' &&
    envelope.metadata !== null
  );
}

/** The global position of a KurrentDB event: its commit position in `$all`. */
export function commitPosition(event: KurrentRecordedEvent): bigint {
  if (event.position === undefined) {
    throw new Error(
      `KurrentDB returned event ${event.id} without a position: Kontor needs KurrentDB (or EventStoreDB) 22.6 or later`,
    );
  }
  return event.position.commit;
}

/** A stored Kontor event from its KurrentDB record. */
export function toRecordedEvent(event: KurrentRecordedEvent, naming: StreamNaming): RecordedEvent {
  const envelope = event.metadata;
  assert(
    event.isJson && isKontorEnvelope(envelope),
    `event ${event.id} of KurrentDB stream ${event.streamId} was not written by Kontor (the database must be Kontor's own)`,
  );
  return {
    eventId: envelope.eventId,
    streamId: naming.streamIdOf(event.streamId),
    revision: Number(event.revision),
    position: commitPosition(event),
    type: event.type,
    schemaVersion: envelope.schemaVersion,
    data: event.data,
    metadata: envelope.metadata,
    recordedAt: envelope.recordedAt,
    prevHash: envelope.prevHash,
    hash: envelope.hash,
  };
}
