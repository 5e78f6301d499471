import {
  EventStore,
  NewEvent,
  RecordedEvent,
  assert,
  readBatchSizeMax,
} from '../../event-sourcing/index.js';
import { BookCommand } from '../domain/book.commands.js';
import { BookState, findIdempotentEntry } from '../domain/book.state.js';
import { BookCommandResult, BookEventRecord, Settle, recordOf } from './book-event-records.js';

/**
 * The stream revision of every entry of one book seen by this process, to answer a repeated
 * command with the original entry's stored events.
 */
export class BookEntryIndex {
  private readonly entryRevisions = new Map<string, number>();
  /** The scan of the stream for entries before the snapshot, while one runs. */
  private entryScan: Promise<void> | undefined;

  constructor(
    private readonly bookId: string,
    private readonly streamId: string,
    private readonly store: EventStore,
  ) {}

  /** Remembers the entry of an event read from the stream. */
  remember(event: RecordedEvent): void {
    this.rememberAt(event, event.revision);
  }

  /** Remembers the entries of events just appended, the first at `firstRevision`. */
  rememberAppended(newEvents: readonly NewEvent[], firstRevision: number): void {
    newEvents.forEach((event, index) => this.rememberAt(event, firstRevision + index));
  }

  /**
   * A repeated post or reversal: answer with the original entry's stored event; a repeated
   * document with its document event too (appended right before its entry).
   */
  async answerRepeat(
    command: BookCommand,
    entryId: string,
    settle: Settle<BookCommandResult>,
  ): Promise<void> {
    try {
      const event = await this.readEntryEvent(entryId);
      const events =
        command.type === 'PostDocument'
          ? [await this.readDocumentEvent(event.revision - 1, command.document.id), event]
          : [event];
      settle.resolve({ events, position: event.position, repeated: true });
    } catch (error) {
      settle.reject(error);
    }
  }

  private async readEntryEvent(entryId: string): Promise<BookEventRecord> {
    const revision = this.entryRevisions.get(entryId) ?? (await this.scanForEntry(entryId));
    assert(
      revision !== undefined,
      `entry ${entryId} is in the state of book ${this.bookId} but not in its stream`,
    );
    const event = await this.readAt(revision);
    assert(
      event?.type === 'JournalEntryPosted',
      `revision ${revision} of ${this.streamId} is not entry ${entryId}`,
    );
    return recordOf(event);
  }

  private async readDocumentEvent(revision: number, documentId: string): Promise<BookEventRecord> {
    const event = await this.readAt(revision);
    assert(
      event !== undefined && (event.data as { documentId?: unknown }).documentId === documentId,
      `revision ${revision} of ${this.streamId} is not document ${documentId}`,
    );
    return recordOf(event);
  }

  private async readAt(revision: number): Promise<RecordedEvent | undefined> {
    const [event] = await this.store.readStream(this.streamId, {
      fromRevision: revision,
      limit: 1,
    });
    return event;
  }

  private rememberAt(event: Pick<NewEvent, 'type' | 'data'>, revision: number): void {
    if (event.type === 'JournalEntryPosted')
      this.entryRevisions.set((event.data as { entryId: string }).entryId, revision);
  }

  /**
   * Entries from before the snapshot we started from: read the stream once, remembering what we
   * pass. The repeats of one batch are answered concurrently, so they share one scan (a scan
   * each would read the whole stream once per repeat).
   */
  private async scanForEntry(entryId: string): Promise<number | undefined> {
    this.entryScan ??= this.scanAllEntries().finally(() => {
      this.entryScan = undefined;
    });
    await this.entryScan;
    return this.entryRevisions.get(entryId);
  }

  private async scanAllEntries(): Promise<void> {
    for (let fromRevision = 0; ; fromRevision += readBatchSizeMax) {
      const events = await this.store.readStream(this.streamId, {
        fromRevision,
        limit: readBatchSizeMax,
      });
      for (const event of events) this.remember(event);
      if (events.length < readBatchSizeMax) return;
    }
  }
}

/** The entry a command that decided no events repeats (the decider answers repeats with []). */
export function repeatedEntryId(command: BookCommand, state: BookState): string {
  assert(
    command.type === 'PostJournalEntry' ||
      command.type === 'ReverseJournalEntry' ||
      command.type === 'PostDocument' ||
      command.type === 'CarryForwardFiscalYear',
    `${command.type} decided no events`,
  );
  const ownId =
    command.type === 'PostJournalEntry' || command.type === 'CarryForwardFiscalYear'
      ? command.entryId
      : command.type === 'PostDocument'
        ? command.entry.entryId
        : command.newEntryId;
  if (command.idempotency === undefined) return ownId;
  return findIdempotentEntry(state, command.idempotency.key)?.entryId ?? ownId;
}
