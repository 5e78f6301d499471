import { BookCommand } from '../domain/book.commands.js';
import { BookState } from '../domain/book.state.js';
import {
  BookStreamEvent,
  DocumentEvent,
  findBookEvent,
  isDocumentEvent,
} from '../domain/book.events.js';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { BookCommandResult, BookEventRecord } from './book-worker.js';
import { BookWorkers } from './book-workers.js';

export interface LedgerCommandResult {
  /** The posted entry (posts and reversals). */
  entryId?: string;
  /** PostDocument: the document and the number the book gave it. */
  documentId?: string;
  number?: string;
  /**
   * Position of the command's last event (for a repeated post: of the original entry's event;
   * 0 for a command that changed nothing, e.g. an account's IBAN set to the one it has).
   */
  position: bigint;
  events: BookEventRecord[];
  /** Nothing was appended: the command repeated an earlier one, answered with the original. */
  repeated: boolean;
}

/**
 * The ledger's write API for other modules (the approvals reactor runs approved commands here):
 * every command goes straight to its book's worker, with NO approval gate. Requests on the
 * CommandBus (`RunBookCommand`) pass the gate first, then end up here.
 */
export class LedgerCommands {
  constructor(private readonly workers: BookWorkers) {}

  async execute(command: BookCommand, metadata: CommandMetadata): Promise<LedgerCommandResult> {
    const result = await this.workers.workerFor(command.bookId).execute(command, metadata);
    return withEntryId(result);
  }

  /**
   * Many commands of ONE book as one batch of its worker (decided each on its own, appended
   * together): every command's result or error, in order.
   */
  async executeAll(
    bookId: string,
    commands: readonly { command: BookCommand; metadata: CommandMetadata }[],
  ): Promise<PromiseSettledResult<LedgerCommandResult>[]> {
    const settled = await this.workers.workerFor(bookId).executeAll(commands);
    return settled.map((result) =>
      result.status === 'fulfilled'
        ? { status: 'fulfilled', value: withEntryId(result.value) }
        : result,
    );
  }

  /**
   * The events `command` would produce against the book as it is now, without appending; throws
   * the DomainError it would fail with. [] means it repeats an earlier command. `current`: against
   * the stream as it is now, not the state the book's worker holds.
   */
  dryRun(command: BookCommand, options: { current?: boolean } = {}): Promise<BookStreamEvent[]> {
    return this.workers.workerFor(command.bookId).dryRun(command, options);
  }

  /**
   * Runs `post` with the book's snapshots held back, then saves one if it is due (BookWorker's
   * `deferSnapshots`): for bulk posting, e.g. `kontor import`.
   */
  async deferringSnapshots<T>(bookId: string, post: () => Promise<T>): Promise<T> {
    const resume = this.workers.workerFor(bookId).deferSnapshots();
    try {
      return await post();
    } finally {
      await resume();
    }
  }

  /**
   * Reads the book's state as its worker holds it, current with the stream (a consistent read
   * of small parts of it: tax codes, control accounts). `read` must not change the state.
   */
  inspect<T>(bookId: string, read: (state: BookState) => T): Promise<T> {
    return this.workers.workerFor(bookId).inspect(read, { current: true });
  }
}

function withEntryId(result: BookCommandResult): LedgerCommandResult {
  const posted = findBookEvent(result.events, 'JournalEntryPosted');
  const document = result.events.find((event): event is BookEventRecord & DocumentEvent =>
    isDocumentEvent(event),
  );
  return {
    ...result,
    ...(posted === undefined ? {} : { entryId: posted.data.entryId }),
    ...(document === undefined ? {} : { documentId: document.data.documentId }),
    ...(document?.data.number === undefined ? {} : { number: document.data.number }),
  };
}
