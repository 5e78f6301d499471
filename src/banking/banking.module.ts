import { Module } from '@nestjs/common';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { PaymentsController } from './api/payments.controller.js';
import { PaymentsService } from './application/payments.service.js';
import { BankingCoreModule } from './banking-core.module.js';
import { DunningModule } from './dunning/dunning.module.js';

export * from './banking-core.module.js';

/**
 * Banking (docs/billing.md, "Payments and open items", "Dunning"): received payments posted
 * through the ledger's PostDocument, open items, aging and the reconciliation check, and the
 * dunning runs (src/banking/dunning, its own Nest module).
 */
@Module({
  imports: [LedgerReadModule, BankingCoreModule, DunningModule],
  controllers: [PaymentsController],
  providers: [PaymentsService],
})
export class BankingModule {}
