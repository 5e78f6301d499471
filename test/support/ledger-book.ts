/**
 * Writes book commands straight through the pure book decider into a real event store (no HTTP,
 * no worker): for read-side tests that need many entries fast.
 *
 *   const writer = new BookWriter(store, 'acme');
 *   await writer.execute([{ type: 'OpenBook', bookId: 'acme', name: 'ACME', baseCurrency: 'EUR' }, ...]);
 */
import { EventStore, newId, toNewEvents } from '../../src/event-sourcing/index.js';
import {
  BookCommand,
  BookStreamEvent,
  bookDecider,
  BookState,
  bookStreamId,
} from '../../src/ledger/index.js';

export class BookWriter {
  private state: BookState = bookDecider.initialState();
  private revision = -1;

  constructor(
    private readonly store: EventStore,
    readonly bookId: string,
  ) {}

  /** Decides every command against the running state and appends all events in one append. */
  async execute(commands: BookCommand[]): Promise<bigint> {
    const events: BookStreamEvent[] = [];
    for (const command of commands) {
      const decided = bookDecider.decide(command, this.state);
      for (const event of decided) this.state = bookDecider.evolve(this.state, event);
      events.push(...decided);
    }
    const newEvents = toNewEvents(events, {
      actor: { id: 'test', name: 'Test' },
      correlationId: newId(),
      commandId: newId(),
      book: this.bookId,
    });
    const result = await this.store.append(bookStreamId(this.bookId), newEvents, {
      expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
    });
    this.revision = result.lastRevision;
    return result.lastPosition;
  }
}
