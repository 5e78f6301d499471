import { Module } from '@nestjs/common';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PartiesModule } from '../parties/parties.module.js';
import { DatevController } from './api/datev.controller.js';
import { GobdController } from './api/gobd.controller.js';
import { VatReturnController } from './api/vat-return.controller.js';
import { DatevExportService } from './application/datev-export.service.js';
import { GobdExportService } from './application/gobd-export.service.js';

/** Einhaltung von Vorschriften (docs/compliance.md): the VAT return figures, the DATEV export, the GoBD Z3 data set. */
@Module({
  imports: [LedgerModule, LedgerReadModule, PartiesModule],
  controllers: [VatReturnController, DatevController, GobdController],
  providers: [DatevExportService, GobdExportService],
  exports: [DatevExportService, GobdExportService],
})
export class ComplianceModule {}

export { DatevExportService, requireDates } from './application/datev-export.service.js';
export { GobdExportService } from './application/gobd-export.service.js';
