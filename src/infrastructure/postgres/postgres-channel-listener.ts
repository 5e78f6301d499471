import pg from 'pg';
import { dbConnectTimeoutMillisecondsDefault } from '../../config.js';

/** Wait before reconnecting a lost LISTEN connection. */
const reconnectDelayMilliseconds = 1_000;

/**
 * Calls its listeners on every `NOTIFY <channel>, '<schema>:<detail>'` of this connection's
 * schema (the URL's search_path) with the detail, and once with `undefined` after each
 * (re)connect, since notifications sent while not listening are lost. The connection opens with
 * the first listener. Used for appends (the event store) and for checkpoints (followers).
 */
export type ChannelListener = (detail: string | undefined) => void;

export class PostgresChannelListener {
  private readonly listeners = new Set<ChannelListener>();
  private client: pg.Client | undefined;
  private schema: string | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly connectTimeoutMilliseconds: number = dbConnectTimeoutMillisecondsDefault,
  ) {}

  add(listener: ChannelListener): () => void {
    this.listeners.add(listener);
    this.ensureListening();
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureListening(): void {
    if (this.closed || this.client || this.connecting || this.reconnectTimer) return;
    this.connecting = this.listen().finally(() => (this.connecting = undefined));
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: this.connectTimeoutMilliseconds,
    });
    client.on('notification', (message) => {
      const prefix = `${this.schema}:`;
      if (message.channel === this.channel && message.payload?.startsWith(prefix))
        this.wake(message.payload.slice(prefix.length));
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      const result = await client.query<{ schema: string }>('SELECT current_schema() AS schema');
      this.schema = result.rows[0]!.schema;
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch {
      this.lost(client);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.wake(undefined);
  }

  private wake(detail: string | undefined): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(detail);
      } catch {
        // One listener's failure is its own.
      }
    }
  }

  private lost(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.listeners.size > 0) this.ensureListening();
    }, reconnectDelayMilliseconds);
    this.reconnectTimer.unref();
  }
}
