import { personOf } from '../../access/index.js';
import { SqlDatabase, SqlValue, toBigInt } from '../../infrastructure/sql/index.js';
import { AuditEntry, AuditFilter } from '../domain/audit-entry.js';
import { auditTrailTable } from './audit-trail.projection.js';

export const auditPageLimitDefault = 100;
export const auditPageLimitMax = 1000;
/** Rows per query while an export streams (memory stays constant whatever the filter matches). */
export const auditExportBatchSize = 1000;

export interface AuditPage {
  items: AuditEntry[];
  /** The cursor of the next page (the last position of this one); null when nothing follows. */
  nextAfter: bigint | null;
}

interface AuditRow {
  position: unknown;
  recorded_at: string;
  type: string;
  stream_id: string;
  book: string | null;
  actor_id: string;
  actor_name: string;
  correlation_id: string | null;
  causation_id: string | null;
  summary: string;
  data: string;
}

/** WHERE clause and parameters of a filter; every part is AND-ed. */
export function auditWhere(
  filter: AuditFilter,
  after: bigint,
): { sql: string; params: SqlValue[] } {
  const parts: string[] = ['position > ?'];
  const params: SqlValue[] = [after];
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    parts.push(`${column} = ?`);
    params.push(value);
  };
  equal('book', filter.book);
  equal('type', filter.type);
  equal('stream_id', filter.stream);
  equal('correlation_id', filter.correlationId);
  if (filter.actor !== undefined) {
    // A name matches as SoD compares persons: case-folded, invisible characters ignored.
    parts.push('(actor_id = ? OR actor_person = ?)');
    params.push(filter.actor, personOf(filter.actor));
  }
  if (filter.from !== undefined) {
    parts.push('recorded_at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('recorded_at < ?');
    params.push(filter.to);
  }
  if (filter.untilPosition !== undefined) {
    parts.push('position <= ?');
    params.push(filter.untilPosition);
  }
  if (filter.visibleBooks !== undefined) {
    if (filter.visibleBooks.length === 0) parts.push('1 = 0');
    else {
      parts.push(`book IN (${filter.visibleBooks.map(() => '?').join(', ')})`);
      params.push(...filter.visibleBooks);
    }
  }
  return { sql: parts.join(' AND '), params };
}

const columns =
  'position, recorded_at, type, stream_id, book, actor_id, actor_name, correlation_id, causation_id, summary, data';

/**
 * SQLite walks the table in position order for a time range without an equality filter, reading
 * every row before the range; `+position` makes it read the `recorded_at` index range instead
 * and sort only that range's positions (docs/benchmarks.md: one week of 1M events).
 */
function orderBy(db: SqlDatabase, filter: AuditFilter): string {
  const timeOnly =
    (filter.from !== undefined || filter.to !== undefined) &&
    filter.book === undefined &&
    filter.actor === undefined &&
    filter.type === undefined &&
    filter.stream === undefined &&
    filter.correlationId === undefined;
  return db.dialect === 'sqlite' && timeOnly ? '+position' : 'position';
}

async function selectEntries(
  db: SqlDatabase,
  filter: AuditFilter,
  after: bigint,
  limit: number,
): Promise<AuditEntry[]> {
  const where = auditWhere(filter, after);
  const rows = await db.query<AuditRow>(
    `SELECT ${columns} FROM ${auditTrailTable} WHERE ${where.sql} ORDER BY ${orderBy(db, filter)} LIMIT ?`,
    [...where.params, limit],
  );
  return rows.map(toEntry);
}

/** One page after the cursor, oldest first (newest last). */
export async function readAuditPage(
  db: SqlDatabase,
  filter: AuditFilter,
  after: bigint,
  limit: number,
): Promise<AuditPage> {
  const rows = await selectEntries(db, filter, after, limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextAfter: rows.length > limit && last ? last.position : null };
}

/** Every matching entry in position order, read in bounded batches (constant memory). */
export async function* streamAuditEntries(
  db: SqlDatabase,
  filter: AuditFilter,
  batchSize = auditExportBatchSize,
): AsyncGenerator<AuditEntry> {
  let after = 0n;
  for (;;) {
    const batch = await selectEntries(db, filter, after, batchSize);
    yield* batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]!.position;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    position: toBigInt(row.position),
    recordedAt: row.recorded_at,
    type: row.type,
    streamId: row.stream_id,
    book: row.book,
    actor: { id: row.actor_id, name: row.actor_name },
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    summary: row.summary,
    data: JSON.parse(row.data),
  };
}
