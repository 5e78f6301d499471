import {
  AppendOptions,
  AppendResult,
  Clock,
  EventStore,
  NewEvent,
} from '../src/event-sourcing/index.js';
import { InMemoryEventStore } from '../src/infrastructure/memory/in-memory-event-store.js';
import { withNumberGap } from './billing-invariants.js';
import { FaultCounts, FaultPlan, ioError, Plant } from './faults.js';
import { Random } from './random.js';

/**
 * The durable log both simulated processes share: the in-memory event store (the real append
 * rules: expected revision, idempotent event ids, gap-free positions, hash chain) behind a fault
 * layer. An append may fail before its commit (nothing stored), after it (stored, the caller
 * told otherwise: the ambiguous commit), or at the fsync (stored and visible, but not yet
 * durable: a crash may lose it). A later good append syncs everything before it.
 */
export class SimulatedDisk {
  readonly store: InMemoryEventStore;
  /** Everything up to here survives a crash. */
  private syncedPosition = 0n;
  /** Heads after each unsynced append, where a torn tail may be cut. */
  private unsyncedHeads: bigint[] = [];
  private readonly syncListeners = new Set<() => void>();

  constructor(
    clock: Clock,
    private readonly random: Random,
    private readonly plan: FaultPlan,
    private readonly faults: FaultCounts,
    private readonly plant: Plant | undefined,
  ) {
    this.store = new InMemoryEventStore(clock);
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const headBefore = await this.store.headPosition();
    if (this.random.chance(this.plan.appendBeforeCommit)) {
      this.faults.add('append-before-commit');
      // The planted defect: the caller is told "done" although the commit failed.
      if (this.plant === 'ack-before-commit') return fabricatedResult(streamId, events, headBefore);
      throw ioError('append failed before its commit');
    }
    const effective = this.plant === 'skip-expected-revision' ? {} : options;
    const stored = this.plant === 'number-gap' ? withNumberGap(events) : events;
    const result = await this.store.append(streamId, stored, effective);
    const head = await this.store.headPosition();
    if (head === headBefore) return result; // an idempotent retry: nothing written
    if (this.random.chance(this.plan.fsyncError)) {
      this.faults.add('fsync-error');
      this.unsyncedHeads.push(head);
      throw ioError('fsync failed');
    }
    this.synced(head);
    if (this.random.chance(this.plan.appendAfterCommit)) {
      this.faults.add('append-after-commit');
      throw ioError('connection lost after the commit');
    }
    return result;
  }

  get hasUnsynced(): boolean {
    return this.unsyncedHeads.length > 0;
  }

  /** The durable prefix: what the invariant checker may look at while the run goes on. */
  get durablePosition(): bigint {
    return this.syncedPosition;
  }

  /** Told whenever the durable prefix grows (what projections may read: see `durableLog`). */
  onSynced(listener: () => void): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  /** A clean end: the operating system writes everything out. */
  async syncAll(): Promise<void> {
    this.synced(await this.store.headPosition());
  }

  private synced(head: bigint): void {
    this.syncedPosition = head;
    this.unsyncedHeads = [];
    for (const listener of this.syncListeners) listener();
  }

  /** A crash of the machine: the unsynced tail is lost, or torn at an append's boundary. */
  crash(): void {
    if (this.unsyncedHeads.length === 0) return;
    this.faults.add('torn-tail');
    const kept = this.random.int(this.unsyncedHeads.length + 1);
    const cut = kept === 0 ? this.syncedPosition : this.unsyncedHeads[kept - 1]!;
    this.store.discardAfter(cut);
    this.syncedPosition = cut;
    this.unsyncedHeads = [];
  }

  /** The store as the invariant checker reads it (no faults, no scheduling). */
  get direct(): EventStore {
    return this.store;
  }
}

function fabricatedResult(streamId: string, events: NewEvent[], head: bigint): AppendResult {
  const positions = events.map((_, index) => head + BigInt(index + 1));
  return {
    streamId,
    lastRevision: events.length - 1,
    positions,
    lastPosition: positions[positions.length - 1] ?? head,
  };
}
