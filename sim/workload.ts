import { CommandMetadata, deterministicId } from '../src/event-sourcing/index.js';
import { BookCommand } from '../src/ledger/index.js';
import { Random } from './random.js';

const accounts = [
  { code: '1000', accountType: 'asset' },
  { code: '1200', accountType: 'asset' },
  { code: '4000', accountType: 'revenue' },
  { code: '6000', accountType: 'expense' },
] as const;
const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
/** The workload's today: every month it closes is in the past (a future month cannot be closed). */
const today = '2026-12-31';

interface BookModel {
  opened: boolean;
  accounts: Set<string>;
  entries: string[];
}

/**
 * The seed's clients: books opened with a few accounts, then postings (some with an
 * Idempotency-Key), reversals, period closes and reopens. It steers by what was acknowledged,
 * so most commands are valid, but refusals (and races between the two processes) happen too.
 */
export class Workload {
  private readonly books: BookModel[];
  private count = 0;

  constructor(
    private readonly random: Random,
    private readonly seed: number,
  ) {
    this.books = Array.from({ length: random.between(3, 8) }, () => ({
      opened: false,
      accounts: new Set<string>(),
      entries: [],
    }));
  }

  next(): { command: BookCommand; metadata: CommandMetadata } {
    const index = this.random.int(this.books.length);
    const book = this.books[index]!;
    const bookId = `sim-${this.seed}-b${index}`;
    const commandId = deterministicId('kontor.sim', String(this.seed), String(this.count++));
    const metadata = { actor: { id: 'clerk', name: 'Clerk' }, correlationId: commandId, commandId };
    return { command: this.commandFor(book, bookId, commandId), metadata };
  }

  acknowledged(command: BookCommand, entryId: string | undefined): void {
    const book = this.books[Number(command.bookId.split('-b').pop())]!;
    if (command.type === 'OpenBook') book.opened = true;
    if (command.type === 'OpenAccount') book.accounts.add(command.code);
    if (entryId !== undefined && command.type === 'PostJournalEntry') book.entries.push(entryId);
  }

  private commandFor(book: BookModel, bookId: string, id: string): BookCommand {
    if (!book.opened || this.random.chance(0.002))
      return { type: 'OpenBook', bookId, name: `Book ${bookId}`, baseCurrency: 'EUR' };
    const missing = accounts.find((account) => !book.accounts.has(account.code));
    if (missing !== undefined && this.random.chance(0.8))
      return {
        type: 'OpenAccount',
        bookId,
        code: missing.code,
        name: `Account ${missing.code}`,
        accountType: missing.accountType,
      };
    const roll = this.random.float();
    if (roll < 0.04)
      return { type: 'ClosePeriod', bookId, period: this.random.pick(months), today };
    if (roll < 0.07)
      return {
        type: 'ReopenPeriod',
        bookId,
        period: this.random.pick(months),
        reason: 'correction',
      };
    if (roll < 0.15 && book.entries.length > 0)
      return {
        type: 'ReverseJournalEntry',
        bookId,
        entryId: this.random.pick(book.entries),
        newEntryId: id,
        reason: 'wrong account',
      };
    return this.posting(bookId, id);
  }

  private posting(bookId: string, id: string): BookCommand {
    const minor = this.random.between(1, 2_000_000);
    const amount = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
    const [debit, credit] = this.random.chance(0.5) ? ['1200', '4000'] : ['6000', '1000'];
    const day = String(this.random.between(1, 28)).padStart(2, '0');
    const keyed = this.random.chance(0.3);
    return {
      type: 'PostJournalEntry',
      bookId,
      entryId: id,
      effectiveDate: `${this.random.pick(months)}-${day}`,
      description: 'simulated posting',
      lines: [
        { account: debit, debit: amount },
        { account: credit, credit: amount },
      ],
      ...(keyed
        ? { idempotency: { key: `key-${id}`, requestHash: deterministicId('hash', id) } }
        : {}),
    };
  }
}
