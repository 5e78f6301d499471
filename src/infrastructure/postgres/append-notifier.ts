import { Client } from 'pg';

/** Wait before reconnecting a lost LISTEN connection. */
const listenReconnectDelayMilliseconds = 1000;

/**
 * Wakes onAppended listeners: at once for this instance's own commits, and through
 * `LISTEN kontor_events` for commits of other instances or processes on the same database. The
 * writer sends `NOTIFY kontor_events, '<schema>:<position>'` inside its transaction (delivered at
 * commit); notifications of other schemas are ignored, and so are those this instance already
 * announced. The LISTEN connection is opened only once a listener is registered.
 */
export class AppendNotifier {
  static readonly channel = 'kontor_events';
  private readonly listeners = new Set<() => void>();
  private announcedPosition = 0n;
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly connectTimeoutMilliseconds: number,
  ) {}

  payload(position: bigint): string {
    return `${this.schema}:${position}`;
  }

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    this.ensureListening();
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Called by this instance's writer after a commit. */
  committed(position: bigint): void {
    if (position > this.announcedPosition) this.announcedPosition = position;
    this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wake(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others are still woken.
      }
    }
  }

  private ensureListening(): void {
    if (this.closed || this.client || this.connecting || this.reconnectTimer) return;
    this.connecting = this.listen().finally(() => (this.connecting = undefined));
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: this.connectTimeoutMilliseconds });
    client.on('notification', (message) => this.onNotification(message.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${AppendNotifier.channel}`);
    } catch {
      this.lost(client);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Commits made while not listening were not announced: let the subscribers look.
    this.wake();
  }

  private onNotification(payload: string | undefined): void {
    const separator = payload?.lastIndexOf(':') ?? -1;
    if (payload === undefined || separator < 0 || payload.slice(0, separator) !== this.schema) return;
    const position = BigInt(payload.slice(separator + 1));
    if (position <= this.announcedPosition) return;
    this.announcedPosition = position;
    this.wake();
  }

  private lost(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.listeners.size > 0) this.ensureListening();
    }, listenReconnectDelayMilliseconds);
    this.reconnectTimer.unref();
  }
}
