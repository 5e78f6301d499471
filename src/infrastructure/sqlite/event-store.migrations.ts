import { SqliteMigration } from './migrations.js';

export const eventStoreMigrationComponent = 'event-store';

/**
 * The log (`events`, append-only: triggers reject UPDATE and DELETE) and the snapshots beside it.
 * `data` and `metadata` hold canonical JSON (RFC 8785) text, the form the hash chain covers.
 */
export const eventStoreMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'events, snapshots, immutability triggers',
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY CHECK (position >= 1),
        event_id TEXT NOT NULL UNIQUE,
        stream_id TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 0),
        type TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        UNIQUE (stream_id, revision)
      ) STRICT;

      CREATE TRIGGER events_reject_update BEFORE UPDATE ON events
      BEGIN
        SELECT RAISE(ABORT, 'events are immutable: UPDATE rejected');
      END;

      CREATE TRIGGER events_reject_delete BEFORE DELETE ON events
      BEGIN
        SELECT RAISE(ABORT, 'events are immutable: DELETE rejected');
      END;

      CREATE TABLE snapshots (
        stream_id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL CHECK (revision >= 0),
        state TEXT NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];
