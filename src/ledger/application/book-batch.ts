import {
  AppendResult,
  CommandMetadata,
  NewEvent,
  toNewEvents,
} from '../../event-sourcing/index.js';
import { BookCommand } from '../domain/book.commands.js';
import { decideBook } from '../domain/book.decider.js';
import { BookStreamEvent } from '../domain/book.events.js';
import { BookState, evolveBook } from '../domain/book.state.js';
import { BookEntryIndex, repeatedEntryId } from './book-entry-index.js';
import {
  BookCommandResult,
  BookEventRecord,
  Settle,
  jsonBytesOf,
  toRecord,
} from './book-event-records.js';

/** What a book's worker queues: a command to decide and append, or a read of its state. */
export type QueueItem =
  | ({
      kind: 'command';
      command: BookCommand;
      metadata: CommandMetadata;
      /** Commands queued together by `executeAll`: always decided and appended in one batch. */
      group?: object;
    } & Settle<BookCommandResult>)
  | ({
      kind: 'inspect';
      inspect: (state: BookState) => unknown;
      current?: boolean;
    } & Settle<unknown>);

export type CommandItem = Extract<QueueItem, { kind: 'command' }>;

/**
 * One command's outcome within an attempt at a batch. `repeatOf`: no events because the command
 * repeats an earlier one; the caller is answered with that entry.
 */
export type CommandOutcome =
  | { item: CommandItem; events: BookStreamEvent[]; newEvents: NewEvent[]; repeatOf?: undefined }
  | { item: CommandItem; events: []; unchanged: true; repeatOf?: undefined }
  | { item: CommandItem; events: []; repeatOf: string }
  | { item: CommandItem; error: unknown };

/** The commands decided in one attempt, and those left for the next append (the byte bound). */
export interface DecidedBatch {
  outcomes: CommandOutcome[];
  rest: CommandItem[];
  /** The state with the events of the accepted commands folded in. */
  state: BookState;
}

/** What a batch's append stored: the store's answer, or the events it held under these ids. */
export interface AppendedBatch {
  /** The accepted commands' events, in the order of their outcomes. */
  newEvents: NewEvent[];
  /** `undefined` when there was nothing to append. */
  result: AppendResult | undefined;
  /** Set when the append was an idempotent retry: the events stored before (by event id). */
  stored: Map<string, BookEventRecord> | undefined;
}

/**
 * Decides the commands in order and folds each accepted command's events into the state at
 * once, so later commands see earlier ones. `decideBook` is pure, so a refused command leaves
 * the state as it was. Once the accepted events would exceed `batchBytesMax`, the remaining
 * commands are left undecided (`rest`) for the next append: the state then holds exactly what
 * is about to be appended, so the bound costs no reload. `undefined`: evolving failed, every
 * command was rejected, and `initial` may be half-changed (`evolveBook` updates in place).
 */
export function decideAll(
  commands: CommandItem[],
  initial: BookState,
  bookId: string,
  batchBytesMax: number,
): DecidedBatch | undefined {
  let state = initial;
  const outcomes: CommandOutcome[] = [];
  let bytes = 0;
  for (const [index, item] of commands.entries()) {
    let events: BookStreamEvent[];
    try {
      events = decideBook(item.command, state);
    } catch (error) {
      outcomes.push({ item, error });
      continue;
    }
    if (events.length === 0) {
      outcomes.push(
        item.command.type === 'ChangeAccountIban'
          ? { item, events: [], unchanged: true }
          : { item, events: [], repeatOf: repeatedEntryId(item.command, state) },
      );
      continue;
    }
    const newEvents = toNewEvents(events, { ...item.metadata, book: bookId });
    const eventBytes = jsonBytesOf(newEvents);
    if (bytes > 0 && bytes + eventBytes > batchBytesMax)
      return { outcomes, rest: commands.slice(index), state };
    bytes += eventBytes;
    try {
      for (const event of events) state = evolveBook(state, event);
    } catch (error) {
      // An impossible state (an assert in evolve): the state may be half-changed.
      rejectAll(commands, error);
      return undefined;
    }
    outcomes.push({ item, events, newEvents });
  }
  return { outcomes, rest: [], state };
}

/** Answers every caller of an appended batch: its refusal, its repeat, or its events' records. */
export function answerAll(
  outcomes: readonly CommandOutcome[],
  { newEvents, result, stored }: AppendedBatch,
  entries: BookEntryIndex,
): void {
  let next = 0;
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      outcome.item.reject(outcome.error);
    } else if (outcome.repeatOf !== undefined) {
      void entries.answerRepeat(outcome.item.command, outcome.repeatOf, outcome.item);
    } else if ('unchanged' in outcome) {
      outcome.item.resolve({ events: [], position: 0n, repeated: true });
    } else {
      const count = outcome.events.length;
      const records = newEvents
        .slice(next, next + count)
        .map(
          (event, index) => stored?.get(event.eventId) ?? toRecord(event, result!, next + index),
        );
      next += count;
      outcome.item.resolve({
        events: records,
        position: records[records.length - 1]!.position,
        repeated: stored !== undefined,
      });
    }
  }
}

/** Answers every caller of a batch whose append failed: its own refusal, or `error`. */
export function answerFailedAppend(outcomes: readonly CommandOutcome[], error: unknown): void {
  for (const outcome of outcomes) outcome.item.reject('error' in outcome ? outcome.error : error);
}

export function rejectAll(items: readonly QueueItem[], error: unknown): void {
  for (const item of items) item.reject(error);
}

export function settleWith<T>(settle: Settle<T>, compute: () => T): void {
  try {
    settle.resolve(compute());
  } catch (error) {
    settle.reject(error);
  }
}
