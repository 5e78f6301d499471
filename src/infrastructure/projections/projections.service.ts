import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { assert, Clock, EventStore, NotFoundError } from '../../event-sourcing/index.js';
import { Metrics } from '../http/metrics.js';
import { ReadinessRegistry } from '../http/readiness.js';
import { SqlDatabase } from '../sql/index.js';
import { CLOCK, EVENT_STORE, READ_MODEL_DB } from '../tokens.js';
import { CheckpointStore } from './checkpoint-store.js';
import { NotReadyError, Projection, ProjectionState, ProjectionStatus } from './projection.js';
import { QuarantinedPartition } from './partition-quarantine.js';
import { ProjectionRunner } from './projection-runner.js';
import { SharedLogReads } from './shared-log-reads.js';
import {
  loadProjectionsSettings,
  PROJECTIONS_SETTINGS,
  ProjectionsSettings,
} from './projections.settings.js';

/**
 * Every projection of the app, one runner each. Modules register theirs while the app is being
 * built (in a constructor or `onModuleInit`); the runners start on application bootstrap:
 *
 *   @Injectable()
 *   export class LedgerProjections implements OnModuleInit {
 *     constructor(private readonly projections: ProjectionsService) {}
 *     onModuleInit() {
 *       this.projections.register(accountBalancesProjection);
 *     }
 *   }
 *
 * `start()` / `stop()` is the one seam for leader election (src/infrastructure/cluster calls
 * `leaveStartToLeaderElection()`, then `start()` on the leader and `follow()` on the others).
 */
/** A follower re-reads the checkpoints this often, and only while a `waitForAll` is pending. */
export const followerPollMillisecondsDefault = 1_000;

/**
 * Leader-only work that follows the log from its own checkpoint without being a read model (the
 * broker relay): listed in `GET /v1/projections` and in the lag metric, but never waited for by
 * `?consistentWith=` and never part of readiness — its failing must not hold up reads.
 */
export interface TrackedLogFollower {
  readonly name: string;
  progress(): Promise<{ position: bigint; status: ProjectionStatus; lastError?: string }>;
}

interface Following {
  refresh(): void;
  end(): void;
}

@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly tracked = new Map<string, TrackedLogFollower>();
  /** The runners read each page of the log once between them. */
  private readonly reads: SharedLogReads;
  private settings: ProjectionsSettings;
  private started = false;
  /** Set once every runner had its tables (they are never dropped); a new runner clears it. */
  private allTablesSetUp = false;
  private following: Following | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    @Optional() @Inject(PROJECTIONS_SETTINGS) settings?: ProjectionsSettings,
    @Optional() @Inject(CLOCK) private readonly clock?: Clock,
    @Optional() metrics?: Metrics,
    @Optional() readiness?: ReadinessRegistry,
  ) {
    this.settings = settings ?? loadProjectionsSettings();
    this.reads = new SharedLogReads(store);
    if (metrics) this.registerMetrics(metrics);
    readiness?.register('projections', () => this.assertHealthy());
  }

  get consistencyTimeoutMilliseconds(): number {
    return this.settings.consistencyTimeoutMilliseconds;
  }

  /** Adds a projection; after start, its runner starts at once. Names are unique. */
  register(projection: Projection): ProjectionRunner {
    this.assertNameFree(projection.name);
    this.reads.addReader();
    const runner = new ProjectionRunner(projection, this.reads, this.db, {
      ...this.settings.runner,
      clock: this.clock,
    });
    this.runners.set(projection.name, runner);
    this.allTablesSetUp = false;
    if (this.started) runner.start();
    return runner;
  }

  /** Lists `follower` with the projections (state and lag), without waiting for it anywhere. */
  track(follower: TrackedLogFollower): void {
    this.assertNameFree(follower.name);
    this.tracked.set(follower.name, follower);
  }

  private assertNameFree(name: string): void {
    assert(
      !this.runners.has(name) && !this.tracked.has(name),
      `projection ${name} is registered twice`,
    );
  }

  /** The runner of a projection; 404 `not-found` when there is none of that name. */
  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new NotFoundError(`no projection named ${name}`);
    return runner;
  }

  all(): ProjectionRunner[] {
    return [...this.runners.values()];
  }

  /** Every projection's state, then every tracked follower's. */
  async states(): Promise<ProjectionState[]> {
    const projections = await Promise.all(this.all().map((runner) => runner.state()));
    return [...projections, ...(await this.trackedStates())];
  }

  private async trackedStates(head?: bigint): Promise<ProjectionState[]> {
    if (this.tracked.size === 0) return [];
    const headPosition = head ?? (await this.store.headPosition());
    return Promise.all(
      [...this.tracked.values()].map(async (follower) => {
        const progress = await follower.progress();
        const lag = headPosition > progress.position ? headPosition - progress.position : 0n;
        return { name: follower.name, lag, ...progress };
      }),
    );
  }

  /** Resolves once every projection has committed `position`; NotReadyError (503) after the timeout. */
  async waitForAll(
    position: bigint,
    timeoutMilliseconds = this.settings.consistencyTimeoutMilliseconds,
  ): Promise<void> {
    if (this.following && this.all().some((runner) => runner.checkpointPosition < position))
      this.following.refresh();
    await Promise.all(this.all().map((runner) => runner.waitFor(position, timeoutMilliseconds)));
  }

  /**
   * Whether the read models can be queried: every projection here has set up its tables (on a
   * follower, the leader did). Right after start a query would otherwise meet missing tables.
   */
  get tablesExist(): boolean {
    if (this.allTablesSetUp || this.following !== undefined) return true;
    this.allTablesSetUp = this.all().every((runner) => runner.hasTables);
    return this.allTablesSetUp;
  }

  /**
   * Resolves once `tablesExist`, or after the consistency timeout: a server then starts
   * serving anyway, and readiness names the projections still setting up.
   */
  tablesOrTimeout(): Promise<void> {
    return this.waitForTables().catch(() => undefined);
  }

  /** Resolves once `tablesExist`; NotReadyError (503) after the timeout. */
  async waitForTables(
    timeoutMilliseconds = this.settings.consistencyTimeoutMilliseconds,
  ): Promise<void> {
    if (this.tablesExist) return;
    const missing = this.all().filter((runner) => !runner.hasTables);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new NotReadyError(
              `the read models are still being set up (${missing.map((runner) => runner.name).join(', ')}) after ${timeoutMilliseconds} ms: retry in a moment, or see GET /health/ready`,
            ),
          ),
        timeoutMilliseconds,
      );
    });
    try {
      await Promise.race([Promise.all(missing.map((runner) => runner.tablesReady())), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The first projection that set this partition (a book) aside, with where and why. */
  quarantineOf(partition: string): (QuarantinedPartition & { projection: string }) | undefined {
    for (const runner of this.runners.values()) {
      const quarantined = runner.quarantined(partition);
      if (quarantined) return { ...quarantined, projection: runner.name };
    }
    return undefined;
  }

  /** Starts a rebuild in the background and returns at once (the runner shows `rebuilding`). */
  requestRebuild(name: string): ProjectionRunner {
    const runner = this.runner(name);
    runner.rebuild().catch((error: unknown) => {
      new Logger(`Projection ${name}`).error(
        `rebuild failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return runner;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const runner of this.runners.values()) runner.start();
  }

  /** `keepWaiters`: leadership handed over; pending waits go on (see `follow`). */
  async stop(options: { keepWaiters?: boolean } = {}): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await Promise.all(this.all().map((runner) => runner.stop(options)));
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Leader election owns start/stop: no start on application bootstrap. Call it before bootstrap. */
  leaveStartToLeaderElection(): void {
    this.settings = { ...this.settings, autoStart: false };
  }

  /**
   * On an instance that does not run the projections (a follower with the read models in the
   * shared PostgreSQL): keeps each runner's position equal to the checkpoint the leader
   * committed, so `waitForAll` (`?consistentWith=`) and `GET /v1/projections` work here too.
   * The checkpoints are read again on every `wakeUps` call (PostgreSQL: NOTIFY kontor_checkpoints
   * from the leader's commits), when a wait finds a runner behind, and — only while waits are
   * pending, in case a notification was lost with its connection — every `pollMilliseconds`.
   */
  follow(
    wakeUps?: (listener: () => void) => () => void,
    pollMilliseconds = followerPollMillisecondsDefault,
  ): void {
    if (this.following) return;
    const checkpoints = new CheckpointStore(this.db);
    let refreshing = false;
    let dirty = false;
    const refresh = () => {
      dirty = true;
      if (refreshing) return;
      refreshing = true;
      void (async () => {
        while (dirty && this.following === following) {
          dirty = false;
          try {
            for (const checkpoint of await checkpoints.loadAll())
              this.runners.get(checkpoint.name)?.observe(checkpoint);
          } catch (error) {
            new Logger('Projections').warn(
              `reading the checkpoints failed: ${error instanceof Error ? error.message : String(error)}`,
            );
          }
        }
        refreshing = false;
      })();
    };
    const unsubscribe = wakeUps?.(refresh);
    const poll = setInterval(() => {
      if (this.all().some((runner) => runner.hasWaiters)) refresh();
    }, pollMilliseconds);
    poll.unref();
    const following: Following = {
      refresh,
      end: () => {
        unsubscribe?.();
        clearInterval(poll);
      },
    };
    this.following = following;
    refresh();
  }

  unfollow(): void {
    this.following?.end();
    this.following = undefined;
  }

  get isFollowing(): boolean {
    return this.following !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.autoStart) return;
    this.start();
    await this.tablesOrTimeout();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unfollow();
    await this.stop();
  }

  private assertHealthy(): void {
    if (!this.started && !this.following) throw new Error('projections are not running');
    const failed = this.all().filter((runner) => runner.currentStatus === 'failed');
    if (failed.length > 0)
      throw new Error(`projections failed: ${failed.map((runner) => runner.name).join(', ')}`);
    if (!this.tablesExist)
      throw new Error(
        `projections setting up their tables: ${this.all()
          .filter((runner) => !runner.hasTables)
          .map((runner) => runner.name)
          .join(', ')}`,
      );
  }

  private registerMetrics(metrics: Metrics): void {
    const service = this;
    metrics.gauge<'projection'>({
      name: 'kontor_projection_lag_events',
      help: 'Events in the log not yet applied by each projection',
      labelNames: ['projection'],
      async collect() {
        const head = await service.store.headPosition();
        for (const runner of service.all()) {
          const lag = head > runner.checkpointPosition ? head - runner.checkpointPosition : 0n;
          this.set({ projection: runner.name }, Number(lag));
        }
        for (const state of await service.trackedStates(head))
          this.set({ projection: state.name }, Number(state.lag));
      },
    });
  }
}
