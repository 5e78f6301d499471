import { EventStore, RecordedEvent, subscribeToAll } from '../../event-sourcing/index.js';

/** `previous`: the position of the event handed out before this one (positions have gaps on KurrentDB). */
export type LiveListener = (event: RecordedEvent, previous: bigint) => void;

/**
 * One reader of the log for every live SSE client: it follows the store from the head and hands
 * each new event, in position order, to every listener synchronously. Listeners only queue (they
 * never wait), so a slow client can never hold up the hub, the other clients, or writers.
 */
export class LiveEventHub {
  private readonly listeners = new Set<LiveListener>();
  private abort: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private lastPosition = 0n;

  constructor(
    private readonly store: EventStore,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    if (this.abort) return;
    this.abort = new AbortController();
    this.lastPosition = await this.store.headPosition();
    this.loop = this.follow(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.abort = undefined;
    await this.loop;
  }

  /** The position of the last event handed out. */
  get position(): bigint {
    return this.lastPosition;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const event of subscribeToAll(this.store, {
          after: this.lastPosition,
          signal,
        })) {
          const previous = this.lastPosition;
          this.lastPosition = event.position;
          for (const listener of this.listeners) listener(event, previous);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.onError(error);
        await new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
      }
    }
  }
}
