import { EventStore, RecordedEvent, readBatchSizeMax } from '../../event-sourcing/index.js';
import {
  AuditTrailExportedData,
  AuditTrailExportStartedData,
  auditExportsStreamId,
} from '../domain/audit-export.events.js';

/** What the log says about one export: `GET /v1/audit/exports/:id`. */
export interface AuditExportRecord {
  id: string;
  /** running: started, no end recorded yet; aborted: the reader went away before the end. */
  status: 'running' | 'completed' | 'aborted';
  format: AuditTrailExportStartedData['format'];
  dialect: string | null;
  filter: Record<string, string>;
  untilPosition: string;
  rowCount: number | null;
  sha256: string | null;
  book: string | null;
  actor: { id: string; name: string };
  startedAt: string;
  finishedAt: string | null;
  /** Log positions of the two events (the end's is null while running). */
  startedPosition: string;
  finishedPosition: string | null;
}

/**
 * Reads the `audit-exports` stream for the export's two events. The stream holds two events per
 * export (a human action), so a scan is cheap next to the exports themselves.
 */
export async function findAuditExport(
  store: EventStore,
  exportId: string,
): Promise<AuditExportRecord | undefined> {
  let started: RecordedEvent | undefined;
  let finished: RecordedEvent | undefined;
  let fromRevision = 0;
  for (;;) {
    const batch = await store.readStream(auditExportsStreamId, {
      fromRevision,
      limit: readBatchSizeMax,
    });
    for (const event of batch) {
      if ((event.data as { exportId?: unknown }).exportId !== exportId) continue;
      if (event.type === 'AuditTrailExportStarted') started = event;
      if (event.type === 'AuditTrailExported') finished = event;
    }
    if (finished !== undefined || batch.length < readBatchSizeMax) break;
    fromRevision = batch[batch.length - 1]!.revision + 1;
  }
  const first = started ?? finished;
  return first === undefined ? undefined : recordOf(first, finished);
}

function recordOf(first: RecordedEvent, finished: RecordedEvent | undefined): AuditExportRecord {
  const data = first.data as AuditTrailExportStartedData;
  const end = finished?.data as AuditTrailExportedData | undefined;
  const metadata = first.metadata as { book?: string; actor?: { id: string; name: string } };
  return {
    id: data.exportId,
    status: end === undefined ? 'running' : end.completed ? 'completed' : 'aborted',
    format: data.format,
    dialect: data.dialect ?? (data.format === 'csv' ? 'standard' : null),
    filter: data.filter,
    untilPosition: data.untilPosition,
    rowCount: end?.rowCount ?? null,
    sha256: end?.sha256 ?? null,
    book: metadata.book ?? null,
    actor: metadata.actor ?? { id: 'unknown', name: 'unknown' },
    startedAt: first.recordedAt,
    finishedAt: finished?.recordedAt ?? null,
    startedPosition: first.position.toString(),
    finishedPosition: finished?.position.toString() ?? null,
  };
}
