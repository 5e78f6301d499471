import { Module } from '@nestjs/common';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { VatReturnController } from './api/vat-return.controller.js';

/** Einhaltung von Vorschriften (docs/compliance.md): the VAT return figures. */
@Module({
  imports: [LedgerModule, LedgerReadModule],
  controllers: [VatReturnController],
})
export class ComplianceModule {}
