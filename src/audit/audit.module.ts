import { Module } from '@nestjs/common';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { AuditController } from './api/audit.controller.js';
import { EntryEventsController } from './api/entry-events.controller.js';
import { VerifyController } from './api/verify.controller.js';
import { AuditExportService } from './application/audit-export.service.js';
import { AuditTrailRegistration } from './projections/audit-trail.registration.js';

export { exportAuditFromCli } from './application/cli-export.js';

/**
 * The audit module (docs/audit.md): the audit-trail projection and its query
 * (`GET /v1/audit`), streamed exports with a checksum (`GET /v1/audit/export`), and the hash
 * chain's verify and digest, and one journal entry's events
 * (`GET /v1/books/:book/journal-entries/:id/events`). The CLI's `verify --digest` and `replay` live in application/.
 */
@Module({
  imports: [LedgerReadModule],
  controllers: [AuditController, VerifyController, EntryEventsController],
  providers: [AuditTrailRegistration, AuditExportService],
})
export class AuditModule {}
