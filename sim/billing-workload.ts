import { CommandMetadata } from '../src/event-sourcing/index.js';
import type { InvoiceDraftInput } from '../src/billing/index.js';
import { RunBookCommand } from '../src/ledger/application/ledger-bus.commands.js';
import { people } from './approval-workload.js';
import { IssuedDocument } from './billing-invariants.js';
import { simCustomer } from './billing-process.js';
import { Acknowledged } from './log-checker.js';
import { SimProcess } from './processes.js';
import { Random } from './random.js';

/** Billing commands a book gets before it is retired (bounded books: see `BookModel`). */
const bookLifetimeMin = 150;
const bookLifetimeMax = 800;
/** Issued invoices the clients keep crediting (older ones stay as they are). */
const issuedKeptMax = 64;
/** Undefined: today (the simulated clock). An earlier year opens a second series (RE-2025). */
const issueDates = [undefined, undefined, '2026-02-27', '2025-12-30'];
/** Before every issue date (§ 14 Abs. 4 Nr. 6 UStG: an invoice names it). */
const deliveryDate = '2025-12-19';
const lineChoices = [
  { description: 'Beratung', quantity: '8', unit: 'HUR', unitPrice: '120.00', taxCode: 'USt19' },
  { description: 'Fachbuch', quantity: '2', unitPrice: '39.90', taxCode: 'USt7' },
  { description: 'Wartung', quantity: '1.5', unitPrice: '80.00', taxCode: 'USt19' },
];

/** A billing client's request, as the invoice routes send it (`POST …/invoices…`). */
export type BillingOperation = { kind: 'billing'; bookId: string; metadata: CommandMetadata } & (
  | { action: 'open' }
  | { action: 'draft'; invoiceId: string; input: InvoiceDraftInput }
  | { action: 'issue'; invoiceId: string }
  | { action: 'credit'; invoiceId: string; creditNoteId: string }
);

interface BillingBook {
  bookId: string;
  opened: boolean;
  drafts: string[];
  issued: string[];
  commandsLeft: number;
}

/**
 * The invoicing clients: books opened with the SKR03 chart (its tax codes and receivables
 * account), drafts to the one customer, issues (sometimes of an invoice already issued), and
 * cancellations by credit note. Every document that takes a number goes through the real
 * billing services and the book's PostDocument; it steers by what was acknowledged.
 */
export class BillingWorkload {
  private readonly slots: BillingBook[];
  private readonly byId = new Map<string, BillingBook>();
  private booksMade = 0;

  constructor(
    private readonly random: Random,
    private readonly seed: number,
    private readonly newId: () => string,
  ) {
    this.slots = Array.from({ length: random.between(1, 2) }, () => this.newBook());
  }

  get books(): number {
    return this.booksMade;
  }

  next(): BillingOperation {
    const slot = this.random.int(this.slots.length);
    let book = this.slots[slot]!;
    if (book.commandsLeft-- <= 0) {
      this.byId.delete(book.bookId);
      book = this.slots[slot] = this.newBook();
    }
    const commandId = this.newId();
    const metadata = { actor: { id: 'clerk', name: 'Clerk' }, correlationId: commandId, commandId };
    const operation = { kind: 'billing' as const, bookId: book.bookId, metadata };
    const roll = this.random.float();
    if (!book.opened) return { ...operation, action: 'open' };
    if (roll < 0.1 && book.issued.length > 0)
      return {
        ...operation,
        action: 'credit',
        invoiceId: this.random.pick(book.issued),
        creditNoteId: commandId,
      };
    if (roll < 0.55 && book.drafts.length > 0)
      return { ...operation, action: 'issue', invoiceId: this.random.pick(book.drafts) };
    if (roll < 0.6 && book.issued.length > 0)
      return { ...operation, action: 'issue', invoiceId: this.random.pick(book.issued) };
    return { ...operation, action: 'draft', invoiceId: `inv-${commandId}`, input: this.draft() };
  }

  /** What the client was told: the book opened, a draft made, an invoice issued or credited. */
  acknowledged(operation: BillingOperation): void {
    const book = this.byId.get(operation.bookId);
    if (book === undefined) return; // retired meanwhile
    if (operation.action === 'open') book.opened = true;
    if (operation.action === 'draft' && !book.drafts.includes(operation.invoiceId))
      book.drafts.push(operation.invoiceId);
    if (operation.action === 'issue') {
      book.drafts = book.drafts.filter((id) => id !== operation.invoiceId);
      if (!book.issued.includes(operation.invoiceId)) book.issued.push(operation.invoiceId);
      if (book.issued.length > issuedKeptMax) book.issued.shift();
    }
    if (operation.action === 'credit')
      book.issued = book.issued.filter((id) => id !== operation.invoiceId);
  }

  private draft(): InvoiceDraftInput {
    const issueDate = this.random.pick(issueDates);
    const count = this.random.between(1, lineChoices.length);
    return {
      customer: simCustomer.partyId,
      ...(issueDate === undefined ? {} : { issueDate }),
      deliveryDate,
      paymentTermsDays: 14,
      lines: lineChoices.slice(0, count).map((line) => ({ ...line })),
    };
  }

  private newBook(): BillingBook {
    const book: BillingBook = {
      bookId: `sim-${this.seed}-i${this.booksMade++}`,
      opened: false,
      drafts: [],
      issued: [],
      commandsLeft: this.random.between(bookLifetimeMin, bookLifetimeMax),
    };
    this.byId.set(book.bookId, book);
    return book;
  }
}

/** Where a billing answer goes: the log checker, the approvals' and the numbers' rules. */
export interface BillingReport {
  acknowledge(ack: Acknowledged): void;
  pendingApproval(approvalId: string, position: bigint): void;
  issued(document: IssuedDocument): void;
}

/** Runs a billing request through the process's billing services (or its book handler). */
export async function performBilling(
  process: SimProcess,
  operation: BillingOperation,
  report: BillingReport,
): Promise<void> {
  const { bookId, metadata } = operation;
  const { commandId } = metadata;
  const requester = { ...metadata.actor, roles: people.clerk!.roles };
  const { drafts, issuing, creditNotes } = process.billing;
  const base = { bookId, commandId, entryId: undefined, repeated: false };
  if (operation.action === 'open') {
    const command = {
      type: 'OpenBook' as const,
      bookId,
      name: `Billing ${bookId}`,
      baseCurrency: 'EUR',
      chart: 'skr03',
    };
    const outcome = await process.runBook.execute(new RunBookCommand(command, metadata, requester));
    if (outcome.status !== 'done') throw new Error('OpenBook is never held for approval');
    const { repeated, position } = outcome.result;
    return report.acknowledge({ ...base, type: 'OpenBook', repeated, position, exact: true });
  }
  if (operation.action === 'draft') {
    const answer = await drafts.create(bookId, operation.invoiceId, operation.input, metadata);
    // The draft stream's head: at or after the create (a retry of it appends nothing).
    return report.acknowledge({
      ...base,
      type: 'CreateInvoiceDraft',
      position: answer.position!,
      exact: false,
    });
  }
  const outcome =
    operation.action === 'issue'
      ? await issuing.issue(bookId, operation.invoiceId, metadata, requester)
      : await creditNotes.issue(
          bookId,
          operation.invoiceId,
          operation.creditNoteId,
          { reason: 'Storno' },
          metadata,
          requester,
        );
  if (outcome.status === 'pending_approval')
    return report.pendingApproval(outcome.approvalId, outcome.position);
  const { id, number, entryId, position } = outcome;
  // Answered with the document's entry (the original's on a repeat): checked by its position.
  report.acknowledge({
    ...base,
    type: 'PostDocument',
    entryId,
    repeated: true,
    position,
    exact: true,
  });
  report.issued({ bookId, documentId: id, number, position });
}
