import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { AccessModule, ApiKeyRegistry } from '../access/access.module.js';
import { KontorConfig } from '../config.js';
import { Clock, EventStore } from '../event-sourcing/index.js';
import { ProjectionsService, reactorProjection } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens.js';
import {
  LEDGER_COMMAND_GATE,
  LedgerCommandGateSlot,
  LedgerCommands,
  LedgerModule,
} from '../ledger/ledger.module.js';
import { ApprovalPoliciesController } from './api/approval-policies.controller.js';
import { ApprovalsController } from './api/approvals.controller.js';
import { approvalCommandHandlers } from './application/approval-command.handlers.js';
import { ApprovalDelegations } from './application/approval-delegations.js';
import {
  ApprovalExecutionReactor,
  crashHooksFromEnv,
} from './application/approval-execution.reactor.js';
import {
  ApprovalExpiryScheduler,
  expiryIntervalFromEnv,
} from './application/approval-expiry.scheduler.js';
import { ApprovalExecutors } from './application/approval-executors.js';
import { ApprovalGate } from './application/approval-gate.js';
import {
  LedgerApprovalExecutor,
  ledgerGatedActions,
} from './application/ledger-approval-executor.js';
import { ApprovalPolicies } from './application/approval-policies.js';
import { ApprovalRequests } from './application/approval-requests.js';
import { ApprovalsReadModel } from './projections/approvals-read-model.js';
import { approvalsProjection } from './projections/approvals.projection.js';

export { ApprovalExpiryScheduler } from './application/approval-expiry.scheduler.js';
export { ApprovalExecutors } from './application/approval-executors.js';
export type {
  ApprovalExecutionContext,
  ApprovalExecutor,
  ApprovedAction,
} from './application/approval-executors.js';
export { ApprovalGate } from './application/approval-gate.js';
export type { ActionGateDecision, ActionGateRequest } from './application/approval-gate.js';
export { ApprovalPolicies } from './application/approval-policies.js';
export type { ApprovalPolicyListing } from './application/approval-policies.js';
export { ApprovalRequests } from './application/approval-requests.js';
export { approvalExecutionReactorName } from './application/approval-execution.reactor.js';
export { ApprovalsReadModel } from './projections/approvals-read-model.js';

/**
 * Installs the gate into the ledger, registers the ledger's executor (the ledger knows nothing of
 * approvals), the read model and the execution reactor.
 */
@Injectable()
class ApprovalsWiring implements OnModuleInit {
  constructor(
    @Inject(LEDGER_COMMAND_GATE) private readonly slot: LedgerCommandGateSlot,
    private readonly gate: ApprovalGate,
    private readonly reactor: ApprovalExecutionReactor,
    private readonly executors: ApprovalExecutors,
    private readonly ledger: LedgerCommands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
  ) {}

  onModuleInit(): void {
    this.slot.install(this.gate);
    this.executors.register(
      ledgerGatedActions,
      new LedgerApprovalExecutor(this.ledger, this.store),
    );
    this.projections.register(approvalsProjection);
    this.projections.register(reactorProjection(this.reactor));
  }
}

/**
 * Approvals (Freigaben): policies on the book, the gate held before ledger commands, approval
 * requests and their decisions, delegations, the `approvals` read model, the reactor that runs
 * approved actions exactly once, and the expiry scheduler. docs/approvals.md.
 */
@Module({
  imports: [LedgerModule, AccessModule],
  controllers: [ApprovalPoliciesController, ApprovalsController],
  providers: [
    {
      provide: ApprovalPolicies,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new ApprovalPolicies(store),
    },
    {
      provide: ApprovalRequests,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new ApprovalRequests(store),
    },
    {
      provide: ApprovalDelegations,
      inject: [EVENT_STORE, ApiKeyRegistry],
      useFactory: (store: EventStore, registry: ApiKeyRegistry) =>
        new ApprovalDelegations(store, registry),
    },
    {
      provide: ApprovalsReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new ApprovalsReadModel(db),
    },
    {
      provide: ApprovalGate,
      inject: [ApprovalPolicies, ApprovalRequests, CLOCK],
      useFactory: (policies: ApprovalPolicies, requests: ApprovalRequests, clock: Clock) =>
        new ApprovalGate(policies, requests, clock),
    },
    { provide: ApprovalExecutors, useFactory: () => new ApprovalExecutors() },
    {
      provide: ApprovalExecutionReactor,
      inject: [ApprovalRequests, ApprovalExecutors, CLOCK, KONTOR_CONFIG],
      useFactory: (
        requests: ApprovalRequests,
        executors: ApprovalExecutors,
        clock: Clock,
        config: KontorConfig,
      ) =>
        new ApprovalExecutionReactor(requests, executors, clock, {
          readOnly: config.readOnly,
          crashHooks: crashHooksFromEnv(),
        }),
    },
    {
      provide: ApprovalExpiryScheduler,
      inject: [ApprovalsReadModel, ApprovalRequests, CLOCK, ProjectionsService, KONTOR_CONFIG],
      useFactory: (
        readModel: ApprovalsReadModel,
        requests: ApprovalRequests,
        clock: Clock,
        projections: ProjectionsService,
        config: KontorConfig,
      ) =>
        new ApprovalExpiryScheduler(readModel, requests, clock, projections, {
          intervalMilliseconds: expiryIntervalFromEnv(),
          readOnly: config.readOnly,
        }),
    },
    ApprovalsWiring,
    ...approvalCommandHandlers,
  ],
  exports: [
    ApprovalPolicies,
    ApprovalRequests,
    ApprovalsReadModel,
    ApprovalExpiryScheduler,
    ApprovalGate,
    ApprovalExecutors,
  ],
})
export class ApprovalsModule {}
