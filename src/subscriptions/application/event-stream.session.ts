import { EventStore, readBatchSizeMax, RecordedEvent } from '../../event-sourcing/index.js';
import { LiveEventHub } from './live-event-hub.js';

/** The part of http.ServerResponse a session writes to. */
export interface SseSink {
  write(chunk: string): boolean;
  end(): void;
  destroy(): void;
  readonly writableLength: number;
  readonly destroyed: boolean;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

export interface EventStreamOptions {
  /** Exclusive: the first event sent is the one after this position. */
  after: bigint;
  matches(event: RecordedEvent): boolean;
  /** An event that ends the stream at once, wherever it is read (the client's key revoked). */
  endsStream?(event: RecordedEvent): boolean;
  /** The `data:` of one event (one line of JSON). */
  render(event: RecordedEvent): string;
  bufferBytesMax: number;
  heartbeatMilliseconds: number;
  /** Milliseconds EventSource waits before reconnecting (the `retry:` field). */
  reconnectMilliseconds?: number;
  /** After ending, a client that reads nothing more is cut off after this long. */
  closeGraceMilliseconds?: number;
  onEnd?: (reason: SessionEndReason) => void;
}

export type SessionEndReason =
  'client-closed' | 'slow-consumer' | 'server-stopping' | 'key-revoked';

/** The `event: error` a stream ends with, per reason (a client that closed gets none). */
const endProblems: Record<Exclude<SessionEndReason, 'client-closed'>, Record<string, string>> = {
  'slow-consumer': {
    type: '/problems/slow-consumer',
    title: 'Slow consumer',
    detail:
      'the client fell too far behind; reconnect with Last-Event-ID to resume from the last event received',
  },
  'server-stopping': {
    type: '/problems/not-ready',
    title: 'Server stopping',
    detail: 'the server is shutting down; reconnect with Last-Event-ID',
  },
  'key-revoked': {
    type: '/problems/unauthorized',
    title: 'Unauthorized',
    detail: 'the API key of this stream was revoked: the stream is closed',
  },
};

const catchUpBatchSize = readBatchSizeMax;

interface LiveEvent {
  event: RecordedEvent;
  /** The position of the log's event before it (the hub's last one). */
  previous: bigint;
}
const reconnectMillisecondsDefault = 1_000;
const closeGraceMillisecondsDefault = 5_000;
export const heartbeatFrame = ': heartbeat\n\n';

export function eventFrame(position: bigint, data: string): string {
  return `id: ${position}\ndata: ${data}\n\n`;
}

export function errorFrame(problem: Record<string, unknown>): string {
  return `event: error\ndata: ${JSON.stringify(problem)}\n\n`;
}

/**
 * One SSE client. Catch-up: reads the log after `after` from the store at the client's pace
 * (awaiting `drain`), while live events from the hub are kept aside (bounded). Then live: each
 * hub event after the last one read is written at once, or queued while the socket is full.
 * When the queue passes `bufferBytesMax` the stream ends with `event: error`: the client
 * reconnects with `Last-Event-ID` (the last id it got) and catches up from the store.
 * Order and completeness come from positions: anything at or below `lastSeen` is a duplicate;
 * a live event whose predecessor in the log (the hub's `previous`) is not `lastSeen` would be a
 * gap and sends the session back to catching up (positions are opaque: no `lastSeen + 1`).
 */
export class EventStreamSession {
  private mode: 'catching-up' | 'live' | 'ended' = 'catching-up';
  private lastSeen: bigint;
  private pending: LiveEvent[] = [];
  private pendingBytes = 0;
  /** Times the pending live events were dropped during a catch-up round (it then reads again). */
  private drops = 0;
  private readonly queue: string[] = [];
  private queuedBytes = 0;
  private blocked = false;
  private flushScheduled = false;
  private drainWaiters: (() => void)[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private finished!: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly hub: LiveEventHub,
    private readonly sink: SseSink,
    private readonly options: EventStreamOptions,
  ) {
    this.lastSeen = options.after;
    this.done = new Promise((resolve) => (this.finished = resolve));
  }

  start(): void {
    this.sink.on('close', this.onClose);
    this.sink.on('drain', this.onDrain);
    this.unsubscribe = this.hub.subscribe(this.onLive);
    this.heartbeat = setInterval(
      () => this.send(heartbeatFrame),
      this.options.heartbeatMilliseconds,
    );
    this.heartbeat.unref();
    this.send(`retry: ${this.options.reconnectMilliseconds ?? reconnectMillisecondsDefault}\n\n`);
    void this.catchUp();
  }

  /** Ends the stream from the server side (shutdown). */
  stop(): void {
    this.end('server-stopping');
  }

  private readonly onClose = (): void => this.end('client-closed');

  private readonly onDrain = (): void => {
    this.blocked = false;
    this.flush();
    if (this.blocked) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  };

  private readonly onLive = (event: RecordedEvent, previous: bigint): void => {
    if (this.options.endsStream?.(event)) return this.end('key-revoked');
    if (this.mode === 'live') return this.deliverLive({ event, previous });
    if (this.mode !== 'catching-up') return;
    this.pending.push({ event, previous });
    this.pendingBytes += this.options.render(event).length;
    if (this.pendingBytes > this.options.bufferBytesMax) {
      // Everything dropped is in the store: the catch-up round reads it again.
      this.pending = [];
      this.pendingBytes = 0;
      this.drops++;
    }
  };

  private async catchUp(): Promise<void> {
    try {
      while (this.mode === 'catching-up') {
        const dropsBefore = this.drops;
        const batch = await this.store.readAll({ after: this.lastSeen, limit: catchUpBatchSize });
        for (const event of batch) {
          if (this.mode !== 'catching-up') return;
          if (this.options.endsStream?.(event)) return this.end('key-revoked');
          this.lastSeen = event.position;
          if (!this.options.matches(event)) continue;
          if (this.queue.length > 0) this.writeQueue(); // frames queued before (live ones, after a gap) go first
          this.sink.write(eventFrame(event.position, this.options.render(event)));
          // Pull at the client's pace: past half the buffer, wait until the socket took it all.
          if (this.sink.writableLength > this.options.bufferBytesMax / 2) await this.drained();
        }
        if (
          batch.length === catchUpBatchSize ||
          this.drops !== dropsBefore ||
          this.mode !== 'catching-up'
        )
          continue;
        this.goLive();
      }
    } catch {
      this.end('server-stopping');
    }
  }

  /** Synchronous: no live event can slip between the last read and the switch. */
  private goLive(): void {
    this.mode = 'live';
    const pending = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const event of pending) this.deliverLive(event);
  }

  private deliverLive(live: LiveEvent): void {
    const { event } = live;
    if (this.mode !== 'live' || event.position <= this.lastSeen) return;
    if (live.previous !== this.lastSeen) {
      this.mode = 'catching-up';
      this.pending = [live];
      void this.catchUp();
      return;
    }
    this.lastSeen = event.position;
    if (this.options.matches(event))
      this.send(eventFrame(event.position, this.options.render(event)));
  }

  /**
   * Queues a frame; frames queued in one turn of the event loop go out in one write (the hub
   * hands out a whole batch of events in one turn: one syscall per client, not per event).
   */
  private send(frame: string): void {
    if (this.mode === 'ended') return;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (this.queuedBytes > this.options.bufferBytesMax) {
      // Behind a full socket: the client is too slow. Otherwise: hand this turn's frames over now.
      if (this.blocked) return this.end('slow-consumer');
      return this.writeQueue();
    }
    if (!this.blocked && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.mode === 'ended' || this.blocked || this.queue.length === 0) return;
    this.writeQueue();
  };

  private writeQueue(): void {
    const chunk = this.queue.length === 1 ? this.queue[0]! : this.queue.join('');
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (!this.sink.write(chunk)) this.blocked = true;
  }

  private drained(): Promise<void> {
    this.blocked = true;
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private end(reason: SessionEndReason): void {
    if (this.mode === 'ended') return;
    this.mode = 'ended';
    this.unsubscribe?.();
    clearInterval(this.heartbeat);
    this.sink.off('drain', this.onDrain);
    this.queue.length = 0;
    this.queuedBytes = 0;
    for (const resolve of this.drainWaiters) resolve();
    this.drainWaiters = [];
    if (reason !== 'client-closed' && !this.sink.destroyed) {
      this.sink.write(errorFrame(endProblems[reason]));
      this.sink.end();
      const grace = setTimeout(
        () => this.sink.destroy(),
        this.options.closeGraceMilliseconds ?? closeGraceMillisecondsDefault,
      );
      grace.unref();
      this.sink.on('close', () => clearTimeout(grace));
    }
    this.sink.off('close', this.onClose);
    this.options.onEnd?.(reason);
    this.finished();
  }
}
