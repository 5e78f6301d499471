import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ApprovalRequests, ApprovalsModule } from '../approvals/approvals.module.js';
import { KontorConfig } from '../config.js';
import { EventStore } from '../event-sourcing/index.js';
import { ProjectionsService, reactorProjection } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens.js';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import { BankStatementsController } from './api/bank-statements.controller.js';
import { PaymentsController } from './api/payments.controller.js';
import { PAYMENT_END_TO_END_IDS } from './application/banking-ports.js';
import { PaymentsService } from './application/payments.service.js';
import { BankingCoreModule } from './banking-core.module.js';
import { DunningModule } from './dunning/dunning.module.js';
import { PaymentRunsModule, PaymentRunsReadModel } from './payment-runs/payment-runs.module.js';
import {
  BankStatementsReadModel,
  bankStatementsProjection,
} from './projections/bank-statements.projection.js';
import { BankStatementLinesService } from './statements/bank-statement-lines.service.js';
import { BankStatementsService } from './statements/bank-statements.service.js';
import { StatementAccounts } from './statements/statement-accounts.js';
import {
  StatementApprovalReactor,
  StatementLineReopener,
} from './statements/statement-approval.reactor.js';

export * from './banking-core.module.js';

@Injectable()
class BankStatementsRegistration implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionsService,
    private readonly reopener: StatementLineReopener,
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
  ) {}

  onModuleInit(): void {
    this.projections.register(bankStatementsProjection);
    this.projections.register(
      reactorProjection(
        new StatementApprovalReactor(this.reopener, { readOnly: this.config.readOnly }),
      ),
    );
  }
}

/**
 * Banking (docs/billing.md, "Payments and open items", "Dunning"; docs/banking.md): received
 * payments posted through the ledger's PostDocument, open items, aging and the reconciliation
 * check, camt.053 bank statements with their waiting lines (matched first by the end-to-end ids
 * of the payment runs, src/banking/payment-runs), and the dunning runs (src/banking/dunning,
 * its own Nest module).
 */
@Module({
  imports: [LedgerReadModule, BankingCoreModule, DunningModule, PaymentRunsModule, ApprovalsModule],
  controllers: [PaymentsController, BankStatementsController],
  providers: [
    PaymentsService,
    BankStatementsRegistration,
    {
      provide: BankStatementsReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new BankStatementsReadModel(db),
    },
    { provide: PAYMENT_END_TO_END_IDS, useExisting: PaymentRunsReadModel },
    StatementAccounts,
    {
      provide: StatementLineReopener,
      inject: [ApprovalRequests, EVENT_STORE],
      useFactory: (approvals: ApprovalRequests, store: EventStore) =>
        new StatementLineReopener(approvals, store),
    },
    BankStatementsService,
    BankStatementLinesService,
  ],
})
export class BankingModule {}
