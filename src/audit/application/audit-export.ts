import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { EventMetadata, EventStore, newId, readBatchSizeMax } from '../../event-sourcing/index.js';
import {
  AuditEntry,
  AuditFilter,
  describeFilter,
  matchesAuditFilter,
  toAuditEntry,
} from '../domain/audit-entry.js';
import { CsvDialect, csvWriter } from '../../event-sourcing/csv/index.js';
import { AuditExportFormat, exportHeader, exportRow } from '../domain/audit-export-format.js';
import {
  auditExportsStreamId,
  AuditTrailExportedData,
  AuditTrailExportStartedData,
} from '../domain/audit-export.events.js';

/** Rows are sent in chunks of about this many characters (fewer, larger writes). */
export const exportChunkCharacters = 64 * 1024;

export interface AuditExportOutcome {
  completed: boolean;
  rowCount: number;
  sha256: string;
}

export interface AuditExportPlan {
  exportId: string;
  format: AuditExportFormat;
  /** CSV only; `standard` when absent. */
  dialect?: CsvDialect;
  filter: AuditFilter;
  untilPosition: bigint;
}

/**
 * The export file as a stream: the header and one line per entry, nothing else, so a spreadsheet
 * opens it as it is. Its sha256 is computed over the bytes as they leave and recorded in the log
 * by `onEnd` (GET /v1/audit/exports/:id). Pulled on demand (backpressure), so memory stays
 * constant. `onEnd` runs once, when the file was read to its end (completed) or the reader went
 * away or a read failed (not completed: the hash then covers what was produced).
 */
export function auditExportStream(
  plan: AuditExportPlan,
  entries: AsyncIterable<AuditEntry>,
  onEnd: (outcome: AuditExportOutcome) => Promise<void>,
): Readable {
  const csv = csvWriter(plan.dialect);
  async function* chunks(): AsyncGenerator<string> {
    const hash = createHash('sha256');
    let rowCount = 0;
    let completed = false;
    try {
      let chunk = exportHeader(plan.format, csv);
      for await (const entry of entries) {
        chunk += exportRow(plan.format, entry, csv);
        rowCount += 1;
        if (chunk.length >= exportChunkCharacters) {
          hash.update(chunk);
          yield chunk;
          chunk = '';
        }
      }
      hash.update(chunk);
      yield chunk;
      completed = true;
    } finally {
      await onEnd({ completed, rowCount, sha256: hash.digest('hex') });
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Records exports on the `audit-exports` stream; the actor is in the metadata. */
export class AuditExportRecorder {
  constructor(private readonly store: EventStore) {}

  async started(plan: AuditExportPlan, metadata: EventMetadata): Promise<void> {
    await this.store.append(auditExportsStreamId, [
      {
        eventId: newId(),
        type: 'AuditTrailExportStarted',
        data: startedData(plan),
        metadata: withBook(metadata, plan.filter),
      },
    ]);
  }

  async finished(
    plan: AuditExportPlan,
    outcome: AuditExportOutcome,
    metadata: EventMetadata,
  ): Promise<void> {
    const data: AuditTrailExportedData = { ...startedData(plan), ...outcome };
    await this.store.append(auditExportsStreamId, [
      {
        eventId: newId(),
        type: 'AuditTrailExported',
        data,
        metadata: withBook(metadata, plan.filter),
      },
    ]);
  }
}

function startedData(plan: AuditExportPlan): AuditTrailExportStartedData {
  const { untilPosition: _until, ...filter } = plan.filter;
  return {
    exportId: plan.exportId,
    format: plan.format,
    ...(plan.format === 'csv' ? { dialect: plan.dialect ?? 'standard' } : {}),
    filter: describeFilter(filter),
    untilPosition: plan.untilPosition.toString(),
  };
}

/** An export of one book belongs to that book (book-restricted readers of the log see it). */
function withBook(metadata: EventMetadata, filter: AuditFilter): EventMetadata {
  return filter.book !== undefined ? { ...metadata, book: filter.book } : metadata;
}

/**
 * The audit entries straight from the log, filtered by the same rule as the SQL query: what the
 * CLI exports (no read model needed) and the oracle of the tests.
 */
export async function* auditEntriesFromLog(
  store: EventStore,
  filter: AuditFilter,
): AsyncGenerator<AuditEntry> {
  let after = 0n;
  for (;;) {
    const batch = await store.readAll({
      after,
      limit: readBatchSizeMax,
      ...(filter.untilPosition !== undefined ? { until: filter.untilPosition } : {}),
    });
    for (const event of batch) {
      const entry = toAuditEntry(event);
      if (matchesAuditFilter(entry, filter)) yield entry;
    }
    if (batch.length < readBatchSizeMax) return;
    after = batch[batch.length - 1]!.position;
  }
}
