import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import {
  ApprovalExecutors,
  ApprovalGate,
  ApprovalsModule,
} from '../../approvals/approvals.module.js';
import { Clock, EventStore } from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { AccountsReadModel, LedgerReadModule } from '../../ledger/ledger-read.module.js';
import type { PartiesLookup } from '../../parties/index.js';
import {
  PARTIES_LOOKUP,
  PERSONAL_DATA_CIPHER,
  PartiesModule,
  PersonalDataCipher,
} from '../../parties/parties.module.js';
import { BankingCoreModule } from '../banking-core.module.js';
import { OpenItemsReadModel } from '../projections/open-items.read-model.js';
import { PaymentRunsController } from './api/payment-runs.controller.js';
import { PaymentRunExecutor } from './application/payment-run-executor.js';
import { paymentRunExecuteAction, PaymentRunsService } from './application/payment-runs.service.js';
import {
  paymentRunsProjection,
  PaymentRunsReadModel,
} from './projections/payment-runs.projection.js';

export { PaymentRunsReadModel } from './projections/payment-runs.projection.js';

/** Registers the end-to-end id projection and the executor of `payment-run.execute` approvals. */
@Injectable()
class PaymentRunsWiring implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionsService,
    private readonly executors: ApprovalExecutors,
    private readonly runs: PaymentRunsService,
  ) {}

  onModuleInit(): void {
    this.projections.register(paymentRunsProjection);
    this.executors.register([paymentRunExecuteAction], new PaymentRunExecutor(this.runs));
  }
}

/**
 * Payment runs (docs/banking.md "Payment runs"): drafts from the due payables, execution behind
 * the `payment-run.execute` approval, the pain.001.001.09 file, and the end-to-end ids the bank
 * statements match (PaymentRunsReadModel implements banking's PaymentEndToEndIds port).
 */
@Module({
  imports: [LedgerReadModule, BankingCoreModule, PartiesModule, ApprovalsModule],
  controllers: [PaymentRunsController],
  providers: [
    {
      provide: PaymentRunsReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new PaymentRunsReadModel(db),
    },
    {
      provide: PaymentRunsService,
      inject: [
        EVENT_STORE,
        OpenItemsReadModel,
        AccountsReadModel,
        PARTIES_LOOKUP,
        PERSONAL_DATA_CIPHER,
        ProjectionsService,
        ApprovalGate,
        CLOCK,
      ],
      useFactory: (
        store: EventStore,
        openItems: OpenItemsReadModel,
        accounts: AccountsReadModel,
        parties: PartiesLookup,
        cipher: PersonalDataCipher,
        projections: ProjectionsService,
        gate: ApprovalGate,
        clock: Clock,
      ) =>
        new PaymentRunsService(
          store,
          openItems,
          accounts,
          parties,
          cipher,
          projections,
          gate,
          clock,
        ),
    },
    PaymentRunsWiring,
  ],
  exports: [PaymentRunsReadModel],
})
export class PaymentRunsModule {}
