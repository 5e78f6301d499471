import {
  Decider,
  DomainEvent,
  EventMetadata,
  EventStore,
  RecordedEvent,
  WrongExpectedRevisionError,
  assert,
  readBatchSizeMax,
  toNewEvents,
} from '../../event-sourcing/index.js';

/** Revision races lost in a row before the command is refused (409 conflict). */
export const appendAttemptsMax = 5;

export type CommandMetadata = EventMetadata & { commandId: string };

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
 * Calls on one instance run one at a time. Approval streams are short; policy and delegation
 * streams are small and cached per process.
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
  events(): Promise<readonly RecordedEvent[]> {
    return this.serialized(async () => {
      await this.readNew();
      return this.recorded;
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
    for (let attempt = 1; ; attempt++) {
      await this.readNew();
      const decided = this.decider.decide(
        typeof command === 'function'
          ? (command as (state: State) => Command)(this.state)
          : command,
        this.state,
      );
      if (decided.length === 0)
        return { state: this.state, positions: [], position: this.lastPosition };
      try {
        const result = await this.store.append(this.streamId, toNewEvents(decided, metadata), {
          expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
        });
        await this.readNew();
        return { state: this.state, positions: result.positions, position: this.lastPosition };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= appendAttemptsMax)
          throw error;
      }
    }
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
