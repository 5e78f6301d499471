import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { RecordedEvent } from '../../event-sourcing/index.js';
import { StoredLink } from '../event-store/index.js';

/** The SQLite event store's rows and prepared statements. */

/**
 * An events row as the store reads it: every statement reading events returns rows as arrays
 * (`raw`), which cost less to build than objects — a rebuild reads every row of the log.
 */
export type EventRow = [
  position: number,
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  recordedAt: string,
  prevHash: string,
  hash: string,
];

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const [position, eventId, streamId, revision, type, schemaVersion, data, metadata, recordedAt] =
    row;
  return {
    eventId,
    streamId,
    revision,
    position: BigInt(position),
    type,
    schemaVersion,
    data: JSON.parse(data),
    metadata: JSON.parse(metadata),
    recordedAt,
    prevHash: row[9],
    hash: row[10],
  };
}

/** A row as the chain check reads it. */
export function toStoredLink(row: EventRow): StoredLink {
  const [position, eventId, streamId, revision, type, schemaVersion, data, metadata, recordedAt] =
    row;
  return {
    position: BigInt(position),
    prevHash: row[9],
    hash: row[10],
    parts: {
      eventId,
      streamId,
      revision,
      position: BigInt(position),
      type,
      schemaVersion,
      dataJson: data,
      metadataJson: metadata,
      recordedAt,
    },
  };
}

export function prepareReadStatements(db: SqliteDatabase) {
  const columns =
    'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
  return {
    readStream: db
      .prepare<[string, number, number], EventRow>(
        `SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
      )
      .raw(true),
    // readAll and verify: the same rows, one mapped to events, the other to chain links.
    readAll: db
      .prepare<[bigint, bigint, number], EventRow>(
        `SELECT ${columns} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      )
      .raw(true),
    selectHead: db.prepare<[], { position: number; hash: string }>(
      'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
    ),
    selectHashAt: db.prepare<[bigint], { hash: string }>(
      'SELECT hash FROM events WHERE position = ?',
    ),
    selectLastRevision: db.prepare<[string], { revision: number }>(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    selectEventLocation: db.prepare<
      [string],
      { stream_id: string; revision: number; position: number }
    >('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    selectSnapshot: db.prepare<[string], { revision: number; state: string }>(
      'SELECT revision, state FROM snapshots WHERE stream_id = ?',
    ),
  };
}

export type InsertEvent = Statement<
  [bigint, string, string, number, string, number, string, string, string, string, string]
>;

export function prepareWriteStatements(db: SqliteDatabase) {
  return {
    insertEvent: db.prepare(
      `INSERT INTO events (position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ) as InsertEvent,
    // Latest revision wins: an older snapshot saved late never replaces a newer one.
    upsertSnapshot: db.prepare<[string, number, string, string]>(
      `INSERT INTO snapshots (stream_id, revision, state, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, state = excluded.state, saved_at = excluded.saved_at
       WHERE excluded.revision >= snapshots.revision`,
    ),
  };
}
