import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, SqlValue } from '../../infrastructure/sql/index.js';
import { personOf } from '../../access/index.js';
import { toAuditEntry } from '../domain/audit-entry.js';

export const auditTrailProjectionName = 'audit-trail';
/** Bump when the table's shape or meaning changes (summaries included): the next start rebuilds. */
export const auditTrailProjectionVersion = 2;
export const auditTrailTable = 'audit_trail';

/**
 * One index per filter of `GET /v1/audit`, each ending in `position`, so "filter = x AND position
 * > cursor ORDER BY position LIMIT n" is a range scan that stops after n rows; plus time indexes
 * for `from`/`to` (alone and with `book`). docs/audit.md has the query plans and figures.
 */
export const auditTrailIndexes: readonly [name: string, columns: string][] = [
  ['audit_trail_book', 'book, position'],
  ['audit_trail_actor_id', 'actor_id, position'],
  ['audit_trail_actor_person', 'actor_person, position'],
  ['audit_trail_type', 'type, position'],
  ['audit_trail_stream', 'stream_id, position'],
  ['audit_trail_correlation', 'correlation_id, position'],
  ['audit_trail_recorded', 'recorded_at, position'],
  ['audit_trail_book_recorded', 'book, recorded_at, position'],
];

function tableStatement(db: SqlDatabase): string {
  // SQLite: INTEGER PRIMARY KEY is the rowid, so every index already ends in the position.
  const positionColumn =
    db.dialect === 'sqlite' ? 'position INTEGER PRIMARY KEY' : 'position BIGINT PRIMARY KEY';
  return `CREATE TABLE IF NOT EXISTS ${auditTrailTable} (
    ${positionColumn},
    recorded_at TEXT NOT NULL,
    type TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    book TEXT,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_person TEXT NOT NULL,
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
  /** A rebuild fills the bare table; `setup` builds the indexes once at its end. */
  async setupForRebuild(db) {
    await db.execute(tableStatement(db));
  },
  async reset(db) {
    await db.execute(`DROP TABLE IF EXISTS ${auditTrailTable}`);
  },
  apply: insertAuditEntry,
  applyBatch: insertAuditEntries,
};

const auditTrailColumns =
  'position, recorded_at, type, stream_id, book, actor_id, actor_name, actor_person, correlation_id, causation_id, summary, data';
const auditTrailColumnCount = 12;
/** Parameters per multi-row statement (SQLite allows 32,766, PostgreSQL 65,535). */
const statementParametersMax = 10_000;
const rowsPerStatementMax = Math.floor(statementParametersMax / auditTrailColumnCount);
const singleRowInsertStatement = insertStatement(1);

async function insertAuditEntry(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  await tx.execute(singleRowInsertStatement, auditRow(event));
}

/**
 * The rows of `insertAuditEntry` on each event. PostgreSQL: multi-row statements, as few as the
 * parameter limit allows (a round-trip each). SQLite: one cached single-row statement per event,
 * which measured 7–10 % faster there than multi-row ones (docs/benchmarks.md, "Audit").
 */
async function insertAuditEntries(
  events: readonly RecordedEvent[],
  tx: SqlDatabase,
): Promise<void> {
  if (tx.dialect === 'sqlite') {
    for (const event of events) await insertAuditEntry(event, tx);
    return;
  }
  for (let start = 0; start < events.length; start += rowsPerStatementMax) {
    const chunk = events.slice(start, start + rowsPerStatementMax);
    await tx.execute(insertStatement(chunk.length), chunk.flatMap(auditRow));
  }
}

function insertStatement(rows: number): string {
  const row = `(${new Array<string>(auditTrailColumnCount).fill('?').join(', ')})`;
  return `INSERT INTO ${auditTrailTable} (${auditTrailColumns}) VALUES ${new Array<string>(rows).fill(row).join(', ')} ON CONFLICT (position) DO NOTHING`;
}

function auditRow(event: RecordedEvent): SqlValue[] {
  const entry = toAuditEntry(event);
  return [
    entry.position,
    entry.recordedAt,
    entry.type,
    entry.streamId,
    entry.book,
    entry.actor.id,
    entry.actor.name,
    personOf(entry.actor.name),
    entry.correlationId,
    entry.causationId,
    entry.summary,
    JSON.stringify(entry.data),
  ];
}
