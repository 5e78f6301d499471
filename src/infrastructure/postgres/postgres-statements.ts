import { PoolClient, QueryResult } from 'pg';
import {
  genesisHash,
  NewEvent,
  RecordedEvent,
  StoredEventLocation,
  ValidationError,
} from '../../event-sourcing/index.js';
import { prepareEvent, PreparedEvent, StoredLink } from '../event-store/index.js';
import { EventRow, LogState, PendingAppend } from './append-batch.js';

/** The PostgreSQL event store's rows, and the statements of its append transaction. */

/** Classid of the append lock (pg_advisory_xact_lock(int, int)): "KoAp". */
const appendLockClass = 0x4b6f4170;

export interface EventRecordRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

export const eventColumns =
  'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash';

/** An events row with `data` and `metadata` as their stored text (what verify hashes). */
export interface StoredTextRow extends Omit<EventRecordRow, 'data' | 'metadata'> {
  data: string;
  metadata: string;
}
export const storedTextColumns =
  'position, event_id, stream_id, revision, type, schema_version, data::text AS data, metadata::text AS metadata, recorded_at, prev_hash, hash';

/** PostgreSQL text cannot hold NUL (JSON escapes it, so data and metadata can). */
export function checkStorableText(field: string, value: string): void {
  if (value.includes('\u0000')) {
    throw new ValidationError(`${field} contains a NUL character`, [
      { field, message: 'must not contain NUL' },
    ]);
  }
}

/** An event made ready for the events table, refusing what PostgreSQL text cannot hold. */
export function prepareStorableEvent(event: NewEvent): PreparedEvent {
  checkStorableText('eventId', event.eventId);
  checkStorableText('type', event.type);
  return prepareEvent(event);
}

interface LogStateRow {
  head: { position: string; hash: string } | null;
  stored: { event_id: string; stream_id: string; revision: number; position: string }[] | null;
  streams: { stream_id: string; revision: number | null }[];
}

/**
 * Opens the append transaction, takes the append lock, then reads the head, the stored events
 * whose ids the batch carries and the last revision of its streams — in one round trip. The
 * read is its own statement after the lock, so its snapshot sees every append committed before
 * (READ COMMITTED takes a snapshot per statement).
 */
export async function lockAndReadLogState(
  client: PoolClient,
  schemaLockKey: number,
  batch: readonly PendingAppend[],
): Promise<LogState> {
  const textArray = (values: string[]) =>
    `ARRAY[${values.map((value) => client.escapeLiteral(value)).join(',')}]::text[]`;
  const eventIds = textArray(
    batch.flatMap((append) => append.events.map((event) => event.eventId)),
  );
  const streamIds = textArray([...new Set(batch.map((append) => append.streamId))]);
  const results = (await client.query(`
    BEGIN;
    SELECT pg_advisory_xact_lock(${appendLockClass}, ${schemaLockKey});
    SELECT
      (SELECT json_build_object('position', position::text, 'hash', hash)
         FROM events ORDER BY position DESC LIMIT 1) AS head,
      (SELECT json_agg(json_build_object('event_id', event_id, 'stream_id', stream_id,
                                         'revision', revision, 'position', position::text))
         FROM events WHERE event_id = ANY(${eventIds})) AS stored,
      (SELECT json_agg(json_build_object('stream_id', s.id,
                                         'revision', (SELECT max(revision) FROM events WHERE stream_id = s.id)))
         FROM unnest(${streamIds}) AS s(id)) AS streams`)) as unknown as QueryResult<LogStateRow>[];
  const row = results[2]!.rows[0]!;
  const stored = new Map<string, StoredEventLocation>();
  for (const event of row.stored ?? []) {
    stored.set(event.event_id, {
      streamId: event.stream_id,
      revision: event.revision,
      position: BigInt(event.position),
    });
  }
  const lastRevisions = new Map<string, number | undefined>();
  for (const stream of row.streams)
    lastRevisions.set(stream.stream_id, stream.revision ?? undefined);
  return {
    headPosition: row.head ? BigInt(row.head.position) : 0n,
    headHash: row.head?.hash ?? genesisHash,
    stored,
    lastRevisions,
  };
}

/** One statement for the whole batch: arrays of columns, unnested. */
export async function insertRows(client: PoolClient, rows: readonly EventRow[]): Promise<void> {
  await client.query(
    `INSERT INTO events (${eventColumns})
     SELECT position, event_id, stream_id, revision, type, schema_version, data::json, metadata::json,
            recorded_at, prev_hash, hash
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[],
                   $9::timestamptz[], $10::text[], $11::text[])
         AS r(position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash)`,
    [
      rows.map((row) => row.position.toString()),
      rows.map((row) => row.eventId),
      rows.map((row) => row.streamId),
      rows.map((row) => row.revision),
      rows.map((row) => row.type),
      rows.map((row) => row.schemaVersion),
      rows.map((row) => row.dataJson),
      rows.map((row) => row.metadataJson),
      rows.map((row) => row.recordedAt),
      rows.map((row) => row.prevHash),
      rows.map((row) => row.hash),
    ],
  );
}

export function toRecordedEvent(row: EventRecordRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A stored row as the chain check reads it. */
export function toStoredLink(row: StoredTextRow): StoredLink {
  const position = BigInt(row.position);
  return {
    position,
    prevHash: row.prev_hash,
    hash: row.hash,
    parts: {
      eventId: row.event_id,
      streamId: row.stream_id,
      revision: row.revision,
      position,
      type: row.type,
      schemaVersion: row.schema_version,
      dataJson: row.data,
      metadataJson: row.metadata,
      recordedAt: row.recorded_at.toISOString(),
    },
  };
}
