import { ApiKeyRegistry } from '../src/access/access.module.js';
import { Clock } from '../src/event-sourcing/index.js';
import {
  Projection,
  ProjectionRunner,
  ProjectionsService,
  TimerPort,
  reactorProjection,
} from '../src/infrastructure/projections/index.js';
import { SqlDatabase } from '../src/infrastructure/sql/index.js';
import { LedgerCommandGateSlot } from '../src/ledger/application/ledger-command-gate.js';
import { RunBookCommandHandler } from '../src/ledger/application/ledger-command.handlers.js';
import { BookWorkers } from '../src/ledger/application/book-workers.js';
import { bookWorkerSettingsDefault } from '../src/ledger/application/book-worker.js';
import { LedgerCommands } from '../src/ledger/application/ledger-commands.js';
import {
  DecideApprovalHandler,
  DefineApprovalPolicyHandler,
  RetireApprovalPolicyHandler,
} from '../src/approvals/application/approval-command.handlers.js';
import { ApprovalDelegations } from '../src/approvals/application/approval-delegations.js';
import { ApprovalExecutionReactor } from '../src/approvals/application/approval-execution.reactor.js';
import { ApprovalExecutors } from '../src/approvals/application/approval-executors.js';
import {
  LedgerApprovalExecutor,
  ledgerGatedActions,
} from '../src/approvals/application/ledger-approval-executor.js';
import { ApprovalExpiryScheduler } from '../src/approvals/application/approval-expiry.scheduler.js';
import { ApprovalGate } from '../src/approvals/application/approval-gate.js';
import { ApprovalPolicies } from '../src/approvals/application/approval-policies.js';
import { ApprovalRequests } from '../src/approvals/application/approval-requests.js';
import { ApprovalsReadModel } from '../src/approvals/projections/approvals-read-model.js';
import { people } from './approval-workload.js';
import { BillingServices, bootBilling } from './billing-process.js';
import { silent } from './invariants.js';
import { ProcessStore } from './process-store.js';

/** The key registry as the handlers ask it (every key active, with the roles above). */
const registry = {
  find: (keyId: string) => {
    const person = people[keyId];
    return person && { id: keyId, name: person.name, roles: person.roles, status: 'active' };
  },
} as unknown as ApiKeyRegistry;

/**
 * Books kept in memory per process: as many as the workload has in use at once (3 to 8 ledger
 * books, 1 or 2 billing books), so evictions come from books retired by the workload (snapshot on
 * eviction, restore on a late retry) rather than from thrashing, which would reload a state on
 * most commands.
 */
const booksInMemoryMax = 10;

/** The approve handler waits for the reactor only when projections run here (they do not, for it). */
const projectionsNotStarted = { isStarted: false } as unknown as ProjectionsService;

/** One simulated Kontor process: the real ledger and approvals services on its store. */
export interface SimProcess {
  id: number;
  store: ProcessStore;
  runBook: RunBookCommandHandler;
  definePolicy: DefineApprovalPolicyHandler;
  retirePolicy: RetireApprovalPolicyHandler;
  decide: DecideApprovalHandler;
  expiry: ApprovalExpiryScheduler;
  billing: BillingServices;
  runners: ProjectionRunner[];
}

export interface ProcessEnvironment {
  store: ProcessStore;
  clock: Clock;
  timer: TimerPort;
  readModels: SqlDatabase;
  /** The read-model projections; the leader (process 0) runs them and the execution reactor. */
  projections: readonly Projection[] | undefined;
}

/** Boots a process as `kontor serve` wires it (ledger, approvals module), minus HTTP. */
export function bootProcess(id: number, env: ProcessEnvironment): SimProcess {
  const { store, clock, readModels } = env;
  const workers = new BookWorkers(
    store,
    { ...bookWorkerSettingsDefault, snapshotEveryEvents: 40, snapshotOnEvictionEventsMin: 10 },
    silent,
    booksInMemoryMax,
  );
  const ledger = new LedgerCommands(workers);
  const policies = new ApprovalPolicies(store);
  const requests = new ApprovalRequests(store);
  const gate = new LedgerCommandGateSlot();
  gate.install(new ApprovalGate(policies, requests, clock));
  const executors = new ApprovalExecutors();
  executors.register(ledgerGatedActions, new LedgerApprovalExecutor(ledger, store));
  const reactor = new ApprovalExecutionReactor(requests, executors, clock, {
    readOnly: false,
    crashHooks: { beforeExecution: false, afterExecution: false },
  });
  const runners = (
    env.projections === undefined ? [] : [...env.projections, reactorProjection(reactor)]
  ).map(
    (projection) =>
      new ProjectionRunner(projection, store.durableLog(), readModels, {
        clock,
        timer: env.timer,
        logger: silent,
        batchSize: 50,
      }),
  );
  for (const runner of runners) runner.start();
  const delegations = new ApprovalDelegations(store, registry);
  return {
    id,
    store,
    runBook: new RunBookCommandHandler(ledger, gate),
    definePolicy: new DefineApprovalPolicyHandler(policies),
    retirePolicy: new RetireApprovalPolicyHandler(policies),
    decide: new DecideApprovalHandler(
      requests,
      delegations,
      registry,
      projectionsNotStarted,
      clock,
    ),
    expiry: new ApprovalExpiryScheduler(
      new ApprovalsReadModel(readModels),
      requests,
      clock,
      projectionsNotStarted,
      { intervalMilliseconds: 0, readOnly: false },
    ),
    billing: bootBilling({ store, clock, ledger, gate, readModels }),
    runners,
  };
}
