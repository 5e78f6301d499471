import {
  AppendResult,
  AppendTooLargeError,
  CommandMetadata,
  ConflictError,
  EventStore,
  NewEvent,
  WrongExpectedRevisionError,
  assert,
  readBatchSizeMax,
} from '../../event-sourcing/index.js';
import { BookCommand } from '../domain/book.commands.js';
import { decideBook } from '../domain/book.decider.js';
import { BookStreamEvent, bookStreamId } from '../domain/book.events.js';
import { BookSnapshot, fromBookSnapshot } from '../domain/book.snapshot.js';
import { BookState, evolveBook, initialBookState } from '../domain/book.state.js';
import {
  CommandItem,
  CommandOutcome,
  QueueItem,
  answerAll,
  answerFailedAppend,
  decideAll,
  rejectAll,
  settleWith,
} from './book-batch.js';
import { BookEntryIndex } from './book-entry-index.js';
import {
  BookCommandResult,
  BookEventRecord,
  bookEventOf,
  storedRecordsAt,
} from './book-event-records.js';
import { BookSnapshots } from './book-snapshots.js';
import {
  BookWorkerLog,
  BookWorkerSettings,
  bookWorkerSettingsDefault,
} from './book-worker.settings.js';

export type { BookCommandResult, BookEventRecord } from './book-event-records.js';
export { bookWorkerSettingsDefault } from './book-worker.settings.js';
export type { BookWorkerLog, BookWorkerSettings } from './book-worker.settings.js';

/**
 * Every command of one book passes through its worker (ARCHITECTURE §4): it takes the queued
 * commands as a batch, decides each against the in-memory state (later commands see earlier
 * ones; a refused command does not stop the others), appends all events in ONE append with the
 * stream's expected revision, and answers every caller with its own events' positions.
 *
 * The state is restored lazily from the latest snapshot plus the events after it. `evolveBook`
 * updates it in place (docs/adr/0005), so after a failed append it is thrown away and reloaded;
 * when another instance wrote first (revision conflict) the whole batch is decided again.
 */
export class BookWorker {
  readonly streamId: string;
  /** `undefined`: not loaded yet, or dirty after a failed append (reloaded at the next batch). */
  private state: BookState | undefined;
  private revision = -1;
  private readonly entries: BookEntryIndex;
  private readonly snapshots: BookSnapshots;
  private readonly queue: QueueItem[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    readonly bookId: string,
    private readonly store: EventStore,
    private readonly settings: BookWorkerSettings = bookWorkerSettingsDefault,
    log: BookWorkerLog = { error: (message) => console.error(message) },
    /** Called when the queue ran empty (the registry may drop workers of books that do not exist). */
    private readonly onIdle?: (worker: BookWorker) => void,
  ) {
    this.streamId = bookStreamId(bookId);
    this.entries = new BookEntryIndex(bookId, this.streamId, store);
    this.snapshots = new BookSnapshots(this.streamId, store, settings, log, () => {
      if (this.idle) this.onIdle?.(this);
    });
  }

  async execute(command: BookCommand, metadata: CommandMetadata): Promise<BookCommandResult> {
    this.assertOwn(command);
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'command', command, metadata, resolve, reject }),
    );
  }

  /**
   * Runs many commands as ONE batch (whatever `commandsPerBatchMax` says): each decided on its
   * own, all accepted ones appended together (split only when their JSON exceeds
   * `batchBytesMax`). Answers every command with its result or its error, in order.
   */
  async executeAll(
    commands: readonly { command: BookCommand; metadata: CommandMetadata }[],
  ): Promise<PromiseSettledResult<BookCommandResult>[]> {
    const group = {};
    const results = commands.map(
      ({ command, metadata }) =>
        new Promise<BookCommandResult>((resolve, reject) => {
          this.assertOwn(command);
          this.enqueue({ kind: 'command', command, metadata, group, resolve, reject });
        }),
    );
    return Promise.allSettled(results);
  }

  /**
   * Decides without appending: the events the command would produce now, or the DomainError it
   * would fail with. [] means it repeats an earlier command (it would be answered with the original).
   * `current`: against the stream as it is now (events of other instances read first), not the
   * state this worker holds.
   */
  async dryRun(
    command: BookCommand,
    options: { current?: boolean } = {},
  ): Promise<BookStreamEvent[]> {
    if (this.state !== undefined && !options.current) {
      try {
        return decideBook(command, this.state);
      } catch {
        // A refusal may come from a state another instance has moved on from: decide it again
        // on the current stream (the events of the others read first).
        return this.inspect((state) => decideBook(command, state), { current: true });
      }
    }
    return this.inspect((state) => decideBook(command, state), options);
  }

  /**
   * Runs `inspect` against the loaded state with the next batch (before that batch's commands).
   * It must not change the state.
   */
  inspect<T>(inspect: (state: BookState) => T, options: { current?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.enqueue({
        kind: 'inspect',
        inspect,
        current: options.current,
        resolve: resolve as (value: unknown) => void,
        reject,
      }),
    );
  }

  /** True when nothing is queued or running. */
  get idle(): boolean {
    return this.draining === undefined && this.queue.length === 0;
  }

  /** Idle and not saving a snapshot: the registry may drop it (its state is restored on next use). */
  get evictable(): boolean {
    return this.idle && this.snapshots.saving === undefined;
  }

  /**
   * Called by the registry as it drops this idle worker: saves a snapshot when many events were
   * folded since the last one. Resolves when that write is done (it never rejects).
   */
  snapshotBeforeEviction(): Promise<void> {
    assert(this.evictable, `the worker of ${this.bookId} is evicted while busy`);
    this.saveSnapshotIfBehindBy(this.settings.snapshotOnEvictionEventsMin);
    return this.snapshots.saving ?? Promise.resolve();
  }

  /**
   * Holds snapshots back until the function returned is called (a bulk import: the snapshot of a
   * growing book is O(entries), and one every `snapshotStreamShare` of its stream serializes
   * about ten times its entries over the import). That function saves one if it is due by the
   * usual cadence and resolves when it is written (it never rejects). Snapshots only make loading
   * faster: without one the book is folded from the events after the last.
   */
  deferSnapshots(): () => Promise<void> {
    this.snapshots.defer();
    let resumed = false;
    return () => {
      if (!resumed && this.snapshots.resume() && this.idle) this.maybeSaveSnapshot();
      resumed = true;
      return this.snapshots.saving ?? Promise.resolve();
    };
  }

  get loadedState(): BookState | undefined {
    return this.state;
  }

  /** Waits for the queued commands and a snapshot being saved (shutdown). */
  async settled(): Promise<void> {
    while (this.draining !== undefined || this.snapshots.saving !== undefined) {
      await this.draining;
      await this.snapshots.saving;
    }
  }

  private assertOwn(command: BookCommand): void {
    assert(
      command.bookId === this.bookId,
      `command for book ${command.bookId} sent to the worker of ${this.bookId}`,
    );
  }

  private enqueue(item: QueueItem): void {
    this.queue.push(item);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    await Promise.resolve(); // lets the commands of the current tick join the first batch
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.nextBatchLength());
        await this.processBatch(batch);
      }
    } finally {
      this.draining = undefined;
    }
    this.onIdle?.(this);
  }

  /** `commandsPerBatchMax`, stretched so that a group of `executeAll` is never cut in two. */
  private nextBatchLength(): number {
    let length = Math.min(this.queue.length, this.settings.commandsPerBatchMax);
    const last = this.queue[length - 1];
    const group = last?.kind === 'command' ? last.group : undefined;
    if (group === undefined) return length;
    while (length < this.queue.length) {
      const next = this.queue[length]!;
      if (next.kind !== 'command' || next.group !== group) break;
      length++;
    }
    return length;
  }

  private async processBatch(batch: QueueItem[]): Promise<void> {
    const inspections = batch.filter((item) => item.kind === 'inspect');
    if (inspections.length > 0) {
      if (
        this.state !== undefined &&
        inspections.some((item) => item.current) &&
        (await this.streamMovedOn())
      )
        this.state = undefined;
      const state = await this.loadedOrReject(inspections);
      if (state !== undefined)
        for (const item of inspections) settleWith(item, () => item.inspect(state));
    }
    const commands = batch.filter((item): item is CommandItem => item.kind === 'command');
    if (commands.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      const state = await this.loadedOrReject(commands);
      if (state === undefined) return;
      const decided = decideAll(commands, state, this.bookId, this.settings.batchBytesMax);
      this.state = decided?.state;
      if (decided === undefined) return;
      const { outcomes, rest } = decided;
      if (
        attempt < this.settings.appendAttemptsMax &&
        outcomes.some((outcome) => 'error' in outcome) &&
        (await this.streamMovedOn())
      ) {
        // A refusal is never checked by an append: another instance may have written what makes
        // the command valid (an account, a reopened period). Decide again on the current stream.
        this.state = undefined;
        continue;
      }
      const appended = await this.appendDecided(outcomes);
      if (appended === 'done') {
        if (rest.length > 0) await this.processBatch(rest);
        return;
      }
      if (appended === 'split') {
        this.state = undefined; // holds the events of the batch that was not appended
        const half = Math.ceil(commands.length / 2);
        await this.processBatch(commands.slice(0, half));
        await this.processBatch(commands.slice(half));
        return;
      }
      if (attempt >= this.settings.appendAttemptsMax) {
        rejectAll(commands, appended.error);
        return;
      }
    }
  }

  /** Whether the stream has events this worker has not seen (written by another instance). */
  private async streamMovedOn(): Promise<boolean> {
    try {
      const [next] = await this.store.readStream(this.streamId, {
        fromRevision: this.revision + 1,
        limit: 1,
      });
      return next !== undefined;
    } catch {
      return false;
    }
  }

  private async loadedOrReject(items: QueueItem[]): Promise<BookState | undefined> {
    try {
      if (this.state === undefined) await this.load();
      return this.state;
    } catch (error) {
      rejectAll(items, error);
      return undefined;
    }
  }

  /** Appends all accepted events in one append, then answers every caller. */
  private async appendDecided(
    outcomes: CommandOutcome[],
  ): Promise<'done' | 'split' | { retry: true; error: unknown }> {
    const newEvents = outcomes.flatMap((outcome) =>
      'newEvents' in outcome ? outcome.newEvents : [],
    );
    let result: AppendResult | undefined;
    let stored: Map<string, BookEventRecord> | undefined;
    if (newEvents.length > 0) {
      const expectedRevision = this.revision < 0 ? 'no_stream' : this.revision;
      try {
        result = await this.store.append(this.streamId, newEvents, { expectedRevision });
      } catch (error) {
        this.state = undefined;
        // Another writer got there first (or already stored some of these events): decide again.
        if (error instanceof WrongExpectedRevisionError || error instanceof ConflictError)
          return { retry: true, error };
        if (error instanceof AppendTooLargeError && outcomes.length > 1) return 'split';
        answerFailedAppend(outcomes, error);
        return 'done';
      }
      if (!this.recordAppend(result, newEvents)) {
        try {
          stored = await storedRecordsAt(this.store, this.streamId, result.positions);
        } catch (error) {
          answerFailedAppend(outcomes, error);
          return 'done';
        }
      }
    }
    answerAll(outcomes, { newEvents, result, stored }, this.entries);
    return 'done';
  }

  /** False when every event was already stored (an idempotent retry answered by the store). */
  private recordAppend(result: AppendResult, newEvents: NewEvent[]): boolean {
    const firstRevision = result.lastRevision - newEvents.length + 1;
    if (firstRevision !== this.revision + 1) {
      // Our idea of the stream's head may be behind: reload before the next batch. The stored
      // events need not be contiguous: their entries' revisions are found by a scan.
      this.state = undefined;
      return false;
    }
    this.revision = result.lastRevision;
    this.entries.rememberAppended(newEvents, firstRevision);
    this.maybeSaveSnapshot();
    return true;
  }

  /** The latest snapshot (when its schema is current) plus every event after it. */
  private async load(): Promise<void> {
    const snapshot = await this.store.loadSnapshot<BookSnapshot>(this.streamId);
    const restored = snapshot === undefined ? undefined : fromBookSnapshot(snapshot.state);
    let state = restored ?? initialBookState();
    let revision = restored === undefined ? -1 : snapshot!.revision;
    for (;;) {
      const events = await this.store.readStream(this.streamId, {
        fromRevision: revision + 1,
        limit: readBatchSizeMax,
      });
      for (const event of events) {
        assert(
          event.revision === revision + 1,
          `${this.streamId}: revision ${event.revision} after ${revision}`,
        );
        state = evolveBook(state, bookEventOf(event));
        revision = event.revision;
        this.entries.remember(event);
      }
      if (events.length < readBatchSizeMax) break;
    }
    this.state = state;
    this.revision = revision;
    this.snapshots.restoredFrom(restored === undefined ? -1 : snapshot!.revision);
  }

  private maybeSaveSnapshot(): void {
    this.saveSnapshotIfBehindBy(this.settings.snapshotEveryEvents);
  }

  private saveSnapshotIfBehindBy(eventsMin: number): void {
    this.snapshots.saveIfBehindBy(this.state, this.revision, eventsMin);
  }
}
