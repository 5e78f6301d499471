import pg from 'pg';
import { ElectionEvents, LeaderElection } from './leader-election.js';

/** Classid of the leader lock (pg_try_advisory_lock(int, int)): "KoLd"; the key is hashtext(schema). */
export const leaderLockClass = 0x4b6f4c64;

/**
 * The server drops a silent client's session (and so its lock) after about
 * idle + interval × count seconds — longer than a partitioned leader needs to notice it lost its
 * connection (at most two retry intervals: the next ping and its timeout), so two leaders never
 * overlap through a network partition. Ignored on Unix sockets, where there is no partition.
 */
export function serverKeepalive(retryMilliseconds: number): {
  idleSeconds: number;
  intervalSeconds: number;
  count: number;
} {
  return {
    idleSeconds: Math.max(4, Math.ceil((2 * retryMilliseconds) / 1000)),
    intervalSeconds: 2,
    count: 3,
  };
}

export interface PostgresLeaderElectionOptions {
  /** How often a follower tries the lock, and a leader checks its connection (KONTOR_LEADER_RETRY_MS). */
  retryMilliseconds: number;
  logger?: { warn(message: string): void };
}

/**
 * Leader election on PostgreSQL: the leader holds a session-level advisory lock, one per schema,
 * on a dedicated connection. A dead leader's session ends (its socket closes) and the server
 * releases the lock; a follower takes it at its next try (every `retryMilliseconds`). The leader
 * pings its connection as often: a ping that fails or takes longer than `retryMilliseconds`, or
 * the connection ending, means it stops leading at once — it cannot know whether the server
 * still holds its lock.
 */
export class PostgresLeaderElection implements LeaderElection {
  readonly method = 'postgres-advisory-lock' as const;
  private client: pg.Client | undefined;
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> | undefined;
  private events: ElectionEvents | undefined;

  constructor(
    private readonly url: string,
    private readonly options: PostgresLeaderElectionOptions,
  ) {}

  get isLeading(): boolean {
    return this.leading;
  }

  async start(events: ElectionEvents): Promise<void> {
    this.events = events;
    this.stopped = false;
    await this.tick();
  }

  async stop(beforeRelease: () => Promise<void>): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt;
    if (this.leading) await beforeRelease();
    this.leading = false;
    const client = this.client;
    this.client = undefined;
    // Ending the session releases the lock.
    await client?.end().catch(() => undefined);
  }

  private tick(): Promise<void> {
    this.timer = undefined;
    this.attempt = this.campaign().finally(() => {
      this.attempt = undefined;
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.tick(), this.options.retryMilliseconds);
        this.timer.unref();
      }
    });
    return this.attempt;
  }

  private async campaign(): Promise<void> {
    let client: pg.Client | undefined;
    try {
      client = this.client ?? (await this.connect());
      if (this.stopped) return;
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const result = await client.query<{ acquired: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS acquired',
        [leaderLockClass],
      );
      if (result.rows[0]?.acquired && !this.stopped) {
        this.leading = true;
        this.events?.gained();
      }
    } catch (error) {
      this.drop(client ?? this.client, error instanceof Error ? error.message : String(error));
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: this.options.retryMilliseconds,
      query_timeout: this.options.retryMilliseconds,
    });
    client.on('error', (error) => this.drop(client, error.message));
    client.on('end', () => this.drop(client, 'the connection ended'));
    try {
      await client.connect();
      const { idleSeconds, intervalSeconds, count } = serverKeepalive(
        this.options.retryMilliseconds,
      );
      await client.query(
        `SET tcp_keepalives_idle = ${idleSeconds}; SET tcp_keepalives_interval = ${intervalSeconds}; SET tcp_keepalives_count = ${count}`,
      );
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  /** The lock connection is lost or unusable: a leader stops leading at once. */
  private drop(client: pg.Client | undefined, reason: string): void {
    if (client === undefined || client !== this.client) {
      client?.end().catch(() => undefined);
      return;
    }
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.options.logger?.warn(`leader lock connection: ${reason}`);
    if (!this.leading) return;
    this.leading = false;
    this.events?.lost(`lost the leader lock connection (${reason})`);
  }
}
