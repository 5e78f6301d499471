import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { toAuditEntry } from '../domain/audit-entry.js';

export const auditTrailProjectionName = 'audit-trail';
/** Bump when the table's shape or meaning changes (summaries included): the next start rebuilds. */
export const auditTrailProjectionVersion = 1;
export const auditTrailTable = 'audit_trail';

/**
 * One index per filter of `GET /v1/audit`, each ending in `position`, so "filter = x AND position
 * > cursor ORDER BY position LIMIT n" is a range scan that stops after n rows; plus time indexes
 * for `from`/`to` (alone and with `book`). docs/audit.md has the query plans and figures.
 */
export const auditTrailIndexes: readonly [name: string, columns: string][] = [
  ['audit_trail_book', 'book, position'],
  ['audit_trail_actor_id', 'actor_id, position'],
  ['audit_trail_actor_name', 'actor_name, position'],
  ['audit_trail_type', 'type, position'],
  ['audit_trail_stream', 'stream_id, position'],
  ['audit_trail_correlation', 'correlation_id, position'],
  ['audit_trail_recorded', 'recorded_at, position'],
  ['audit_trail_book_recorded', 'book, recorded_at, position'],
];

function tableStatement(db: SqlDatabase): string {
  // SQLite: INTEGER PRIMARY KEY is the rowid, so every index already ends in the position.
  const positionColumn = db.dialect === 'sqlite' ? 'position INTEGER PRIMARY KEY' : 'position BIGINT PRIMARY KEY';
  return `CREATE TABLE IF NOT EXISTS ${auditTrailTable} (
    ${positionColumn},
    recorded_at TEXT NOT NULL,
    type TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    book TEXT,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    correlation_id TEXT,
    causation_id TEXT,
    summary TEXT NOT NULL,
    data TEXT NOT NULL
  )`;
}

/**
 * The audit trail (Aufzeichnungen): every event of the log, one row each, with its position,
 * time, type, stream, book, actor, correlation, causation and a one-line summary. Insert-only;
 * `ON CONFLICT DO NOTHING` makes a batch applied twice (two processes on one read model) harmless.
 */
export const auditTrailProjection: Projection = {
  name: auditTrailProjectionName,
  version: auditTrailProjectionVersion,
  handles: () => true,
  async setup(db) {
    await db.execute(tableStatement(db));
    for (const [name, columns] of auditTrailIndexes) {
      await db.execute(`CREATE INDEX IF NOT EXISTS ${name} ON ${auditTrailTable} (${columns})`);
    }
  },
  async reset(db) {
    await db.execute(`DROP TABLE IF EXISTS ${auditTrailTable}`);
  },
  apply: insertAuditEntry,
};

async function insertAuditEntry(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const entry = toAuditEntry(event);
  await tx.execute(
    `INSERT INTO ${auditTrailTable}
       (position, recorded_at, type, stream_id, book, actor_id, actor_name, correlation_id, causation_id, summary, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (position) DO NOTHING`,
    [
      entry.position,
      entry.recordedAt,
      entry.type,
      entry.streamId,
      entry.book,
      entry.actor.id,
      entry.actor.name,
      entry.correlationId,
      entry.causationId,
      entry.summary,
      JSON.stringify(entry.data),
    ],
  );
}
