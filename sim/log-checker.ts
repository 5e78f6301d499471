import { EventStore, readBatchSizeMax, RecordedEvent } from '../src/event-sourcing/index.js';
import { JournalEntryPostedData, bookStreamId } from '../src/ledger/index.js';

export interface Violation {
  invariant: string;
  detail: string;
}

/** What a client was told: done (the command's last event, or the original's for a repeat). */
export interface Acknowledged {
  type: string;
  bookId: string;
  commandId: string;
  entryId: string | undefined;
  repeated: boolean;
  position: bigint;
  /**
   * `position` is the command's own last event (a book command). Otherwise it is the stream's
   * head when answered (a policy or a decision), at or after the command's events.
   */
  exact: boolean;
}

/** A check fed every event of the log once, in order (the approvals' rules, say). */
export interface EventRule {
  /** `log` has checked every event before this one. */
  check(event: RecordedEvent, log: LogChecker): Violation | undefined;
}

/**
 * Reads the log once, incrementally (only its durable prefix while the run goes on), checking
 * what must hold of every prefix: positions gap-free and in order, every entry balanced, no
 * entry (id, Idempotency-Key, reversal) twice, a command's events in one append, nothing posted
 * into a closed period. Acknowledgements are checked as soon as the scan passes their position,
 * then forgotten, so memory and time stay linear in the run. It keeps the balances per account
 * for the end-of-run checks.
 */
export class LogChecker {
  private position = 0n;
  private lastHash: string | undefined;
  /** Last position of each command id's events. */
  private readonly commands = new Map<string, number>();
  /** `<book> <entry id>` → position. */
  private readonly entries = new Map<string, number>();
  readonly balances = new Map<string, bigint>();
  private readonly keys = new Set<string>();
  private readonly reversed = new Set<string>();
  private readonly closed = new Set<string>();
  private pending: Acknowledged[] = [];
  eventsChecked = 0;
  acknowledgementsChecked = 0;

  constructor(private readonly rules: readonly EventRule[] = []) {}

  acknowledged(ack: Acknowledged): void {
    this.pending.push(ack);
  }

  /** Checks the log up to `until` (the durable prefix, or the head at the end). */
  async scan(store: EventStore, until: bigint): Promise<Violation | undefined> {
    if (until < this.position)
      return {
        invariant: 'the durable log never shrinks',
        detail: `scanned up to ${this.position}, the log now ends at ${until}`,
      };
    const stillThere = await this.checkStillThere(store);
    if (stillThere) return stillThere;
    while (this.position < until) {
      const batch = await store.readAll({ after: this.position, until, limit: readBatchSizeMax });
      if (batch.length === 0)
        return {
          invariant: 'positions gap-free',
          detail: `nothing after ${this.position} below ${until}`,
        };
      for (const event of batch) {
        const violation = this.check(event);
        if (violation) return violation;
      }
    }
    return this.checkAcknowledged();
  }

  /** Acknowledgements at or below the scanned position: each in the log as answered. */
  private checkAcknowledged(): Violation | undefined {
    const later: Acknowledged[] = [];
    for (const ack of this.pending) {
      if (ack.position > this.position) {
        later.push(ack);
        continue;
      }
      this.acknowledgementsChecked++;
      const found = ack.repeated
        ? ack.entryId === undefined ||
          this.entries.get(`${bookStreamId(ack.bookId)} ${ack.entryId}`) === Number(ack.position)
        : this.isAt(this.commands.get(ack.commandId), ack);
      if (!found)
        return {
          invariant: 'every acknowledged command is in the log, at the position answered',
          detail: `${ack.type} ${ack.commandId} (book ${ack.bookId}) was acknowledged at ${ack.position} but is not there in the log`,
        };
    }
    this.pending = later;
    return undefined;
  }

  private isAt(position: number | undefined, ack: Acknowledged): boolean {
    if (position === undefined) return false;
    return ack.exact ? position === Number(ack.position) : position <= Number(ack.position);
  }

  /** The last event scanned is still the one seen (nothing below the durable prefix changed). */
  private async checkStillThere(store: EventStore): Promise<Violation | undefined> {
    if (this.lastHash === undefined) return undefined;
    const [event] = await store.readAll({ from: this.position, limit: 1 });
    if (event?.hash === this.lastHash) return undefined;
    return {
      invariant: 'the durable log never changes',
      detail: `the event at ${this.position} is not the one scanned before`,
    };
  }

  private check(event: RecordedEvent): Violation | undefined {
    if (event.position !== this.position + 1n)
      return {
        invariant: 'positions gap-free and in commit order',
        detail: `${event.position} after ${this.position}`,
      };
    this.position = event.position;
    this.lastHash = event.hash;
    this.eventsChecked++;
    const position = Number(event.position);
    const commandId = event.metadata.commandId;
    if (commandId !== undefined) {
      const last = this.commands.get(commandId);
      if (last !== undefined && last !== position - 1)
        return {
          invariant: 'a command is appended once',
          detail: `command ${commandId} has events at ${last} and again at ${position}`,
        };
      this.commands.set(commandId, position);
    }
    for (const rule of this.rules) {
      const violation = rule.check(event, this);
      if (violation) return violation;
    }
    const book = event.streamId;
    const data = event.data as Record<string, unknown>;
    if (event.type === 'PeriodClosed') this.closed.add(`${book} ${String(data.period)}`);
    if (event.type === 'PeriodReopened') this.closed.delete(`${book} ${String(data.period)}`);
    if (event.type !== 'JournalEntryPosted') return undefined;
    return this.checkEntry(book, data as unknown as JournalEntryPostedData, position);
  }

  private checkEntry(
    book: string,
    entry: JournalEntryPostedData,
    position: number,
  ): Violation | undefined {
    const at = `entry ${entry.entryId} at ${position}`;
    if (this.entries.has(`${book} ${entry.entryId}`))
      return { invariant: 'no entry twice', detail: `${at} is in the log twice` };
    this.entries.set(`${book} ${entry.entryId}`, position);
    if (entry.idempotencyKey !== undefined) {
      if (this.keys.has(`${book} ${entry.idempotencyKey}`))
        return {
          invariant: 'no Idempotency-Key twice',
          detail: `${at} repeats key ${entry.idempotencyKey}`,
        };
      this.keys.add(`${book} ${entry.idempotencyKey}`);
    }
    if (entry.reversalOf !== undefined) {
      if (this.reversed.has(`${book} ${entry.reversalOf}`))
        return {
          invariant: 'an entry is reversed at most once',
          detail: `${at} reverses ${entry.reversalOf} again`,
        };
      this.reversed.add(`${book} ${entry.reversalOf}`);
    }
    if (this.closed.has(`${book} ${entry.effectiveDate.slice(0, 7)}`))
      return {
        invariant: 'nothing posted into a closed period',
        detail: `${at} dated ${entry.effectiveDate}`,
      };
    return this.checkBalanced(book, entry, at);
  }

  private checkBalanced(
    book: string,
    entry: JournalEntryPostedData,
    at: string,
  ): Violation | undefined {
    const sums = new Map<string, bigint>();
    for (const line of entry.lines) {
      const signed = line.side === 'debit' ? BigInt(line.amountMinor) : -BigInt(line.amountMinor);
      sums.set(line.currency, (sums.get(line.currency) ?? 0n) + signed);
      const key = `${book.slice(bookStreamId('').length)} ${line.account}`;
      this.balances.set(key, (this.balances.get(key) ?? 0n) + signed);
    }
    for (const [currency, sum] of sums)
      if (sum !== 0n)
        return { invariant: 'every entry balances', detail: `${at}: ${currency} off by ${sum}` };
    return undefined;
  }

  /** Whether `entryId` of `bookId` is in the scanned log (for the approvals' end checks). */
  entryPosition(bookId: string, entryId: string): number | undefined {
    return this.entries.get(`${bookStreamId(bookId)} ${entryId}`);
  }

  /** Last position of a command's events in the scanned log. */
  commandPosition(commandId: string): number | undefined {
    return this.commands.get(commandId);
  }
}
