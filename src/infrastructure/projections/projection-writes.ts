import { Clock, RecordedEvent } from '../../event-sourcing/index.js';
import { SqlDatabase } from '../sql/index.js';
import { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import { PartitionQuarantine, QuarantinedPartition } from './partition-quarantine.js';
import { handlesEvent, Projection } from './projection.js';

/** Another instance committed this projection past (or back from) the position this runner holds. */
export class CheckpointMovedError extends Error {
  constructor(readonly committedPosition: bigint) {
    super(`checkpoint moved to ${committedPosition} by another instance`);
  }
}

/** The runner's state, read inside each transaction (it may change while one waits to begin). */
export interface RunnerState {
  /** The position the runner holds: the committed checkpoint must still be there. */
  position(): bigint;
  /** Whether a rebuild is in progress: the status a checkpoint is written with. */
  rebuilding(): boolean;
}

/**
 * The transactions that write one projection's read model. Each locks the checkpoint row first
 * and commits its rows together with the new checkpoint (exactly-once effect).
 */
export class ProjectionWrites {
  constructor(
    private readonly projection: Projection,
    private readonly db: SqlDatabase,
    private readonly checkpoints: CheckpointStore,
    private readonly quarantine: PartitionQuarantine | undefined,
    private readonly clock: Clock,
    private readonly runner: RunnerState,
  ) {}

  /** Applies the batch's events (but those of set-aside partitions); returns the new checkpoint position. */
  async applyBatch(batch: RecordedEvent[]): Promise<bigint> {
    const last = batch[batch.length - 1]!.position;
    await this.db.transaction(async (tx) => {
      await this.lockHeldPosition(tx);
      const relevant = batch.filter(
        (event) => handlesEvent(this.projection, event) && !this.isSetAside(event),
      );
      if (this.projection.applyBatch !== undefined) {
        if (relevant.length > 0) await this.projection.applyBatch(relevant, tx);
      } else {
        for (const event of relevant) await this.projection.apply(event, tx);
      }
      await this.saveCheckpoint(tx, last);
    });
    return last;
  }

  /** Sets `entry`'s partition aside and moves the checkpoint to its failed event. */
  async setAside(entry: QuarantinedPartition): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.lockHeldPosition(tx);
      await this.quarantine!.add(tx, entry, this.clock.now());
      await this.saveCheckpoint(tx, entry.position);
    });
    this.quarantine!.remember(entry);
  }

  /** Empties the read model and the quarantine, creates the tables with `setup`, checkpoint at 0. */
  async reset(
    setup: (db: SqlDatabase) => Promise<void> = (db) => this.projection.setup(db),
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Lock order as in a batch (checkpoint row, then tables): a reset never deadlocks a batch.
      await this.checkpoints.lockPosition(tx, this.projection.name);
      await tx.withSchemaLock(async (locked) => {
        await this.projection.reset(locked);
        await setup(locked);
      });
      await this.quarantine?.clear(tx);
      await this.saveCheckpoint(tx, 0n);
    });
    this.quarantine?.forget();
  }

  /** The projection's `setup`, under the schema lock (every DDL is: several instances may boot at once). */
  setupTables(): Promise<void> {
    return this.db.withSchemaLock((tx) => this.projection.setup(tx));
  }

  private async lockHeldPosition(tx: SqlDatabase): Promise<void> {
    const committed = await this.checkpoints.lockPosition(tx, this.projection.name);
    if (committed !== undefined && committed !== this.runner.position())
      throw new CheckpointMovedError(committed);
  }

  private isSetAside(event: RecordedEvent): boolean {
    const partition = this.quarantine && this.projection.partitionOf!(event);
    return partition !== undefined && this.quarantine!.has(partition);
  }

  private saveCheckpoint(tx: SqlDatabase, position: bigint): Promise<void> {
    const checkpoint: Checkpoint = {
      name: this.projection.name,
      version: this.projection.version,
      position,
      status: this.runner.rebuilding() ? 'rebuilding' : 'running',
      lastError: null,
    };
    return this.checkpoints.save(tx, checkpoint, this.clock.now());
  }
}
