import { Logger } from '@nestjs/common';
import { Clock, readBatchSizeMax, RecordedEvent, systemClock } from '../../event-sourcing/index.js';
import { Mutex } from '../sql/mutex.js';
import { storeFaultOf } from '../store-faults.js';
import { SqlDatabase } from '../sql/index.js';
import { Checkpoint, CheckpointStore } from './checkpoint-store.js';
import { CheckpointMovedError, ProjectionWrites } from './projection-writes.js';
import { PartitionQuarantine, QuarantinedPartition } from './partition-quarantine.js';
import { PositionWaiters } from './position-waiters.js';
import { LogReader } from './shared-log-reads.js';
import {
  ProjectionLogger,
  ProjectionRunnerOptions,
  projectionBatchSizeDefault,
  retryDelayMilliseconds,
  systemTimer,
} from './projection-runner.options.js';
import { NotReadyError, Projection, ProjectionState, ProjectionStatus } from './projection.js';

/**
 * Runs one projection: reads the global log after its checkpoint in bounded batches and commits
 * each batch's rows together with the new checkpoint (exactly-once effect). Woken by the store's
 * append notification; a notification that arrives while a batch is being applied sets `dirty`,
 * so the loop reads again and no wake-up is ever lost. All work on the read model (catch-up,
 * rebuild) is serialized by `work`.
 */
export class ProjectionRunner {
  private readonly checkpoints: CheckpointStore;
  private readonly quarantine: PartitionQuarantine | undefined;
  private readonly writes: ProjectionWrites;
  private readonly work = new Mutex();
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly clock: Clock;
  private readonly logger: ProjectionLogger;
  private readonly waiters: PositionWaiters;
  private position = 0n;
  private status: ProjectionStatus = 'stopped';
  private lastError: string | undefined;
  private initialized = false;
  /** Set once this runner has created (or found) its tables; stopping does not drop them. */
  private tablesSetUp = false;
  private readonly tablesWaiters: (() => void)[] = [];
  private rebuilding = 0;
  /** Rebuilds whose reset has not committed yet: the rows are about to be emptied, so no wait is satisfied. */
  private resetsPending = 0;
  private running = false;
  /** Set by stop(): a catch-up or rebuild in progress ends after its current batch. */
  private stopRequested = false;
  private dirty = true;
  private wake: (() => void) | undefined;
  private retryTimer: { resolve(): void } | undefined;
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly projection: Projection,
    private readonly store: LogReader,
    db: SqlDatabase,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.checkpoints = new CheckpointStore(db);
    this.waiters = new PositionWaiters(projection.name);
    this.quarantine = projection.partitionOf
      ? new PartitionQuarantine(db, projection.name)
      : undefined;
    this.batchSize = Math.min(options.batchSize ?? projectionBatchSizeDefault, readBatchSizeMax);
    this.rebuildBatchSize = Math.max(this.batchSize, options.rebuildBatchSize ?? this.batchSize);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? new Logger(`Projection ${projection.name}`);
    this.writes = new ProjectionWrites(
      projection,
      db,
      this.checkpoints,
      this.quarantine,
      this.clock,
      {
        position: () => this.position,
        rebuilding: () => this.rebuilding > 0,
      },
    );
  }

  get name(): string {
    return this.projection.name;
  }

  /** Starts following the log: catches up, then applies new events as they are appended. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopRequested = false;
    this.dirty = true;
    if (this.status === 'stopped') this.status = 'running';
    this.unsubscribe = this.store.onAppended(() => this.signal());
    this.loop = this.runLoop();
  }

  /**
   * Stops after the batch in progress; pending `waitFor` calls are rejected, unless
   * `keepWaiters` (leadership handed over: they are resolved by `observe` or time out). The next
   * start reloads the checkpoint, which another instance may have moved meanwhile.
   */
  async stop(options: { keepWaiters?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopRequested = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.signal();
    this.retryTimer?.resolve();
    await this.loop;
    await this.work.run(async () => undefined);
    this.status = 'stopped';
    this.initialized = false;
    if (options.keepWaiters) return;
    this.waiters.rejectAll(new NotReadyError(`projection ${this.name} stopped`));
  }

  /**
   * Applies everything after the checkpoint up to the current head, then returns. Throws the
   * first error (that batch is rolled back). The running loop calls it; tools and tests may too.
   */
  catchUp(): Promise<void> {
    if (!this.running) this.stopRequested = false;
    return this.work.run(() => this.catchUpLocked());
  }

  /** Empties the read model and replays the log from position 0. Resolves when caught up. */
  async rebuild(): Promise<void> {
    if (!this.running) this.stopRequested = false;
    this.rebuilding++;
    this.resetsPending++;
    this.status = 'rebuilding';
    let resetDone = false;
    const resetEnded = () => {
      if (resetDone) return;
      resetDone = true;
      this.resetsPending--;
      this.resolveWaiters();
    };
    try {
      await this.work.run(async () => {
        try {
          await this.initializeLocked();
          await this.resetLocked(this.projection.setupForRebuild?.bind(this.projection));
          resetEnded();
          try {
            await this.catchUpLocked();
          } finally {
            // What setupForRebuild left out (indexes), built once over the filled tables.
            if (this.projection.setupForRebuild !== undefined) await this.writes.setupTables();
          }
        } finally {
          this.rebuilding--;
          resetEnded();
        }
        if (this.rebuilding === 0)
          await this.checkpoints.saveStatus(this.name, 'running', this.clock.now());
      });
      this.logger.log(`rebuilt up to position ${this.position}`);
    } finally {
      if (this.status === 'rebuilding' && this.rebuilding === 0)
        this.status = this.running ? 'running' : 'stopped';
    }
  }

  /** Resolves once the committed checkpoint is at or past `target`; NotReadyError after the timeout. */
  waitFor(target: bigint, timeoutMilliseconds: number): Promise<void> {
    if (this.resetsPending === 0 && this.position >= target) return Promise.resolve();
    return this.waiters.add(target, timeoutMilliseconds);
  }

  /**
   * On an instance that does not run this projection (a follower): adopts the checkpoint that
   * the running instance committed to the shared read-model database, and wakes the waiters it
   * satisfies. Ignored while this runner runs or rebuilds, or when the versions differ.
   */
  observe(checkpoint: Checkpoint): void {
    if (this.running || this.rebuilding > 0 || checkpoint.version !== this.projection.version)
      return;
    this.position = checkpoint.position;
    this.status = checkpoint.status;
    this.lastError = checkpoint.lastError ?? undefined;
    this.resolveWaiters();
  }

  /** Whether some `waitFor` is pending (a follower then looks at the checkpoints more eagerly). */
  get hasWaiters(): boolean {
    return this.waiters.size > 0;
  }

  /** The committed position, without asking the store for its head. */
  get checkpointPosition(): bigint {
    return this.position;
  }

  get currentStatus(): ProjectionStatus {
    return this.status;
  }

  async state(): Promise<ProjectionState> {
    const head = await this.store.headPosition();
    const lag = head > this.position ? head - this.position : 0n;
    return {
      name: this.name,
      position: this.position,
      lag,
      status: this.status,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  private signal(): void {
    this.dirty = true;
    this.wake?.();
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!this.dirty) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.dirty = false;
      try {
        await this.catchUp();
        failures = 0;
      } catch (error) {
        failures++;
        this.dirty = true;
        await this.pauseBeforeRetry(failures, storeFaultOf(error) !== undefined);
      }
    }
  }

  private async catchUpLocked(): Promise<void> {
    try {
      await this.initializeLocked();
      // Behind the log (a batch came back full), or rebuilding: batches of rebuildBatchSize.
      let behind = this.rebuilding > 0;
      while (!this.stopRequested) {
        const limit = behind ? this.rebuildBatchSize : this.batchSize;
        const batch = await this.readBatch(limit);
        if (batch.length === 0) break;
        try {
          await this.applyBatch(batch);
        } catch (error) {
          if (this.isolatable(error)) {
            await this.applyIsolating(batch);
            continue;
          }
          if (!(error instanceof CheckpointMovedError)) throw error;
          this.logger.warn(`${error.message}: continuing from there`);
          this.position = error.committedPosition;
          this.resolveWaiters();
          continue;
        }
        if (batch.length < limit) break;
        behind = true;
      }
      this.recover();
    } catch (error) {
      await this.recordFailure(error);
      throw error;
    }
  }

  /** Up to `limit` events after the checkpoint, in pages the store allows. */
  private async readBatch(limit: number): Promise<RecordedEvent[]> {
    const batch: RecordedEvent[] = [];
    let after = this.position;
    while (batch.length < limit) {
      const pageLimit = Math.min(limit - batch.length, readBatchSizeMax);
      const page = await this.store.readAll({ after, limit: pageLimit });
      batch.push(...page);
      if (page.length < pageLimit) break;
      after = page[page.length - 1]!.position;
    }
    return batch;
  }

  /** A failure that may be one partition's own: not the store away, not another instance's move. */
  private isolatable(error: unknown): boolean {
    return (
      this.quarantine !== undefined &&
      !(error instanceof CheckpointMovedError) &&
      storeFaultOf(error) === undefined
    );
  }

  /** A batch failed: applies it event by event and quarantines the partition of an event that fails. */
  private async applyIsolating(batch: RecordedEvent[]): Promise<void> {
    for (const event of batch) {
      try {
        await this.applyBatch([event]);
      } catch (error) {
        const partition = this.projection.partitionOf!(event);
        if (!this.isolatable(error) || partition === undefined) throw error;
        await this.quarantinePartition(event, partition, error);
      }
    }
  }

  private async quarantinePartition(
    event: RecordedEvent,
    partition: string,
    error: unknown,
  ): Promise<void> {
    const entry = {
      partition,
      position: event.position,
      error: error instanceof Error ? error.message : String(error),
    };
    await this.writes.setAside(entry);
    this.position = event.position;
    this.logger.error(
      `${partition} set aside at position ${event.position} (${entry.error}); its later events are skipped, the others go on`,
    );
    this.resolveWaiters();
  }

  /** The partitions this projection set aside (reads of them answer 503). */
  quarantined(partition: string): QuarantinedPartition | undefined {
    return this.quarantine?.get(partition);
  }

  private async applyBatch(batch: RecordedEvent[]): Promise<void> {
    const last = await this.writes.applyBatch(batch);
    this.position = last;
    this.recover();
    this.resolveWaiters();
    this.options.onProgress?.({ name: this.name, position: last });
  }

  private async initializeLocked(): Promise<void> {
    if (this.initialized) return;
    await this.checkpoints.setup();
    await this.quarantine?.load();
    const stored = await this.checkpoints.load(this.name);
    if (stored && stored.version === this.projection.version) {
      await this.writes.setupTables();
      this.position = stored.position;
    } else {
      if (stored)
        this.logger.log(
          `version ${stored.version} → ${this.projection.version}: rebuilding from position 0`,
        );
      await this.resetLocked();
    }
    this.initialized = true;
    this.tablesSetUp = true;
    this.tablesWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** Whether this runner has set up its read-model tables since the process started. */
  get hasTables(): boolean {
    return this.tablesSetUp;
  }

  /** Resolves once this runner has set up its read-model tables. */
  tablesReady(): Promise<void> {
    if (this.tablesSetUp) return Promise.resolve();
    return new Promise((resolve) => this.tablesWaiters.push(resolve));
  }

  private async resetLocked(setup?: (db: SqlDatabase) => Promise<void>): Promise<void> {
    await this.writes.reset(setup);
    this.position = 0n;
  }

  /** After a failure, a committed batch (or an empty catch-up) means the projection works again. */
  private recover(): void {
    if (this.status !== 'failed') return;
    this.status = this.rebuilding > 0 ? 'rebuilding' : this.running ? 'running' : 'stopped';
    this.lastError = undefined;
  }

  private async recordFailure(error: unknown): Promise<void> {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.status = 'failed';
    this.lastError = error instanceof Error ? error.message : String(error);
    this.logger.error(`failed after position ${this.position}: ${message}`);
    await this.checkpoints
      .saveFailure(this.name, this.lastError, this.clock.now())
      .catch(() => undefined);
    this.options.onFailure?.(error);
  }

  private pauseBeforeRetry(failures: number, storeAway: boolean): Promise<void> {
    const delay = retryDelayMilliseconds(this.options, failures, storeAway);
    this.logger.warn(`retrying in ${delay} ms (failure ${failures} in a row)`);
    return new Promise<void>((resolve) => {
      const done = () => {
        cancel();
        this.retryTimer = undefined;
        resolve();
      };
      const cancel = (this.options.timer ?? systemTimer).setTimeout(done, delay);
      this.retryTimer = { resolve: done };
    });
  }

  private resolveWaiters(): void {
    if (this.resetsPending > 0) return;
    this.waiters.resolveUpTo(this.position);
  }
}
