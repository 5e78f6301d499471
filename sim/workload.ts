import { CommandMetadata, deterministicId } from '../src/event-sourcing/index.js';
import { BookCommand } from '../src/ledger/index.js';
import { ApprovalOperation, ApprovalWorkload } from './approval-workload.js';
import { BillingOperation, BillingWorkload } from './billing-workload.js';
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
/** Commands a book gets before it is retired (and a new one takes its place): see `BookModel`. */
const bookLifetimeMin = 200;
const bookLifetimeMax = 1_500;
/** Share of the operations that are invoicing (`BillingWorkload`). */
const billingShare = 0.15;

/**
 * What the clients believe of one book, from what was acknowledged. A book lives for a few
 * thousand commands: the book worker reloads a book's state (snapshot + tail, O(entries)) after
 * every lost revision race, so books growing with the run would make a long run quadratic; many
 * books of bounded size keep every operation's cost constant.
 */
interface BookModel {
  bookId: string;
  opened: boolean;
  accounts: Set<string>;
  entries: string[];
  closed: Set<string>;
  commandsLeft: number;
}

export interface BookOperation {
  kind: 'book';
  command: BookCommand;
  metadata: CommandMetadata;
}

export type Operation = BookOperation | ApprovalOperation | BillingOperation;

/**
 * The seed's clients: books opened with a few accounts, then postings (some with an
 * Idempotency-Key), reversals, period closes and reopens, and the approvals around them
 * (`ApprovalWorkload`). It steers by what was acknowledged,
 * so most commands are valid, but refusals (and races between the two processes) happen too.
 */
export class Workload {
  private readonly slots: BookModel[];
  private readonly byId = new Map<string, BookModel>();
  private booksMade = 0;
  private count = 0;
  readonly approvals: ApprovalWorkload;
  readonly billing: BillingWorkload;

  constructor(
    private readonly random: Random,
    private readonly seed: number,
  ) {
    this.slots = Array.from({ length: random.between(3, 8) }, () => this.newBook());
    this.approvals = new ApprovalWorkload(random.fork(), () => this.commandId());
    this.billing = new BillingWorkload(random.fork(), seed, () => this.commandId());
  }

  /** Books opened so far (retired ones included). */
  get books(): number {
    return this.booksMade + this.billing.books;
  }

  next(): Operation {
    if (this.random.chance(billingShare)) return this.billing.next();
    const slot = this.random.int(this.slots.length);
    let book = this.slots[slot]!;
    if (book.commandsLeft-- <= 0) {
      this.byId.delete(book.bookId);
      book = this.slots[slot] = this.newBook();
    }
    const approval = book.opened ? this.approvals.next(book.bookId) : undefined;
    if (approval !== undefined) return approval;
    const commandId = this.commandId();
    const metadata = { actor: { id: 'clerk', name: 'Clerk' }, correlationId: commandId, commandId };
    return { kind: 'book', command: this.commandFor(book, commandId), metadata };
  }

  /** A fresh deterministic id (command ids, entry ids). */
  commandId(): string {
    return deterministicId('kontor.sim', String(this.seed), String(this.count++));
  }

  acknowledged(command: BookCommand, entryId: string | undefined): void {
    const book = this.byId.get(command.bookId);
    if (book === undefined) return; // retired meanwhile
    if (command.type === 'OpenBook') book.opened = true;
    if (command.type === 'OpenAccount') book.accounts.add(command.code);
    if (command.type === 'ClosePeriod') book.closed.add(command.period);
    if (command.type === 'ReopenPeriod') book.closed.delete(command.period);
    if (entryId !== undefined && command.type === 'PostJournalEntry') book.entries.push(entryId);
  }

  private newBook(): BookModel {
    const book: BookModel = {
      bookId: `sim-${this.seed}-b${this.booksMade++}`,
      opened: false,
      accounts: new Set<string>(),
      entries: [],
      closed: new Set<string>(),
      commandsLeft: this.random.between(bookLifetimeMin, bookLifetimeMax),
    };
    this.byId.set(book.bookId, book);
    return book;
  }

  private commandFor(book: BookModel, id: string): BookCommand {
    const { bookId } = book;
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
    if (roll < 0.02)
      return { type: 'ClosePeriod', bookId, period: this.periodToClose(book), today };
    if (roll < 0.05)
      return {
        type: 'ReopenPeriod',
        bookId,
        period: this.periodToReopen(book),
        reason: 'correction',
      };
    if (roll < 0.13 && book.entries.length > 0)
      return {
        type: 'ReverseJournalEntry',
        bookId,
        entryId: this.random.pick(book.entries),
        newEntryId: id,
        reason: 'wrong account',
      };
    return this.posting(book, id);
  }

  /** Mostly the latest closed month (the only one that may be reopened), sometimes any. */
  private periodToReopen(book: BookModel): string {
    const closed = [...book.closed].sort();
    return closed.length > 0 && this.random.chance(0.9)
      ? closed[closed.length - 1]!
      : this.random.pick(months);
  }

  /** Mostly the month after the last closed one (month-end closing), sometimes any. */
  private periodToClose(book: BookModel): string {
    const open = this.openMonths(book);
    return open.length > 0 && this.random.chance(0.9) ? open[0]! : this.random.pick(months);
  }

  /** A month to post into: mostly one the clients believe open (refusals stay a minority). */
  private postingMonth(book: BookModel): string {
    const open = this.openMonths(book);
    return open.length === 0 || this.random.chance(0.05)
      ? this.random.pick(months)
      : this.random.pick(open);
  }

  /** Closing a month locks every earlier one: the open months are those after the last closed. */
  private openMonths(book: BookModel): string[] {
    const last = [...book.closed].sort().pop();
    return months.filter((month) => last === undefined || month > last);
  }

  private posting(book: BookModel, id: string): BookCommand {
    const minor = this.random.between(1, 2_000_000);
    const amount = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
    const [debit, credit] = this.random.chance(0.5) ? ['1200', '4000'] : ['6000', '1000'];
    const day = String(this.random.between(1, 28)).padStart(2, '0');
    const keyed = this.random.chance(0.3);
    return {
      type: 'PostJournalEntry',
      bookId: book.bookId,
      entryId: id,
      effectiveDate: `${this.postingMonth(book)}-${day}`,
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
