import { Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { KontorConfig } from '../../config.js';
import { EventMetadata, EventStore, newId } from '../../event-sourcing/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { AuditFilter } from '../domain/audit-entry.js';
import { CsvDialect } from '../../event-sourcing/csv/index.js';
import { AuditExportFormat } from '../domain/audit-export-format.js';
import { streamAuditEntries } from '../projections/audit-trail.queries.js';
import { AuditExportPlan, AuditExportRecorder, auditExportStream } from './audit-export.js';
import { AuditExportRecord, findAuditExport } from './audit-export-record.js';

export interface StartedExport {
  exportId: string;
  untilPosition: bigint;
  stream: Readable;
}

/**
 * Exports from the audit-trail read model, pinned to the position it had reached when the export
 * started. Recorded in the log before the first byte and again at the end (with the checksum, or
 * `completed: false`); a read-only instance (an auditor's replayed copy) cannot record and says so
 * in its log output.
 */
@Injectable()
export class AuditExportService {
  private readonly logger = new Logger('AuditExport');
  private readonly recorder: AuditExportRecorder;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
  ) {
    this.recorder = new AuditExportRecorder(store);
  }

  async start(
    file: { format: AuditExportFormat; dialect?: CsvDialect },
    filter: AuditFilter,
    untilPosition: bigint,
    metadata: EventMetadata,
  ): Promise<StartedExport> {
    const { format, dialect } = file;
    const plan: AuditExportPlan = {
      exportId: newId(),
      format,
      ...(dialect === undefined ? {} : { dialect }),
      filter: { ...filter, untilPosition },
      untilPosition,
    };
    const record = !this.config.readOnly;
    if (record) await this.recorder.started(plan, metadata);
    else
      this.logger.warn(
        `read-only instance: export ${plan.exportId} by ${metadata.actor.name} is not recorded in the log`,
      );
    const stream = auditExportStream(
      plan,
      streamAuditEntries(this.db, plan.filter),
      async (outcome) => {
        if (!record) return;
        await this.recorder.finished(plan, outcome, metadata).catch((error: unknown) => {
          this.logger.error(
            `could not record the end of export ${plan.exportId}: ${error instanceof Error ? error.message : String(error)}`,
          );
        });
      },
    );
    return { exportId: plan.exportId, untilPosition, stream };
  }

  /** The recorded export, or undefined when unknown or of a book the reader may not see. */
  async find(
    exportId: string,
    visibleBooks?: readonly string[],
  ): Promise<AuditExportRecord | undefined> {
    const record = await findAuditExport(this.store, exportId);
    if (record === undefined || visibleBooks === undefined) return record;
    return record.book !== null && visibleBooks.includes(record.book) ? record : undefined;
  }
}
