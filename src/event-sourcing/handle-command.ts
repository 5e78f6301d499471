import { WrongExpectedRevisionError } from './errors.js';
import { DomainEvent, EventMetadata } from './event.js';
import { AppendResult, EventStore, ExpectedRevision } from './event-store.js';
import { toNewEvents } from './to-new-events.js';

/** Revision races lost in a row (another writer or instance) before a command is refused (409). */
export const appendAttemptsMax = 5;

/** Event metadata of a command: event ids derive from `commandId`, so a re-run appends nothing. */
export type CommandMetadata = EventMetadata & { commandId: string };

/** A stream's state as far as it has been read, and the revision of its last event (-1: none). */
export interface LoadedStream<State> {
  state: State;
  revision: number;
}

/** What a command runs against: one stream, how to bring its state up to date, and its decider. */
export interface CommandTarget<Command, Event extends DomainEvent, State> {
  streamId: string;
  load: () => Promise<LoadedStream<State>>;
  decide: (command: Command, state: State) => Event[];
}

export interface HandleCommandOptions {
  /**
   * A fixed expected revision instead of the loaded one (e.g. `no_stream`: only the first writer
   * may create the stream). A lost race is then not retried.
   */
  expectedRevision?: ExpectedRevision;
}

/**
 * The one way a command runs against a stream (docs/adr/0006): load → decide → append with the
 * expected revision → on a lost race, load again and decide again (at most `appendAttemptsMax`
 * attempts; the last WrongExpectedRevisionError is thrown). `command` may be a function of the
 * state, called again after a lost race. Resolves with the append, or undefined when the
 * command decided nothing (a repeat).
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  target: CommandTarget<Command, Event, State>,
  command: Command | ((state: State) => Command),
  metadata: CommandMetadata,
  options: HandleCommandOptions = {},
): Promise<AppendResult | undefined> {
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await target.load();
    const decided = target.decide(
      typeof command === 'function' ? (command as (state: State) => Command)(state) : command,
      state,
    );
    if (decided.length === 0) return undefined;
    try {
      return await store.append(target.streamId, toNewEvents(decided, metadata), {
        expectedRevision: options.expectedRevision ?? (revision < 0 ? 'no_stream' : revision),
      });
    } catch (error) {
      const retry =
        error instanceof WrongExpectedRevisionError &&
        options.expectedRevision === undefined &&
        attempt < appendAttemptsMax;
      if (!retry) throw error;
    }
  }
}
