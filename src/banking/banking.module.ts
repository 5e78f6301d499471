import { Module } from '@nestjs/common';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { BankStatementsController } from './api/bank-statements.controller.js';
import { PaymentsController } from './api/payments.controller.js';
import { PaymentsService } from './application/payments.service.js';
import { BankingCoreModule } from './banking-core.module.js';
import { DunningModule } from './dunning/dunning.module.js';
import { PaymentRunsModule } from './payment-runs/payment-runs.module.js';
import { BankStatementsService } from './statements/bank-statements.service.js';

export * from './banking-core.module.js';

/**
 * Banking (docs/billing.md, "Payments and open items", "Dunning"): received payments posted
 * through the ledger's PostDocument, open items, aging and the reconciliation check, and the
 * dunning runs (src/banking/dunning, its own Nest module), the payment runs
 * (src/banking/payment-runs, docs/banking.md).
 */
@Module({
  imports: [LedgerReadModule, BankingCoreModule, DunningModule, PaymentRunsModule],
  controllers: [PaymentsController, BankStatementsController],
  providers: [PaymentsService, BankStatementsService],
})
export class BankingModule {}
