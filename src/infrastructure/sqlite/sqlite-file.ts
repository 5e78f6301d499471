import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { Digest, RecordedEvent } from '../../event-sourcing/index.js';
import { canonicalJson, chainHashFromParts } from '../event-store/index.js';
import { InsertEvent } from './sqlite-statements.js';
import { eventStoreMigrationComponent, eventStoreMigrations } from './event-store.migrations.js';
import { appliedSqliteMigrations, migrateSqlite } from './migrations.js';

/** How long a connection waits for another process's write lock before failing. */
export const sqliteBusyTimeoutMilliseconds = 10_000;
/**
 * WAL pages between automatic checkpoints (SQLite's default is 1,000). Random event ids dirty
 * about one index page per event; a longer WAL lets a checkpoint write each page once for many
 * commits instead of once per few commits.
 */
export const walAutocheckpointPages = 10_000;
/** After a checkpoint the WAL file is truncated to at most this size. */
export const walSizeLimitBytes = 64 * 1024 * 1024;

/**
 * Opens the events file: writable in WAL mode with synchronous=FULL, migrated; or read-only, when
 * it must already exist at the current schema version.
 */
export function openSqliteEventsFile(file: string, readOnly: boolean): SqliteDatabase {
  if (readOnly && !existsSync(file))
    throw new Error(`no event store at ${file}: a read-only store must already exist`);
  const db = new Database(file, readOnly ? { readonly: true, fileMustExist: true } : {});
  try {
    db.pragma(`busy_timeout = ${sqliteBusyTimeoutMilliseconds}`);
    if (readOnly) {
      const applied = appliedSqliteMigrations(db, eventStoreMigrationComponent);
      if (applied.length !== eventStoreMigrations.length) {
        throw new Error(
          `${file} has event store schema version ${applied.length}, expected ${eventStoreMigrations.length}; open it writable once to migrate`,
        );
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
      db.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
      migrateSqlite(db, eventStoreMigrationComponent, eventStoreMigrations);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Stores events recorded elsewhere exactly as they are, in one IMMEDIATE transaction, and only if
 * each continues the chain from the head: position head + 1, prevHash the head's hash, and its
 * hash recomputes.
 */
export function importChained(
  db: SqliteDatabase,
  insertEvent: InsertEvent,
  readHead: () => Digest,
  events: readonly RecordedEvent[],
): void {
  const importAll = db.transaction(() => {
    let head = readHead();
    for (const event of events) {
      const parts = {
        ...event,
        dataJson: canonicalJson(event.data, 'data'),
        metadataJson: canonicalJson(event.metadata, 'metadata'),
      };
      if (event.position !== head.position + 1n)
        throw new Error(
          `import: position ${event.position} does not follow the head ${head.position}`,
        );
      if (event.prevHash !== head.hash)
        throw new Error(
          `import: prevHash of position ${event.position} is not the hash of position ${head.position}`,
        );
      if (chainHashFromParts(event.prevHash, parts) !== event.hash)
        throw new Error(`import: the hash of position ${event.position} does not recompute`);
      insertEvent.run(
        event.position,
        event.eventId,
        event.streamId,
        event.revision,
        event.type,
        event.schemaVersion,
        parts.dataJson,
        parts.metadataJson,
        event.recordedAt,
        event.prevHash,
        event.hash,
      );
      head = { position: event.position, hash: event.hash };
    }
  });
  importAll.immediate();
}
