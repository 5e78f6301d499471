import { CommandBus } from '@nestjs/cqrs';
import {
  CommandMetadata,
  ConflictError,
  DecidedStream,
  cachedPerKey,
  DomainError,
  EventStore,
  NotFoundError,
  assert,
  deterministicId,
} from '../../event-sourcing/index.js';
import { readIncomingInvoice } from '../../einvoice/index.js';
import { documentIdOf, type DocumentVaultPort } from '../../documents/index.js';
import { bookOpenedOf, type GateRequester, type PostDocument } from '../../ledger/index.js';
import { LedgerLookup, RunBookCommand } from '../../ledger/ledger.module.js';
import type { PartiesService } from '../../parties/parties.module.js';
import { bookingLines, type BookingLineInput } from '../domain/incoming-booking.js';
import { incomingFactsOf, type IncomingInvoiceReceivedData } from '../domain/incoming-invoice.js';
import {
  duplicateOf,
  IncomingInvoiceReceived,
  incomingInvoicesDecider,
  IncomingInvoicesState,
  incomingInvoicesStreamId,
  ReceiveIncomingInvoice,
} from '../domain/incoming-invoices.decider.js';
import { findSupplier, registerSupplier } from './suppliers.js';

export const incomingInvoiceBookedType = 'IncomingInvoiceBooked';
export const incomingInvoiceStatuses = ['received', 'booked', 'paid'] as const;
export type IncomingInvoiceStatus = (typeof incomingInvoiceStatuses)[number];

export interface IncomingInvoiceView extends IncomingInvoiceReceivedData {
  status: IncomingInvoiceStatus;
  position: bigint;
  entryId?: string;
}

export type BookOutcome =
  | { status: 'booked'; view: IncomingInvoiceView; entryId: string; position: bigint }
  | { status: 'pending_approval'; id: string; approvalId: string; position: bigint };

/**
 * Incoming invoices (docs/payables.md): read → supplier → original into the vault →
 * IncomingInvoiceReceived (duplicates refused in the decider); booking through the book's
 * PostDocument behind the `incoming-invoice.book` approval gate.
 */
export class IncomingInvoices {
  private readonly streams = new Map<
    string,
    DecidedStream<ReceiveIncomingInvoice, IncomingInvoiceReceived, IncomingInvoicesState>
  >();

  constructor(
    private readonly store: EventStore,
    private readonly vault: DocumentVaultPort,
    private readonly parties: PartiesService,
    private readonly ledger: LedgerLookup,
    private readonly commandBus: CommandBus,
    /** Whether the open item of a booked invoice is settled (the open items read model). */
    private readonly settled: (bookId: string, invoiceId: string) => Promise<boolean>,
  ) {}

  async receive(
    bookId: string,
    bytes: Buffer,
    contentType: string,
    metadata: CommandMetadata,
  ): Promise<IncomingInvoiceView> {
    if (!(await bookOpenedOf(this.store, bookId)))
      throw new NotFoundError(`Book ${bookId} not found`);
    const read = await readIncomingInvoice(bytes);
    if (!read.ok)
      throw new DomainError('invalid-invoice', `${read.error.reason}: ${read.error.detail}`);
    if (contentType === 'application/pdf' && read.value.container !== 'pdf')
      throw new DomainError(
        'invalid-invoice',
        'not-a-pdf: the body says application/pdf but is no PDF',
      );
    const facts = incomingFactsOf(read.value);
    const documentId = documentIdOf(bytes);
    const stream = this.stream(bookId);
    const known = await findSupplier(this.parties, bookId, read.value.invoice);
    const duplicate = duplicateOf(await stream.current(), documentId, known?.id, facts.number);
    if (duplicate !== undefined) throw new ConflictError(duplicate);
    const registered = known
      ? { party: known, notes: [] }
      : await registerSupplier(this.parties, bookId, read.value.invoice, metadata);
    const supplier = registered.party;
    await this.vault.store(bookId, bytes, contentType, read.value.embeddedFileName, metadata);
    const invoiceId = deterministicId('kontor.payables.incoming-invoice', bookId, documentId);
    await stream.handle(
      {
        type: 'ReceiveIncomingInvoice',
        bookId,
        invoiceId,
        documentId,
        supplier: supplier.id,
        facts: registered.notes.length > 0 ? { ...facts, supplierNotes: registered.notes } : facts,
      },
      {
        ...metadata,
        commandId: deterministicId('kontor.payables.receive', bookId, documentId),
        book: bookId,
      },
    );
    const view = await this.get(bookId, invoiceId);
    assert(view !== undefined, 'a received invoice is in its stream');
    return view;
  }

  async get(bookId: string, id: string): Promise<IncomingInvoiceView | undefined> {
    const { state, events } = await this.stream(bookId).read();
    const data = state.invoices.get(id);
    if (data === undefined) return undefined;
    const event = events.find((e) => (e.data as IncomingInvoiceReceivedData).invoiceId === id)!;
    return this.viewOf(data, event.position);
  }

  async list(bookId: string, status?: IncomingInvoiceStatus): Promise<IncomingInvoiceView[]> {
    if (!(await bookOpenedOf(this.store, bookId)))
      throw new NotFoundError(`Book ${bookId} not found`);
    const { events } = await this.stream(bookId).read();
    const views = await Promise.all(
      events.map((e) => this.viewOf(e.data as IncomingInvoiceReceivedData, e.position)),
    );
    return status === undefined ? views : views.filter((view) => view.status === status);
  }

  async book(
    bookId: string,
    id: string,
    lines: BookingLineInput[] | undefined,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<BookOutcome> {
    const view = await this.get(bookId, id);
    if (view === undefined) throw new NotFoundError(`No incoming invoice ${id} in book ${bookId}`);
    if (view.status !== 'received')
      throw new ConflictError(
        `Incoming invoice ${id} (${view.number}) is already booked (entry ${view.entryId})`,
      );
    const [taxCodes, controls, supplier] = await Promise.all([
      this.ledger.taxCodesOf(bookId),
      this.ledger.bookControlAccounts(bookId),
      this.parties.find(bookId, view.supplier),
    ]);
    const defaultExpenseAccount = supplier?.defaultExpenseAccount;
    if (controls.payables === undefined)
      throw new DomainError(
        'business-rule',
        `Book ${bookId} has no payables control account (open it with a chart, skr03 or skr04)`,
      );
    const booking = bookingLines(view, lines, {
      taxCodes,
      payablesAccount: controls.payables,
      ...(defaultExpenseAccount === undefined ? {} : { defaultExpenseAccount }),
    });
    const command = bookingCommandOf(bookId, id, view, booking);
    const commandId = deterministicId(
      'kontor.payables.book',
      bookId,
      id,
      JSON.stringify(lines ?? null),
    );
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, { ...metadata, commandId }, requester),
    );
    if (outcome.status === 'pending_approval')
      return {
        status: 'pending_approval',
        id,
        approvalId: outcome.approvalId,
        position: outcome.position,
      };
    const booked = await this.get(bookId, id);
    assert(
      booked !== undefined && outcome.result.entryId !== undefined,
      'a booked invoice has an entry',
    );
    return {
      status: 'booked',
      view: booked,
      entryId: outcome.result.entryId,
      position: outcome.result.position,
    };
  }

  private async viewOf(
    data: IncomingInvoiceReceivedData,
    position: bigint,
  ): Promise<IncomingInvoiceView> {
    const booked = await this.ledger.documentOf(data.bookId, data.invoiceId);
    if (booked?.type !== incomingInvoiceBookedType)
      return { ...data, status: 'received', position };
    const paid = await this.settled(data.bookId, data.invoiceId);
    return { ...data, status: paid ? 'paid' : 'booked', position, entryId: booked.entryId };
  }

  private stream(bookId: string) {
    return cachedPerKey(
      this.streams,
      bookId,
      () =>
        new DecidedStream(this.store, incomingInvoicesStreamId(bookId), incomingInvoicesDecider),
    );
  }
}

/** The ledger command that books an incoming invoice, behind the `incoming-invoice.book` gate. */
function bookingCommandOf(
  bookId: string,
  id: string,
  view: IncomingInvoiceView,
  booking: ReturnType<typeof bookingLines>,
): PostDocument {
  return {
    type: 'PostDocument',
    bookId,
    document: {
      type: incomingInvoiceBookedType,
      id,
      data: {
        number: view.number,
        issueDate: view.issueDate,
        dueDate: view.dueDate,
        supplier: view.supplier,
        currency: view.currency,
        grossMinor: booking.grossMinor.toString(),
        original: view.documentId,
      },
    },
    entry: {
      entryId: deterministicId('kontor.payables.booking-entry', bookId, id),
      effectiveDate: view.issueDate,
      description: `Eingangsrechnung ${view.number} ${view.sellerName}`.slice(0, 200),
      reference: view.number.slice(0, 100),
      lines: booking.lines,
      documents: [view.documentId],
    },
    gate: { action: 'incoming-invoice.book' },
  };
}
