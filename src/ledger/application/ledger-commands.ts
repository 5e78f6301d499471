import {
  BookCommand,
  CloseAccount,
  ClosePeriod,
  OpenAccount,
  OpenBook,
  PostJournalEntry,
  ReopenPeriod,
  ReverseJournalEntry,
} from '../domain/book.commands.js';
import { BookEvent } from '../domain/book.events.js';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { BookCommandResult, BookEventRecord } from './book-worker.js';
import { BookWorkers } from './book-workers.js';

export interface LedgerCommandResult {
  /** The posted entry (posts and reversals). */
  entryId?: string;
  /** Position of the command's last event (for a repeated post: of the original entry's event). */
  position: bigint;
  events: BookEventRecord[];
  /** Nothing was appended: the command repeated an earlier one, answered with the original. */
  repeated: boolean;
}

/** A domain command given with or without its `type` (the method names it). */
type Input<Command extends BookCommand> = Omit<Command, 'type'> & { type?: Command['type'] };

/**
 * The ledger's write API for other modules (the approvals reactor runs approved commands here):
 * every command goes straight to its book's worker, with NO approval gate. HTTP requests pass
 * the gate first (the command handlers), then end up here.
 */
export class LedgerCommands {
  constructor(private readonly workers: BookWorkers) {}

  openBook(command: Input<OpenBook>, metadata: CommandMetadata): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'OpenBook' }, metadata);
  }

  openAccount(
    command: Input<OpenAccount>,
    metadata: CommandMetadata,
  ): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'OpenAccount' }, metadata);
  }

  closeAccount(
    command: Input<CloseAccount>,
    metadata: CommandMetadata,
  ): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'CloseAccount' }, metadata);
  }

  postJournalEntry(
    command: Input<PostJournalEntry>,
    metadata: CommandMetadata,
  ): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'PostJournalEntry' }, metadata);
  }

  reverseJournalEntry(
    command: Input<ReverseJournalEntry>,
    metadata: CommandMetadata,
  ): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'ReverseJournalEntry' }, metadata);
  }

  closePeriod(
    command: Input<ClosePeriod>,
    metadata: CommandMetadata,
  ): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'ClosePeriod' }, metadata);
  }

  reopenPeriod(
    command: Input<ReopenPeriod>,
    metadata: CommandMetadata,
  ): Promise<LedgerCommandResult> {
    return this.execute({ ...command, type: 'ReopenPeriod' }, metadata);
  }

  async execute(command: BookCommand, metadata: CommandMetadata): Promise<LedgerCommandResult> {
    const result = await this.workers.workerFor(command.bookId).execute(command, metadata);
    return withEntryId(result);
  }

  /**
   * The events `command` would produce against the book as it is now, without appending; throws
   * the DomainError it would fail with. [] means it repeats an earlier command.
   */
  dryRun(command: BookCommand): Promise<BookEvent[]> {
    return this.workers.workerFor(command.bookId).dryRun(command);
  }
}

function withEntryId(result: BookCommandResult): LedgerCommandResult {
  const posted = result.events.find((event) => event.type === 'JournalEntryPosted');
  return { ...result, ...(posted === undefined ? {} : { entryId: posted.data.entryId }) };
}
