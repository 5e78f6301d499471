import { DomainEvent } from '../../event-sourcing/index.js';
import { CsvDialect } from '../../event-sourcing/csv/index.js';
import { AuditExportFormat } from './audit-export-format.js';

/** Every audit export is recorded on this stream: who exported which filter, when (GoBD: access is traceable). */
export const auditExportsStreamId = 'audit-exports';

export interface AuditTrailExportStartedData {
  exportId: string;
  format: AuditExportFormat;
  /** CSV exports: the dialect (`standard` or `de`); absent in events before it existed. */
  dialect?: CsvDialect;
  /** The filters as given (see describeFilter), positions as strings. */
  filter: Record<string, string>;
  /** The snapshot the export reads: entries up to this position. */
  untilPosition: string;
}

export interface AuditTrailExportedData extends AuditTrailExportStartedData {
  /** false when the reader went away before the end (rowCount then counts what was sent). */
  completed: boolean;
  rowCount: number;
  /** sha256 (hex) of the whole file; of what was produced when not completed. */
  sha256: string;
}

/** Appended before the first byte leaves: even an export that never finishes is on record. */
export type AuditTrailExportStarted = DomainEvent<
  'AuditTrailExportStarted',
  AuditTrailExportStartedData
>;
/** Appended when the export ended, with its checksum, or as `completed: false` when aborted. */
export type AuditTrailExported = DomainEvent<'AuditTrailExported', AuditTrailExportedData>;
export type AuditExportEvent = AuditTrailExportStarted | AuditTrailExported;

export const auditExportEventTypes: readonly AuditExportEvent['type'][] = [
  'AuditTrailExportStarted',
  'AuditTrailExported',
];
