import { PostgresChannelListener } from './postgres-channel-listener.js';

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
  private readonly channelListener: PostgresChannelListener;
  private listening = false;
  private announcedPosition = 0n;

  constructor(
    url: string,
    private readonly schema: string,
    connectTimeoutMilliseconds: number,
  ) {
    this.channelListener = new PostgresChannelListener(
      url,
      AppendNotifier.channel,
      connectTimeoutMilliseconds,
    );
  }

  payload(position: bigint): string {
    return `${this.schema}:${position}`;
  }

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.listening) {
      this.listening = true;
      this.channelListener.add((position) => this.onNotification(position));
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Called by this instance's writer after a commit. */
  committed(position: bigint): void {
    if (position > this.announcedPosition) this.announcedPosition = position;
    this.wake();
  }

  close(): Promise<void> {
    return this.channelListener.close();
  }

  /** `undefined` after a (re)connect: commits made while not listening were not announced. */
  private onNotification(detail: string | undefined): void {
    if (detail !== undefined) {
      const position = BigInt(detail);
      if (position <= this.announcedPosition) return;
      this.announcedPosition = position;
    }
    this.wake();
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
}
