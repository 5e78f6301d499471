import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DomainError } from '../src/event-sourcing/index.js';
import { Projection } from '../src/infrastructure/projections/index.js';
import { SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { ledgerTableNames } from '../src/ledger/projections/ledger-tables.js';
import { ledgerProjection } from '../src/ledger/projections/ledger.projection.js';
import {
  auditTrailProjection,
  auditTrailTable,
} from '../src/audit/projections/audit-trail.projection.js';
import {
  approvalDecisionsTable,
  approvalRequestsTable,
  approvalsProjection,
} from '../src/approvals/projections/approvals.projection.js';
import {
  creditNotesTable,
  invoicesProjection,
  invoicesTable,
} from '../src/billing/projections/invoices.projection.js';
import { ApprovalRule } from './approval-rule.js';
import { BillingRule } from './billing-invariants.js';
import { SimulatedDisk } from './disk.js';
import { FaultCounts, FaultPlan, faultPlanOf, Plant } from './faults.js';
import { checkChain, checkReadModels, ComparedProjection, scratchDir } from './invariants.js';
import { LogChecker, Violation } from './log-checker.js';
import { Outcomes, Performer } from './performer.js';
import { bootProcess, SimProcess } from './processes.js';
import { ProcessStore } from './process-store.js';
import { Random } from './random.js';
import { Scheduler } from './scheduler.js';
import { Trace } from './trace.js';
import { Operation, Workload } from './workload.js';

const inFlightMax = 24;
const checkEverySteps = 5_000;
const settleStepsMax = 200_000;

export interface SimulationResult {
  seed: number;
  operations: number;
  steps: number;
  events: number;
  books: number;
  milliseconds: number;
  faults: FaultCounts;
  outcomes: Outcomes;
  approvals: ApprovalRule['counts'];
  billing: BillingRule['counts'];
  trace: string;
  violation?: Violation;
  tail: string[];
}

/** One seeded run: the workload against two processes on one log under the seed's faults. */
export async function simulate(
  seed: number,
  operations: number,
  plant?: Plant,
): Promise<SimulationResult> {
  Logger.overrideLogger(false); // the expiry job's Nest logger: failures are the faults injected
  const simulation = new Simulation(seed, plant);
  try {
    return await simulation.run(operations);
  } finally {
    await simulation.close();
  }
}

class Simulation {
  private readonly started = performance.now();
  private readonly random: Random;
  private readonly trace = new Trace();
  private readonly faults = new FaultCounts();
  private readonly outcomes = new Outcomes();
  private readonly plan: FaultPlan;
  private readonly scheduler: Scheduler;
  private readonly skews: number[];
  private readonly disk: SimulatedDisk;
  /**
   * Kept across crashes; only the leader (process 0) writes it. A file in memory-backed scratch
   * space, not `:memory:`: an in-memory SQLite database's COMMIT costs time in proportion to its
   * size (measured: 7 µs at 150,000 rows, 68 µs at 900,000), which made a long run quadratic.
   * A writer and a reader connection, as in a real data dir.
   */
  private readonly scratch = mkdtempSync(join(scratchDir(), 'kontor-sim-'));
  private readonly readModels = SqliteDatabase.open(join(this.scratch, 'read-models.db'));
  private readonly faultRandom: Random;
  private readonly compared: ComparedProjection[];
  private readonly approvalRule = new ApprovalRule();
  private readonly billingRule = new BillingRule();
  private readonly checker = new LogChecker([this.approvalRule, this.billingRule]);
  private readonly workload: Workload;
  private readonly performer: Performer;
  private readonly processes: SimProcess[];
  private readonly inFlightOf = [0, 0];
  private running = 0;
  private submitted = 0;

  constructor(
    private readonly seed: number,
    plant: Plant | undefined,
  ) {
    this.random = new Random(seed);
    this.plan = faultPlanOf(this.random.fork(), plant);
    this.scheduler = new Scheduler(this.random.fork(), this.trace);
    this.skews = [0, this.random.between(-300_000, 300_000)];
    const clock = { now: () => this.clockOf(this.running).now() };
    this.disk = new SimulatedDisk(clock, this.random.fork(), this.plan, this.faults, plant);
    this.faultRandom = this.random.fork();
    this.compared = [
      {
        projection: plant === 'double-apply' ? doubleApplying(ledgerProjection) : ledgerProjection,
        tables: ledgerTableNames,
      },
      { projection: auditTrailProjection, tables: [auditTrailTable] },
      { projection: approvalsProjection, tables: [approvalRequestsTable, approvalDecisionsTable] },
      { projection: invoicesProjection, tables: [invoicesTable, creditNotesTable] },
    ];
    this.processes = [this.boot(0), this.boot(1)];
    this.workload = new Workload(this.random.fork(), seed);
    this.performer = new Performer(
      this.workload,
      this.outcomes,
      this.trace,
      this.checker,
      this.approvalRule,
      this.billingRule,
    );
  }

  async run(operations: number): Promise<SimulationResult> {
    // Nothing of it must survive a power loss (rebuilt from the log), and the file is in memory.
    await this.readModels.execute('PRAGMA synchronous = OFF');
    let violation: Violation | undefined;
    while (this.submitted < operations || this.inFlight > 0) {
      if (this.submitted < operations && this.inFlight < inFlightMax && this.random.chance(0.5))
        this.submitNext();
      this.injectStepFaults();
      this.running = this.random.int(2);
      await this.scheduler.step();
      if (this.scheduler.steps % checkEverySteps === 0) {
        violation = await this.checker.scan(this.disk.direct, this.disk.durablePosition);
        if (violation) break;
      }
      if (this.submitted >= operations && this.scheduler.idle) break;
    }
    violation ??= await this.settleAndCheck();
    return this.result(violation);
  }

  async close(): Promise<void> {
    for (const process of this.processes) process.store.kill();
    this.readModels.rollBackAbandoned();
    await this.readModels.close();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private get inFlight(): number {
    return this.inFlightOf[0]! + this.inFlightOf[1]!;
  }

  private clockOf(process: number) {
    return this.scheduler.clockOf(() => this.skews[process]!);
  }

  private boot(id: number): SimProcess {
    return bootProcess(id, {
      store: new ProcessStore(
        id,
        this.disk,
        this.scheduler,
        this.faultRandom,
        this.plan,
        this.faults,
      ),
      clock: this.clockOf(id),
      timer: this.scheduler.timerOf(id),
      readModels: this.readModels,
      projections: id === 0 ? this.compared.map((entry) => entry.projection) : undefined,
    });
  }

  private crash(id: number): void {
    this.faults.add('crash');
    this.trace.record(`crash p${id}`);
    this.processes[id]!.store.kill();
    // Its reactor may be inside a read-model transaction that never resumes: rolled back.
    if (id === 0) this.readModels.rollBackAbandoned();
    this.scheduler.dropProcess(id);
    this.inFlightOf[id] = 0; // their callers never hear back
    this.processes[id] = this.boot(id);
  }

  private injectStepFaults(): void {
    if (this.faultRandom.chance(this.plan.crashPerStep)) {
      if (this.disk.hasUnsynced) {
        this.disk.crash();
        this.crash(0);
        this.crash(1);
      } else this.crash(this.random.int(2));
    }
    if (this.faultRandom.chance(this.plan.clockJumpPerStep)) {
      this.faults.add('clock-jump');
      const id = this.random.int(2);
      this.skews[id] = this.skews[id]! + this.random.between(-3_600_000, 3_600_000);
    }
  }

  private submitNext(): void {
    const operation = this.workload.next();
    this.submitted++;
    const retry =
      (operation.kind === 'book' &&
        operation.command.type === 'PostJournalEntry' &&
        operation.command.idempotency !== undefined) ||
      operation.kind === 'billing'; // the same invoice (credit note) id: the same document
    const target = this.submit(operation, retry);
    if (operation.kind === 'decide' && this.random.chance(0.3)) {
      this.faults.add('racing-approver');
      this.submit(this.workload.approvals.racing(operation), false, 1 - target);
    } else if (
      (operation.kind === 'book' || operation.kind === 'billing') &&
      this.random.chance(this.plan.duplicateDelivery)
    ) {
      this.faults.add('duplicate-delivery');
      this.submit(operation, false);
    }
  }

  /** Sends one operation to a process (the competing one by the plan's share); returns which. */
  private submit(operation: Operation, retry: boolean, to?: number): number {
    const leader = operation.kind === 'expire' ? 0 : undefined; // the job runs on the leader
    const target = to ?? leader ?? (this.random.chance(this.plan.competingShare) ? 1 : 0);
    if (target === 1 && to === undefined) this.faults.add('competing-append');
    const label = operation.kind === 'book' ? operation.command.type : operation.kind;
    const id = operation.kind === 'expire' ? 'expiry' : operation.metadata.commandId;
    this.inFlightOf[target]!++;
    this.trace.record(`submit p${target} ${label} ${id}`);
    const process = this.processes[target]!;
    const dead = () => this.processes[target] !== process; // crashed: its callers never hear back
    this.performer.perform(process, operation).then(
      () => {
        if (dead()) return;
        this.inFlightOf[target]!--;
        this.trace.record(`done ${id}`);
      },
      (error: unknown) => {
        if (dead()) return;
        this.inFlightOf[target]!--;
        const refused = error instanceof DomainError;
        if (refused) this.outcomes.refuse(error);
        else this.outcomes.failed++;
        this.trace.record(`${refused ? 'refused' : 'failed'} ${id} ${(error as Error).name}`);
        if (!refused && retry && this.random.chance(this.plan.clientRetry)) {
          this.faults.add('client-retry');
          this.submit(operation, false);
        }
      },
    );
    return target;
  }

  /** Faults off, everything caught up, then the final checks on the whole log. */
  private async settleAndCheck(): Promise<Violation | undefined> {
    const { plan, scheduler, disk, checker } = this;
    plan.appendBeforeCommit = plan.appendAfterCommit = plan.fsyncError = plan.slowRead = 0;
    await disk.syncAll();
    for (let steps = 0; steps < settleStepsMax && !scheduler.idle; steps++) await scheduler.step();
    const store = disk.direct;
    return (
      (await checker.scan(store, await store.headPosition())) ??
      this.approvalRule.atEnd(checker) ??
      (await this.billingRule.atEnd(this.readModels)) ??
      (await checkChain(store)) ??
      (await checkReadModels(
        store,
        this.readModels,
        this.processes[0]!.runners,
        this.compared,
        checker,
      ))
    );
  }

  private result(violation: Violation | undefined): SimulationResult {
    return {
      seed: this.seed,
      operations: this.submitted,
      steps: this.scheduler.steps,
      events: this.checker.eventsChecked,
      books: this.workload.books,
      milliseconds: performance.now() - this.started,
      faults: this.faults,
      outcomes: this.outcomes,
      approvals: this.approvalRule.counts,
      billing: this.billingRule.counts,
      trace: this.trace.digest(),
      ...(violation ? { violation } : {}),
      tail: this.trace.tail(),
    };
  }
}

/** The planted defect: every 97th event is applied twice. */
function doubleApplying(projection: Projection): Projection {
  return {
    ...projection,
    original: projection,
    apply: async (event, tx) => {
      await projection.apply(event, tx);
      if (event.position % 97n === 0n) await projection.apply(event, tx);
    },
    applyBatch: undefined,
  } as Projection;
}
