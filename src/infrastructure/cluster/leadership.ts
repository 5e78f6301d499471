import { BehaviorSubject, distinctUntilChanged, Observable } from 'rxjs';

/**
 * Work that must run on exactly one instance of a cluster (the leader): projections, reactors,
 * webhook delivery, approval expiry. `start` runs when this instance gains leadership (or at
 * once, when it already leads), `stop` when it loses it or shuts down. Both may be async; `stop`
 * must end the work promptly (finish or abandon the unit in flight) and be safe to call twice.
 */
export interface LeaderOnlyWorker {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface LeadershipLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Whether this instance leads, and the leader-only workers it runs while it does. The one seam
 * for leader-only work (docs/operations.md, "Scaling"):
 *
 *   @Injectable()
 *   export class WebhookDeliveryLifecycle implements OnModuleInit {
 *     constructor(private readonly leadership: Leadership, private readonly delivery: WebhookDelivery) {}
 *     onModuleInit() {
 *       this.leadership.register({ name: 'webhook-delivery', start: () => this.delivery.start(), stop: () => this.delivery.stop() });
 *     }
 *   }
 *
 * or observe `leadership$` (true while leading). Workers start in registration order and stop in
 * reverse order; transitions are serialized, so a stop never overlaps its worker's start. A
 * worker that fails to start is logged and retried at the next leadership gain; the others run.
 */
export class Leadership {
  private readonly workers: LeaderOnlyWorker[] = [];
  private readonly leading = new BehaviorSubject<boolean>(false);
  private readonly runningWorkers = new Set<LeaderOnlyWorker>();
  private transitions: Promise<void> = Promise.resolve();

  /** true while this instance leads; replays the current value to each new subscriber. */
  readonly leadership$: Observable<boolean> = this.leading.pipe(distinctUntilChanged());

  constructor(
    readonly instanceId: string,
    private readonly logger: LeadershipLogger,
  ) {}

  get isLeader(): boolean {
    return this.leading.value;
  }

  /** Adds a worker; started at once when this instance leads. Returns a function that removes (and stops) it. */
  register(worker: LeaderOnlyWorker): () => Promise<void> {
    this.workers.push(worker);
    if (this.isLeader) void this.enqueue(() => this.startWorker(worker));
    return () => {
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
      return this.enqueue(() => this.stopWorker(worker));
    };
  }

  /** This instance now leads: starts every worker. Resolves when they have started. */
  gained(): Promise<void> {
    if (this.isLeader) return this.transitions;
    this.leading.next(true);
    this.logger.log(`instance ${this.instanceId} leads`);
    return this.enqueue(async () => {
      for (const worker of [...this.workers]) {
        if (!this.isLeader) return;
        await this.startWorker(worker);
      }
    });
  }

  /** This instance no longer leads (from now on): stops every worker. Resolves when they have stopped. */
  lost(reason: string): Promise<void> {
    if (!this.isLeader) return this.transitions;
    this.leading.next(false);
    this.logger.warn(`instance ${this.instanceId} no longer leads: ${reason}`);
    return this.enqueue(() => this.stopAll());
  }

  /** Stops everything for good (shutdown); leadership$ completes. */
  async close(): Promise<void> {
    if (this.isLeader) this.leading.next(false);
    await this.enqueue(() => this.stopAll());
    this.leading.complete();
  }

  private async stopAll(): Promise<void> {
    for (const worker of [...this.workers].reverse()) await this.stopWorker(worker);
    for (const worker of [...this.runningWorkers]) await this.stopWorker(worker);
  }

  private enqueue(transition: () => Promise<void>): Promise<void> {
    this.transitions = this.transitions.then(transition, transition);
    return this.transitions;
  }

  private async startWorker(worker: LeaderOnlyWorker): Promise<void> {
    if (this.runningWorkers.has(worker) || !this.isLeader) return;
    try {
      await worker.start();
      this.runningWorkers.add(worker);
    } catch (error) {
      this.logger.error(`leader-only worker ${worker.name} failed to start: ${describe(error)}`);
    }
  }

  private async stopWorker(worker: LeaderOnlyWorker): Promise<void> {
    if (!this.runningWorkers.delete(worker)) return;
    try {
      await worker.stop();
    } catch (error) {
      this.logger.error(`leader-only worker ${worker.name} failed to stop: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
