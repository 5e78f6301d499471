import pg from 'pg';
import { dbConnectTimeoutMillisecondsDefault } from '../../config.js';

/** Wait before reconnecting a lost LISTEN connection. */
const reconnectDelayMilliseconds = 1_000;

/**
 * Calls its listeners on every `NOTIFY <channel>, '<schema>:…'` of this connection's schema
 * (the URL's search_path), and once after each (re)connect, since notifications sent while not
 * listening are lost. The connection opens with the first listener.
 */
export class PostgresChannelListener {
  private readonly listeners = new Set<() => void>();
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

  add(listener: () => void): () => void {
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
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: this.connectTimeoutMilliseconds });
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload?.startsWith(`${this.schema}:`)) this.wake();
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
    this.wake();
  }

  private wake(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
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
