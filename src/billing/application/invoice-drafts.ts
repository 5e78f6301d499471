import {
  Clock,
  CommandMetadata,
  EventStore,
  NotFoundError,
  fold,
  handleCommand,
} from '../../event-sourcing/index.js';
import {
  InvoiceDraftCommand,
  InvoiceDraftState,
  invoiceDraftDecider,
} from '../domain/invoice-draft.decider.js';
import type { DraftContext, InvoiceDraftInput } from '../domain/invoice-draft.js';
import { InvoiceDraftEvent, invoiceDraftStreamId } from '../domain/invoice-draft.events.js';
import type { BillingLookups } from './billing-lookups.js';

export interface DraftAnswer {
  state: InvoiceDraftState;
  revision: number;
  position: bigint | undefined;
}

/** Today's date in UTC: the issue date of a draft that names none. */
export function todayOf(clock: Clock): string {
  return clock.now().toISOString().slice(0, 10);
}

/** Invoice drafts, one stream each (`invoice-draft-<id>`), decided with their context. */
export class InvoiceDrafts {
  constructor(
    private readonly store: EventStore,
    private readonly lookups: BillingLookups,
    private readonly clock: Clock,
  ) {}

  /** The draft's state and revision (`none` / -1 when there is no such stream). */
  async load(invoiceId: string): Promise<DraftAnswer> {
    const events = await this.store.readStream(invoiceDraftStreamId(invoiceId));
    const state = fold(
      invoiceDraftDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as InvoiceDraftEvent),
    );
    const last = events[events.length - 1];
    return { state, revision: last?.revision ?? -1, position: last?.position };
  }

  /** The context a draft is checked in: the book, its customer, tax codes of the issue date. */
  async contextFor(bookId: string, input: InvoiceDraftInput, date?: string): Promise<DraftContext> {
    const book = await this.lookups.book(bookId);
    if (!book) throw new NotFoundError(`Book ${bookId} not found`);
    const taxDate = date ?? input.issueDate ?? todayOf(this.clock);
    const [customer, codes] = await Promise.all([
      typeof input.customer === 'string'
        ? this.lookups.customer(bookId, input.customer)
        : undefined,
      this.lookups.taxCodesOn(bookId, taxDate),
    ]);
    return {
      baseCurrency: book.baseCurrency,
      customer,
      taxCodes: codes.valid,
      knownTaxCodes: codes.known,
      taxDate,
    };
  }

  async create(
    bookId: string,
    invoiceId: string,
    input: InvoiceDraftInput,
    metadata: CommandMetadata,
  ) {
    const context = await this.contextFor(bookId, input);
    return this.run({ type: 'CreateInvoiceDraft', invoiceId, bookId, input, context }, metadata);
  }

  async replace(
    bookId: string,
    invoiceId: string,
    input: InvoiceDraftInput,
    metadata: CommandMetadata,
  ) {
    const context = await this.contextFor(bookId, input);
    return this.run({ type: 'ReplaceInvoiceDraft', invoiceId, bookId, input, context }, metadata);
  }

  discard(bookId: string, invoiceId: string, metadata: CommandMetadata) {
    return this.run({ type: 'DiscardInvoiceDraft', invoiceId, bookId }, metadata);
  }

  markIssued(bookId: string, invoiceId: string, number: string, metadata: CommandMetadata) {
    return this.run({ type: 'MarkInvoiceDraftIssued', invoiceId, bookId, number }, metadata);
  }

  private async run(command: InvoiceDraftCommand, metadata: CommandMetadata): Promise<DraftAnswer> {
    const streamId = invoiceDraftStreamId(command.invoiceId);
    await handleCommand(
      this.store,
      {
        streamId,
        load: () => this.load(command.invoiceId),
        decide: (c: InvoiceDraftCommand, state: InvoiceDraftState) =>
          invoiceDraftDecider.decide(c, state),
      },
      command,
      metadata,
    );
    return this.load(command.invoiceId);
  }
}
