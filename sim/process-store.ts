import {
  AppendOptions,
  AppendResult,
  Digest,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Snapshot,
  VerifyOptions,
  VerifyResult,
} from '../src/event-sourcing/index.js';
import { LogReader } from '../src/infrastructure/projections/index.js';
import { SimulatedDisk } from './disk.js';
import { FaultCounts, FaultPlan } from './faults.js';
import { DurableTail } from './durable-tail.js';
import { Random } from './random.js';
import { Scheduler } from './scheduler.js';

/** Longest a slow read is held back, in scheduler steps. */
const slowReadStepsMax = 25;

/**
 * One simulated process's connection to the shared log: every call is a pending completion the
 * scheduler runs in seed order (so an append races the other process's), reads may be slow, and
 * a crash cuts it off: nothing it had in flight ever answers, its wake-ups stop.
 */
export class ProcessStore implements EventStore {
  readonly kind = 'memory';
  private readonly unsubscribers = new Set<() => void>();
  private readonly durableTail: DurableTail;
  private alive = true;

  constructor(
    readonly process: number,
    private readonly disk: SimulatedDisk,
    private readonly scheduler: Scheduler,
    private readonly random: Random,
    private readonly plan: FaultPlan,
    private readonly faults: FaultCounts,
  ) {
    this.durableTail = new DurableTail(disk);
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.io(`append ${streamId} ${events.length}`, () =>
      this.disk.append(streamId, events, options),
    );
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.read(`readStream ${streamId} ${options?.fromRevision ?? 0}`, () =>
      this.disk.store.readStream(streamId, options),
    );
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.read(`readAll ${options?.after ?? options?.from ?? 0n}`, () =>
      this.disk.store.readAll(options),
    );
  }

  headPosition(): Promise<bigint> {
    return this.read('head', () => this.disk.store.headPosition());
  }

  digest(): Promise<Digest> {
    return this.read('digest', () => this.disk.store.digest());
  }

  verify(options?: VerifyOptions): Promise<VerifyResult> {
    return this.disk.store.verify(options);
  }

  onAppended(listener: () => void): () => void {
    return this.subscribe((wake) => this.disk.store.onAppended(wake), listener);
  }

  private subscribe(to: (wake: () => void) => () => void, listener: () => void): () => void {
    const unsubscribe = to(() => {
      if (this.alive) listener();
    });
    this.unsubscribers.add(unsubscribe);
    return () => {
      unsubscribe();
      this.unsubscribers.delete(unsubscribe);
    };
  }

  /**
   * The log as projections see it: its durable prefix. A real store shows a commit to other
   * readers only once it is synced (SQLite updates the WAL index after the sync; PostgreSQL
   * panics on a failed WAL flush), so no read model holds an event a crash can take away.
   */
  durableLog(): LogReader {
    return {
      readAll: (options) =>
        this.read(`readAll ${options?.after ?? options?.from ?? 0n}`, () =>
          this.durableTail.readAll(options ?? {}),
        ),
      headPosition: () => this.read('head', async () => this.disk.durablePosition),
      onAppended: (listener) => this.subscribe((wake) => this.disk.onSynced(wake), listener),
    };
  }

  saveSnapshot(snapshot: Snapshot): Promise<void> {
    return this.io(`saveSnapshot ${snapshot.streamId} ${snapshot.revision}`, () =>
      this.disk.store.saveSnapshot(snapshot),
    );
  }

  loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    return this.read(`loadSnapshot ${streamId}`, () =>
      this.disk.store.loadSnapshot<State>(streamId),
    );
  }

  async close(): Promise<void> {
    this.kill();
  }

  /** The process died: drop its wake-ups; its pending completions are dropped by the scheduler. */
  kill(): void {
    this.alive = false;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers.clear();
  }

  private read<T>(label: string, operation: () => Promise<T>): Promise<T> {
    let delay = 0;
    if (this.random.chance(this.plan.slowRead)) {
      this.faults.add('slow-read');
      delay = this.random.between(1, slowReadStepsMax);
    }
    return this.io(label, operation, delay);
  }

  private io<T>(label: string, operation: () => Promise<T>, delay = 0): Promise<T> {
    if (!this.alive) return new Promise<T>(() => undefined);
    return this.scheduler.defer(this.process, label, operation, delay);
  }
}
