import 'reflect-metadata';
import { CommandMetadata, DomainError } from '../src/event-sourcing/index.js';
import { Projection, ProjectionRunner } from '../src/infrastructure/projections/index.js';
import { SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { BookCommand } from '../src/ledger/index.js';
import { BookWorkers } from '../src/ledger/application/book-workers.js';
import { bookWorkerSettingsDefault } from '../src/ledger/application/book-worker.js';
import { LedgerCommands } from '../src/ledger/application/ledger-commands.js';
import { ledgerProjection } from '../src/ledger/projections/ledger.projection.js';
import { auditTrailProjection } from '../src/audit/projections/audit-trail.projection.js';
import { SimulatedDisk } from './disk.js';
import { FaultCounts, faultPlanOf, Plant } from './faults.js';
import {
  checkLog,
  LogChecker,
  Violation,
  checkReadModels,
  Acknowledged,
  silent,
} from './invariants.js';
import { ProcessStore } from './process-store.js';
import { Random } from './random.js';
import { Scheduler } from './scheduler.js';
import { Trace } from './trace.js';
import { Workload } from './workload.js';

const inFlightMax = 24;
const checkEverySteps = 5_000;
const settleStepsMax = 200_000;

interface SimProcess {
  id: number;
  store: ProcessStore;
  ledger: LedgerCommands;
  runners: ProjectionRunner[];
}

export interface SimulationResult {
  seed: number;
  operations: number;
  steps: number;
  milliseconds: number;
  faults: FaultCounts;
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
  const started = performance.now();
  const random = new Random(seed);
  const trace = new Trace();
  const faults = new FaultCounts();
  const plan = faultPlanOf(random.fork(), plant);
  const scheduler = new Scheduler(random.fork(), trace);
  const skews = [0, random.between(-300_000, 300_000)];
  let running = 0;
  const clockOf = (process: number) => scheduler.clockOf(() => skews[process]!);
  const disk = new SimulatedDisk(
    { now: () => clockOf(running).now() },
    random.fork(),
    plan,
    faults,
    plant,
  );
  const readModels = SqliteDatabase.open(':memory:');
  const faultRandom = random.fork();
  const projections =
    plant === 'double-apply'
      ? [doubleApplying(ledgerProjection), auditTrailProjection]
      : [ledgerProjection, auditTrailProjection];

  const boot = (id: number): SimProcess => {
    const store = new ProcessStore(id, disk, scheduler, faultRandom, plan, faults);
    const workers = new BookWorkers(
      store,
      { ...bookWorkerSettingsDefault, snapshotEveryEvents: 40, snapshotOnEvictionEventsMin: 10 },
      silent,
      4,
    );
    const runners =
      id === 0
        ? projections.map(
            (projection) =>
              new ProjectionRunner(projection, store, readModels, {
                clock: clockOf(id),
                timer: scheduler.timerOf(id),
                logger: silent,
                batchSize: 50,
              }),
          )
        : [];
    for (const runner of runners) runner.start();
    return { id, store, ledger: new LedgerCommands(workers), runners };
  };
  const processes: SimProcess[] = [boot(0), boot(1)];
  const workload = new Workload(random.fork(), seed);
  const acknowledged: Acknowledged[] = [];
  const checker = new LogChecker();
  let violation: Violation | undefined;
  let submitted = 0;
  const inFlightOf = [0, 0];
  const inFlight = () => inFlightOf[0]! + inFlightOf[1]!;

  const crash = (id: number) => {
    faults.add('crash');
    trace.record(`crash p${id}`);
    const process = processes[id]!;
    process.store.kill();
    scheduler.dropProcess(id);
    inFlightOf[id] = 0; // their callers never hear back
    processes[id] = boot(id);
  };

  const submit = (command: BookCommand, metadata: CommandMetadata, retry: boolean) => {
    const target = random.chance(plan.competingShare) ? 1 : 0;
    if (target === 1) faults.add('competing-append');
    const process = processes[target]!;
    inFlightOf[target]!++;
    trace.record(`submit p${target} ${command.type} ${metadata.commandId}`);
    process.ledger.execute(command, metadata).then(
      (result) => {
        inFlightOf[target]!--;
        trace.record(`ack ${metadata.commandId} ${result.position}`);
        acknowledged.push({
          command,
          commandId: metadata.commandId,
          entryId: result.entryId,
          repeated: result.repeated,
        });
        workload.acknowledged(command, result.entryId);
      },
      (error: unknown) => {
        inFlightOf[target]!--;
        const refused = error instanceof DomainError;
        trace.record(
          `${refused ? 'refused' : 'failed'} ${metadata.commandId} ${(error as Error).name}`,
        );
        if (!refused && retry && random.chance(plan.clientRetry)) {
          faults.add('client-retry');
          submit(command, metadata, false);
        }
      },
    );
  };

  while (submitted < operations || inFlight() > 0) {
    if (submitted < operations && inFlight() < inFlightMax && random.chance(0.5)) {
      const { command, metadata } = workload.next();
      submitted++;
      submit(
        command,
        metadata,
        command.type === 'PostJournalEntry' && command.idempotency !== undefined,
      );
      if (random.chance(plan.duplicateDelivery)) {
        faults.add('duplicate-delivery');
        submit(command, metadata, false);
      }
    }
    if (faultRandom.chance(plan.crashPerStep)) {
      const unsynced = disk.hasUnsynced;
      if (unsynced) {
        disk.crash();
        crash(0);
        crash(1);
      } else crash(random.int(2));
    }
    if (faultRandom.chance(plan.clockJumpPerStep)) {
      faults.add('clock-jump');
      const id = random.int(2);
      skews[id] = skews[id]! + random.between(-3_600_000, 3_600_000);
    }
    running = random.int(2);
    await scheduler.step();
    if (scheduler.steps % checkEverySteps === 0) {
      violation = await checker.scan(disk.direct, disk.durablePosition);
      if (violation) break;
    }
    if (submitted >= operations && scheduler.idle) break;
  }
  // Settle: faults off, everything caught up, then the final checks.
  if (!violation) {
    plan.appendBeforeCommit = plan.appendAfterCommit = plan.fsyncError = plan.slowRead = 0;
    for (let steps = 0; steps < settleStepsMax && !scheduler.idle; steps++) await scheduler.step();
    violation =
      (await checker.scan(disk.direct, await disk.direct.headPosition())) ??
      (await checkLog(disk.direct, acknowledged, checker)) ??
      (await checkReadModels(disk.direct, readModels, processes[0]!.runners, projections, checker));
  }
  for (const process of processes) process.store.kill();
  await readModels.close();
  return {
    seed,
    operations: submitted,
    steps: scheduler.steps,
    milliseconds: performance.now() - started,
    faults,
    trace: trace.digest(),
    ...(violation ? { violation } : {}),
    tail: trace.tail(),
  };
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
