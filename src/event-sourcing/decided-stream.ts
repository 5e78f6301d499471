import { assert } from './assert.js';
import { Decider } from './decider.js';
import { DomainEvent, RecordedEvent } from './event.js';
import { EventStore, readBatchSizeMax } from './event-store.js';
import { CommandMetadata, handleCommand } from './handle-command.js';

export interface HandledCommand<State> {
  /** The state after the command (unchanged when it decided nothing). */
  state: State;
  /** Global positions of the appended events; empty when the command decided nothing (a repeat). */
  positions: bigint[];
  /** Position of the stream's last event now (undefined for an empty stream). */
  position: bigint | undefined;
}

/**
 * One stream folded with its decider, kept in memory and brought up to date by reading only what
 * was appended since (`refresh`). `handle` decides against the current state and appends with the
 * expected revision; a lost race (another writer or instance) refreshes and decides again.
 * Calls on one instance run one at a time. Meant for short or small streams cached per process
 * (approval requests, policies, delegations, webhooks); a book has its worker instead.
 */
export class DecidedStream<Command, Event extends DomainEvent, State> {
  private state: State;
  private revision = -1;
  private readonly recorded: RecordedEvent[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  /** A refresh queued behind the running work and not started yet; callers arriving now share it. */
  private queuedRefresh: Promise<State> | undefined;

  constructor(
    private readonly store: EventStore,
    readonly streamId: string,
    private readonly decider: Decider<Command, Event, State>,
  ) {
    this.state = decider.initialState();
  }

  /**
   * The state with every event appended before the call. Concurrent callers share one read: a
   * caller joins a refresh only while it has not started, so the read it gets began after the
   * call (a policy committed through another instance before the call is always seen), and a
   * burst of gate checks costs one round trip per refresh instead of one each, in a row.
   */
  current(): Promise<State> {
    if (this.queuedRefresh) return this.queuedRefresh;
    const refresh: Promise<State> = this.serialized(async () => {
      if (this.queuedRefresh === refresh) this.queuedRefresh = undefined;
      await this.readNew();
      return this.state;
    });
    this.queuedRefresh = refresh;
    return refresh;
  }

  /** The stream's events as stored (after a refresh). */
  async events(): Promise<readonly RecordedEvent[]> {
    return (await this.read()).events;
  }

  /** The state and the stream's events as stored, from one refresh. */
  read(): Promise<{ state: State; events: readonly RecordedEvent[] }> {
    return this.serialized(async () => {
      await this.readNew();
      return { state: this.state, events: this.recorded };
    });
  }

  /** `command` may depend on the state it is decided against (it is called again after a lost race). */
  handle(
    command: Command | ((state: State) => Command),
    metadata: CommandMetadata,
  ): Promise<HandledCommand<State>> {
    return this.serialized(() => this.handleNow(command, metadata));
  }

  private async handleNow(
    command: Command | ((state: State) => Command),
    metadata: CommandMetadata,
  ): Promise<HandledCommand<State>> {
    const load = async () => {
      await this.readNew();
      return { state: this.state, revision: this.revision };
    };
    const appended = await handleCommand(
      this.store,
      { streamId: this.streamId, load, decide: (c, state) => this.decider.decide(c, state) },
      command,
      metadata,
    );
    if (appended === undefined)
      return { state: this.state, positions: [], position: this.lastPosition };
    await this.readNew();
    return { state: this.state, positions: appended.positions, position: this.lastPosition };
  }

  private get lastPosition(): bigint | undefined {
    return this.recorded[this.recorded.length - 1]?.position;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const events = await this.store.readStream(this.streamId, {
        fromRevision: this.revision + 1,
        limit: readBatchSizeMax,
      });
      for (const event of events) {
        assert(
          event.revision === this.revision + 1,
          `${this.streamId}: revision ${event.revision} after ${this.revision}`,
        );
        assert(
          event.schemaVersion === 1,
          `${event.type} schema version ${event.schemaVersion} has no upcaster`,
        );
        this.state = this.decider.evolve(this.state, {
          type: event.type,
          data: event.data,
        } as Event);
        this.revision = event.revision;
        this.recorded.push(event);
      }
      if (events.length < readBatchSizeMax) return;
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Streams cached per process (one per book, say): at most this many before the cache starts over. */
export const decidedStreamsCachedMax = 1_000;

/**
 * The value of `key` in `cache`, made on first use; a full cache is cleared first (the streams
 * are re-read on their next use, so clearing loses nothing but the read).
 */
export function cachedPerKey<Value>(
  cache: Map<string, Value>,
  key: string,
  make: () => Value,
  max = decidedStreamsCachedMax,
): Value {
  let value = cache.get(key);
  if (!value) {
    if (cache.size >= max) cache.clear();
    value = make();
    cache.set(key, value);
  }
  return value;
}
