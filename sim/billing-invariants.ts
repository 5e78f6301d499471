import { NewEvent, RecordedEvent } from '../src/event-sourcing/index.js';
import { SqlDatabase } from '../src/infrastructure/sql/index.js';
import { creditNoteIssuedType, invoiceIssuedType } from '../src/billing/index.js';
import { creditNotesTable, invoicesTable } from '../src/billing/projections/invoices.projection.js';
import { bookStreamId } from '../src/ledger/index.js';
import { documentNumber } from '../src/ledger/domain/document.decider.js';
import { EventRule, Violation } from './log-checker.js';

/** A numbered document a client was answered with (an issued invoice or a credit note). */
export interface IssuedDocument {
  bookId: string;
  documentId: string;
  number: string;
  position: bigint;
}

interface NumberedData {
  documentId: string;
  number?: string;
  numbering?: { series: string; sequence: number };
  closes?: string;
}

interface LoggedDocument {
  type: string;
  number: string;
}

const documentTypes = new Set([invoiceIssuedType, creditNoteIssuedType]);

/**
 * The numbers' invariants (GoBD, § 14 UStG: invoice numbers unique and gap-free), fed every
 * event in log order: per book and series the sequence is the last + 1 (gap-free, unique, in
 * commit order) and the number spells it; a document holds one number; an invoice is
 * cancelled at most once; a draft marked issued names its invoice's number. Every answer is
 * compared with the log as soon as both are known: a retried or duplicated issue must be
 * answered with the same number. At the end: every answered document is in the log, and the
 * invoices read model holds exactly the log's numbers.
 */
export class BillingRule implements EventRule {
  private readonly lastSequence = new Map<string, number>();
  /** `<book id> <document id>` → what the log holds. */
  private readonly logged = new Map<string, LoggedDocument>();
  private readonly takenNumbers = new Set<string>();
  private readonly cancelled = new Set<string>();
  /** `<book id> <document id>` → the number the clients were answered. */
  private readonly answered = new Map<string, string>();
  private violation: Violation | undefined;
  readonly counts = { invoices: 0, creditNotes: 0, answers: 0 };

  /** A client was answered with this document's number. */
  issued(document: IssuedDocument): void {
    this.counts.answers++;
    const key = `${document.bookId} ${document.documentId}`;
    const at = `${document.documentId} (book ${document.bookId}) answered ${document.number}`;
    const before = this.answered.get(key);
    if (before !== undefined && before !== document.number)
      this.violation ??= {
        invariant: 'a retried or duplicated issue gets the same number',
        detail: `${at}, before ${before}`,
      };
    this.answered.set(key, document.number);
    const logged = this.logged.get(key);
    if (logged !== undefined && logged.number !== document.number)
      this.violation ??= {
        invariant: 'an issue is answered with the number in the log',
        detail: `${at}, the log holds ${logged.number}`,
      };
  }

  check(event: RecordedEvent): Violation | undefined {
    if (this.violation) return this.violation;
    if (event.type === 'InvoiceDraftIssued') return this.checkDraftIssued(event);
    if (!documentTypes.has(event.type)) return undefined;
    const bookId = event.streamId.slice(bookStreamId('').length);
    const data = event.data as NumberedData;
    const at = `${event.type} ${data.documentId} at ${event.position}`;
    const { numbering, number } = data;
    if (numbering === undefined || number === undefined)
      return { invariant: 'every issued document holds a number', detail: at };
    const series = `${bookId} ${numbering.series}`;
    const last = this.lastSequence.get(series) ?? 0;
    if (numbering.sequence !== last + 1)
      return {
        invariant: 'document numbers gap-free and in commit order',
        detail: `${at}: ${numbering.series} sequence ${numbering.sequence} after ${last} (book ${bookId})`,
      };
    this.lastSequence.set(series, numbering.sequence);
    if (number !== documentNumber(numbering.series, numbering.sequence))
      return { invariant: 'a number spells its series and sequence', detail: `${at}: ${number}` };
    if (this.takenNumbers.has(`${bookId} ${number}`))
      return { invariant: 'document numbers unique', detail: `${at}: ${number} again` };
    this.takenNumbers.add(`${bookId} ${number}`);
    const key = `${bookId} ${data.documentId}`;
    if (this.logged.has(key))
      return { invariant: 'a document holds one number', detail: `${at}: numbered again` };
    this.logged.set(key, { type: event.type, number });
    if (event.type === invoiceIssuedType) this.counts.invoices++;
    else this.counts.creditNotes++;
    const answered = this.answered.get(key);
    if (answered !== undefined && answered !== number)
      return {
        invariant: 'an issue is answered with the number in the log',
        detail: `${at}: ${number}, answered ${answered}`,
      };
    return this.checkCancellation(bookId, data.closes, at);
  }

  private checkCancellation(bookId: string, closes: string | undefined, at: string) {
    if (closes === undefined) return undefined;
    if (this.cancelled.has(`${bookId} ${closes}`))
      return {
        invariant: 'an invoice is cancelled at most once',
        detail: `${at} cancels ${closes}`,
      };
    this.cancelled.add(`${bookId} ${closes}`);
    return undefined;
  }

  private checkDraftIssued(event: RecordedEvent): Violation | undefined {
    const data = event.data as { bookId: string; invoiceId: string; number: string };
    const logged = this.logged.get(`${data.bookId} ${data.invoiceId}`);
    if (logged?.number === data.number) return undefined;
    return {
      invariant: "a draft marked issued names its invoice's number",
      detail: `draft ${data.invoiceId} at ${event.position} marked ${data.number}, the book holds ${logged?.number ?? 'none'}`,
    };
  }

  /** End of run: every answered document is in the log; the read model holds the log's numbers. */
  async atEnd(readModels: SqlDatabase): Promise<Violation | undefined> {
    if (this.violation) return this.violation;
    for (const [key, number] of this.answered)
      if (!this.logged.has(key))
        return {
          invariant: 'every answered document is in the log with its number',
          detail: `${key} answered ${number}`,
        };
    return this.compareReadModel(readModels);
  }

  private async compareReadModel(db: SqlDatabase): Promise<Violation | undefined> {
    const rows = [
      ...(await db.query<Row>(
        `SELECT book, id, number, status FROM ${invoicesTable} WHERE number IS NOT NULL`,
      )),
      ...(await db.query<Row>(
        `SELECT book, id, number, 'credit-note' AS status FROM ${creditNotesTable}`,
      )),
    ];
    const invariant = 'the invoices read model holds the numbers of the log';
    if (rows.length !== this.logged.size)
      return { invariant, detail: `${rows.length} numbered rows, ${this.logged.size} in the log` };
    let cancelled = 0;
    for (const row of rows) {
      const logged = this.logged.get(`${row.book} ${row.id}`);
      if (logged?.number !== row.number)
        return {
          invariant,
          detail: `${row.id} (book ${row.book}): ${row.number}, log ${logged?.number}`,
        };
      if (row.status === 'cancelled') cancelled++;
    }
    if (cancelled !== this.cancelled.size)
      return {
        invariant,
        detail: `${cancelled} cancelled rows, ${this.cancelled.size} cancelled in the log`,
      };
    return undefined;
  }
}

interface Row {
  book: string;
  id: string;
  number: string;
  status: string;
}

/** The planted defect `number-gap`: the store skips the third number of every series. */
export function withNumberGap(events: readonly NewEvent[]): NewEvent[] {
  return events.map((event) => {
    const data = event.data as NumberedData;
    if (data.numbering?.sequence !== 3) return event;
    return { ...event, data: { ...data, numbering: { ...data.numbering, sequence: 4 } } };
  });
}
