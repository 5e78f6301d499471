/** Who caused an event: an API key (id and the person's name) or the system itself. */
export interface Actor {
  id: string;
  name: string;
}

/** Carried by every event; the audit trail is built from it. */
export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId?: string;
  commandId?: string;
  book?: string;
  [key: string]: unknown;
}

/** An event about to be appended. `eventId` is chosen by the caller (idempotency key of the append). */
export interface NewEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  type: Type;
  schemaVersion?: number;
  data: Data;
  metadata: EventMetadata;
}

/** An event as stored: immutable, positioned in its stream and in the global log, hash-chained. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  streamId: string;
  /** Per stream, from 0. */
  revision: number;
  /** Global, from 1, gap-free, in commit order. */
  position: bigint;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  /** ISO 8601 UTC, set by the store when it commits. */
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** A domain event before it is given ids and metadata (what deciders return). */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  schemaVersion?: number;
}
