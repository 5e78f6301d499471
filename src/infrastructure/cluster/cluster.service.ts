import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { KontorConfig, StoreKind } from '../../config.js';
import { Metrics } from '../http/metrics.js';
import { checkpointChannel, ProjectionsService } from '../projections/index.js';
import { KONTOR_CONFIG } from '../tokens.js';
import { CLUSTER_SETTINGS, ClusterSettings } from './cluster.settings.js';
import { ElectionMethod, LeaderElection, SingleInstanceElection } from './leader-election.js';
import { Leadership } from './leadership.js';
import { PostgresChannelListener } from '../postgres/postgres-channel-listener.js';
import { PostgresLeaderElection } from './postgres-leader-election.js';

export interface ClusterState {
  instanceId: string;
  leader: boolean;
  store: StoreKind;
  election: ElectionMethod;
}

/**
 * The PostgreSQL database that instances share, if any: the read models (and leader lock) live
 * in `DATABASE_URL` with KONTOR_STORE=postgres, and with KONTOR_STORE=kurrentdb when it is set.
 * Without one (SQLite), there is a single instance.
 */
export function sharedDatabaseUrl(config: KontorConfig): string | undefined {
  if (config.store === 'postgres') return config.databaseUrl;
  if (config.store === 'kurrentdb') return config.databaseUrl;
  return undefined;
}

/**
 * Runs the election and hands the leader-only work over as leadership changes. The projections
 * are the first leader-only worker: started on the leader; on a follower they only follow the
 * checkpoints the leader commits (NOTIFY kontor_checkpoints), so `?consistentWith=` works on
 * every instance.
 */
@Injectable()
export class ClusterService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Cluster');
  private readonly election: LeaderElection;
  private readonly checkpointListener: PostgresChannelListener | undefined;
  private shuttingDown = false;

  constructor(
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
    @Inject(CLUSTER_SETTINGS) settings: ClusterSettings,
    private readonly leadership: Leadership,
    private readonly projections: ProjectionsService,
    @Optional() metrics?: Metrics,
  ) {
    const url = sharedDatabaseUrl(config);
    this.election = url
      ? new PostgresLeaderElection(url, {
          retryMilliseconds: settings.leaderRetryMilliseconds,
          logger: this.logger,
        })
      : new SingleInstanceElection();
    this.checkpointListener = url
      ? new PostgresChannelListener(url, checkpointChannel, config.dbConnectTimeoutMilliseconds)
      : undefined;
    projections.leaveStartToLeaderElection();
    leadership.register({
      name: 'projections',
      start: () => {
        projections.unfollow();
        projections.start();
      },
      stop: async () => {
        await projections.stop({ keepWaiters: true });
        if (!this.shuttingDown) this.follow();
      },
    });
    metrics?.gauge({
      name: 'kontor_cluster_leader',
      help: '1 while this instance leads (runs projections, reactors and webhook delivery), else 0',
      collect() {
        this.set(leadership.isLeader ? 1 : 0);
      },
    });
  }

  state(): ClusterState {
    return {
      instanceId: this.leadership.instanceId,
      leader: this.leadership.isLeader,
      store: this.config.store,
      election: this.election.method,
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.follow();
    let first: Promise<void> = Promise.resolve();
    await this.election.start({
      gained: () => {
        first = this.leadership.gained();
      },
      lost: (reason) => void this.leadership.lost(reason),
    });
    await first;
    if (!this.leadership.isLeader)
      this.logger.log(`instance ${this.leadership.instanceId} follows (${this.election.method})`);
    // A leader listens once its read-model tables exist (a moment).
    else await this.projections.tablesOrTimeout();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown = true;
    this.projections.unfollow();
    await this.election.stop(() => this.leadership.close());
    await this.leadership.close();
    await this.checkpointListener?.close();
  }

  private follow(): void {
    const listener = this.checkpointListener;
    if (!listener) return;
    this.projections.follow((wake) => listener.add(wake));
  }
}
