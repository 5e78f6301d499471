/**
 * Many small postings into one book, straight through the book decider (BookWriter): for tests
 * and benchmarks that need a log of a given length fast. One event per command.
 *
 *   const postings = await Postings.open(store, 'acme');   // BookOpened + 2 × AccountOpened
 *   await postings.post(500);                              // 500 × JournalEntryPosted
 */
import { EventStore } from '../../src/event-sourcing/index.js';
import { BookCommand } from '../../src/ledger/index.js';
import { BookWriter } from './ledger-book.js';

export class Postings {
  private posted = 0;

  private constructor(private readonly writer: BookWriter) {}

  static async open(store: EventStore, bookId: string): Promise<Postings> {
    const writer = new BookWriter(store, bookId);
    await writer.execute([
      { type: 'OpenBook', bookId, name: `Book ${bookId}`, baseCurrency: 'EUR' },
      { type: 'OpenAccount', bookId, code: '1000', name: 'Bank', accountType: 'asset' },
      { type: 'OpenAccount', bookId, code: '8400', name: 'Revenue', accountType: 'revenue' },
    ]);
    return new Postings(writer);
  }

  get bookId(): string {
    return this.writer.bookId;
  }

  /** Appends `count` journal entries in one append; resolves with its last position. */
  post(count: number): Promise<bigint> {
    const commands: BookCommand[] = [];
    for (let index = 0; index < count; index++) {
      this.posted++;
      const amount = `${1 + (this.posted % 900)}.${String(this.posted % 100).padStart(2, '0')}`;
      commands.push({
        type: 'PostJournalEntry',
        bookId: this.bookId,
        entryId: `e-${this.posted}`,
        effectiveDate: '2026-01-15',
        description: `Entry ${this.posted}`,
        lines: [
          { account: '1000', debit: amount },
          { account: '8400', credit: amount },
        ],
      });
    }
    return this.writer.execute(commands);
  }
}
