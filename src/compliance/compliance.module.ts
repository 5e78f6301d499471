import { Module } from '@nestjs/common';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { PartiesModule } from '../parties/parties.module.js';
import { DatevController } from './api/datev.controller.js';
import { VatReturnController } from './api/vat-return.controller.js';
import { DatevExportService } from './application/datev-export.service.js';

/** Einhaltung von Vorschriften (docs/compliance.md): the VAT return figures and the DATEV export. */
@Module({
  imports: [LedgerModule, LedgerReadModule, PartiesModule],
  controllers: [VatReturnController, DatevController],
  providers: [DatevExportService],
  exports: [DatevExportService],
})
export class ComplianceModule {}
