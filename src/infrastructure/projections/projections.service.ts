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
import { Projection, ProjectionState } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { loadProjectionsSettings, PROJECTIONS_SETTINGS, ProjectionsSettings } from './projections.settings.js';

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
 * `start()` / `stop()` is the one seam for leader election (set `autoStart: false`).
 */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly settings: ProjectionsSettings;
  private started = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    @Optional() @Inject(PROJECTIONS_SETTINGS) settings?: ProjectionsSettings,
    @Optional() @Inject(CLOCK) private readonly clock?: Clock,
    @Optional() metrics?: Metrics,
    @Optional() readiness?: ReadinessRegistry,
  ) {
    this.settings = settings ?? loadProjectionsSettings();
    if (metrics) this.registerMetrics(metrics);
    readiness?.register('projections', () => this.assertHealthy());
  }

  get consistencyTimeoutMilliseconds(): number {
    return this.settings.consistencyTimeoutMilliseconds;
  }

  /** Adds a projection; after start, its runner starts at once. Names are unique. */
  register(projection: Projection): ProjectionRunner {
    assert(!this.runners.has(projection.name), `projection ${projection.name} is registered twice`);
    const runner = new ProjectionRunner(projection, this.store, this.db, {
      ...this.settings.runner,
      clock: this.clock,
    });
    this.runners.set(projection.name, runner);
    if (this.started) runner.start();
    return runner;
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

  async states(): Promise<ProjectionState[]> {
    return Promise.all(this.all().map((runner) => runner.state()));
  }

  /** Resolves once every projection has committed `position`; NotReadyError (503) after the timeout. */
  async waitForAll(position: bigint, timeoutMilliseconds = this.settings.consistencyTimeoutMilliseconds): Promise<void> {
    await Promise.all(this.all().map((runner) => runner.waitFor(position, timeoutMilliseconds)));
  }

  /** Starts a rebuild in the background and returns at once (the runner shows `rebuilding`). */
  requestRebuild(name: string): ProjectionRunner {
    const runner = this.runner(name);
    runner.rebuild().catch((error: unknown) => {
      new Logger(`Projection ${name}`).error(`rebuild failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return runner;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const runner of this.runners.values()) runner.start();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await Promise.all(this.all().map((runner) => runner.stop()));
  }

  get isStarted(): boolean {
    return this.started;
  }

  onApplicationBootstrap(): void {
    if (this.settings.autoStart) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private assertHealthy(): void {
    if (!this.started) throw new Error('projections are not running');
    const failed = this.all().filter((runner) => runner.currentStatus === 'failed');
    if (failed.length > 0) throw new Error(`projections failed: ${failed.map((runner) => runner.name).join(', ')}`);
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
      },
    });
  }
}
