import { CommandBus } from '@nestjs/cqrs';
import {
  Clock,
  ConflictError,
  EventMetadata,
  NotFoundError,
  assert,
  deterministicId,
} from '../../event-sourcing/index.js';
import type { GateRequester } from '../../ledger/index.js';
import { RunBookCommand } from '../../ledger/ledger.module.js';
import { CreditNoteInput, creditNoteFields } from '../domain/credit-note.js';
import { openMinorOf } from '../domain/invoice-view.js';
import { documentEntryLines } from '../domain/issue-invoice.js';
import {
  creditNoteIssuedType,
  creditNoteSeries,
  fiscalYearOf,
} from '../domain/issued-documents.js';
import { InvoicesReadModel } from '../projections/invoices.read-model.js';
import type { BillingLookups } from './billing-lookups.js';
import { todayOf } from './invoice-drafts.js';

export type CreditNoteOutcome =
  | {
      status: 'issued';
      id: string;
      number: string;
      entryId: string;
      invoiceId: string;
      cancelsInvoice: boolean;
      position: bigint;
    }
  | { status: 'pending_approval'; id: string; approvalId: string; position: bigint };

/** Issues a credit note for an issued invoice through PostDocument (refersTo / closes). */
export class CreditNotes {
  constructor(
    private readonly invoices: InvoicesReadModel,
    private readonly waitForInvoices: () => Promise<void>,
    private readonly lookups: BillingLookups,
    private readonly commandBus: CommandBus,
    private readonly clock: Clock,
  ) {}

  async issue(
    bookId: string,
    invoiceId: string,
    creditNoteId: string,
    input: CreditNoteInput,
    metadata: EventMetadata & { commandId: string },
    requester: GateRequester,
  ): Promise<CreditNoteOutcome> {
    await this.waitForInvoices();
    const view = await this.invoices.get(bookId, invoiceId, { sealed: true });
    if (!view) throw new NotFoundError(`No invoice ${invoiceId} in book ${bookId}`);
    if (!view.issued)
      throw new ConflictError(
        `Invoice ${invoiceId} is a draft: discard it instead of crediting it`,
      );
    if (view.status === 'cancelled')
      throw new ConflictError(`Invoice ${view.issued.number} is cancelled`);
    const book = await this.lookups.book(bookId);
    if (!book) throw new NotFoundError(`Book ${bookId} not found`);
    const issueDate = todayOf(this.clock);
    const fields = creditNoteFields(input, view.issued, openMinorOf(view), issueDate);
    const command = {
      type: 'PostDocument' as const,
      bookId,
      document: { type: creditNoteIssuedType, id: creditNoteId, data: { ...fields } },
      numbering: { series: creditNoteSeries(fiscalYearOf(issueDate, book.fiscalYearStartMonth)) },
      refersTo: { documentId: invoiceId, mustBeOpen: true },
      ...(fields.cancelsInvoice ? { closes: invoiceId } : {}),
      entry: {
        entryId: deterministicId('kontor.billing.credit-note-entry', bookId, creditNoteId),
        effectiveDate: issueDate,
        description: `Gutschrift zu ${view.issued.number}: ${fields.reason}`.slice(0, 1000),
        lines: documentEntryLines(fields, 'credit'),
      },
      gate: { action: 'credit-note.issue' },
    };
    const outcome = await this.commandBus.execute(new RunBookCommand(command, metadata, requester));
    if (outcome.status === 'pending_approval')
      return {
        status: 'pending_approval',
        id: creditNoteId,
        approvalId: outcome.approvalId,
        position: outcome.position,
      };
    const { number, entryId, position } = outcome.result;
    assert(
      number !== undefined && entryId !== undefined,
      'a credit note has a number and an entry',
    );
    return {
      status: 'issued',
      id: creditNoteId,
      number,
      entryId,
      invoiceId,
      cancelsInvoice: fields.cancelsInvoice,
      position,
    };
  }
}
