import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { READ_MODEL_DB } from '../infrastructure/tokens.js';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { BankStatementsController } from './api/bank-statements.controller.js';
import { PaymentsController } from './api/payments.controller.js';
import { noPaymentEndToEndIds, PAYMENT_END_TO_END_IDS } from './application/banking-ports.js';
import { PaymentsService } from './application/payments.service.js';
import { BankingCoreModule } from './banking-core.module.js';
import { DunningModule } from './dunning/dunning.module.js';
import {
  BankStatementsReadModel,
  bankStatementsProjection,
} from './projections/bank-statements.projection.js';
import { BankStatementLinesService } from './statements/bank-statement-lines.service.js';
import { BankStatementsService } from './statements/bank-statements.service.js';
import { StatementAccounts } from './statements/statement-accounts.js';

export * from './banking-core.module.js';

@Injectable()
class BankStatementsRegistration implements OnModuleInit {
  constructor(private readonly projections: ProjectionsService) {}

  onModuleInit(): void {
    this.projections.register(bankStatementsProjection);
  }
}

/**
 * Banking (docs/billing.md, "Payments and open items", "Dunning"; docs/banking.md): received
 * payments posted through the ledger's PostDocument, open items, aging and the reconciliation
 * check, camt.053 bank statements with their waiting lines, and the dunning runs
 * (src/banking/dunning, its own Nest module). PAYMENT_END_TO_END_IDS knows no end-to-end ids
 * until the payment runs bind theirs.
 */
@Module({
  imports: [LedgerReadModule, BankingCoreModule, DunningModule],
  controllers: [PaymentsController, BankStatementsController],
  providers: [
    PaymentsService,
    BankStatementsRegistration,
    {
      provide: BankStatementsReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new BankStatementsReadModel(db),
    },
    { provide: PAYMENT_END_TO_END_IDS, useFactory: () => ({ ...noPaymentEndToEndIds }) },
    StatementAccounts,
    BankStatementsService,
    BankStatementLinesService,
  ],
})
export class BankingModule {}
