import { CustomerSealing } from './customer-sealing.js';
import { CommandBus } from '@nestjs/cqrs';
import {
  Clock,
  EventMetadata,
  ConflictError,
  NotFoundError,
  assert,
  deterministicId,
} from '../../event-sourcing/index.js';
import type { GateRequester } from '../../ledger/index.js';
import { RunBookCommand } from '../../ledger/ledger.module.js';
import { prepareDraft } from '../domain/invoice-draft.js';
import { documentEntryLines, draftAsInput, issuedInvoiceFields } from '../domain/issue-invoice.js';
import { fiscalYearOf, invoiceIssuedType, invoiceSeries } from '../domain/issued-documents.js';
import { issuePartiesOf } from './billing-context.js';
import type { BillingLookups } from './billing-lookups.js';
import { InvoiceDrafts, todayOf } from './invoice-drafts.js';

export type IssueOutcome =
  | {
      status: 'issued';
      id: string;
      number: string;
      entryId: string;
      dueDate: string;
      position: bigint;
    }
  | { status: 'pending_approval'; id: string; approvalId: string; position: bigint };

/**
 * Issues a draft: re-checks it against the tax codes of the issue date, snapshots seller and
 * customer, and runs one PostDocument (number, InvoiceIssued and entry in one append of the
 * book). Ids derive from the invoice, so a retry (or a second request) decides the same
 * document again and gets the same number: never two numbers for one invoice.
 */
export class InvoiceIssuing {
  constructor(
    private readonly drafts: InvoiceDrafts,
    private readonly lookups: BillingLookups,
    private readonly commandBus: CommandBus,
    private readonly clock: Clock,
    private readonly sealing: CustomerSealing,
  ) {}

  async issue(
    bookId: string,
    invoiceId: string,
    metadata: EventMetadata,
    requester: GateRequester,
  ): Promise<IssueOutcome> {
    const { state, revision } = await this.drafts.load(invoiceId);
    if (state.status === 'none' || state.bookId !== bookId)
      throw new NotFoundError(`No invoice ${invoiceId} in book ${bookId}`);
    if (state.status === 'issued')
      throw new ConflictError(`Invoice ${invoiceId} is already issued as ${state.number}`);
    if (state.status === 'discarded')
      throw new ConflictError(`Invoice draft ${invoiceId} was discarded`);
    const parties = await issuePartiesOf(this.lookups, bookId, state.draft.customer.partyId);
    const issueDate = state.draft.issueDate ?? todayOf(this.clock);
    const input = draftAsInput(state.draft, state.draft.customer.partyId);
    const draft = prepareDraft(input, await this.drafts.contextFor(bookId, input, issueDate));
    const fields = issuedInvoiceFields(draft, {
      issueDate,
      seller: parties.seller,
      customer: parties.customer,
      taxCodes: (await this.lookups.taxCodesOn(bookId, issueDate)).valid,
      receivablesAccount: parties.receivablesAccount,
    });
    const customer = await this.sealing.seal(bookId, fields.customer, parties.customerIsPerson);
    const command = {
      type: 'PostDocument' as const,
      bookId,
      document: { type: invoiceIssuedType, id: invoiceId, data: { ...fields, customer } },
      numbering: {
        series: invoiceSeries(fiscalYearOf(issueDate, parties.book.fiscalYearStartMonth)),
      },
      entry: {
        entryId: deterministicId('kontor.billing.invoice-entry', bookId, invoiceId),
        effectiveDate: issueDate,
        // A private customer's name stays out of the entry: the entry names the account.
        description: customer.sealed
          ? `Rechnung an Debitor ${customer.number}`
          : `Rechnung an ${fields.customer.name}`,
        lines: documentEntryLines(fields, 'debit'),
      },
      gate: { action: 'invoice.issue' },
    };
    const commandId = deterministicId('kontor.billing.issue', bookId, invoiceId, String(revision));
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, { ...metadata, commandId }, requester),
    );
    if (outcome.status === 'pending_approval')
      return {
        status: 'pending_approval',
        id: invoiceId,
        approvalId: outcome.approvalId,
        position: outcome.position,
      };
    const { number, entryId, position } = outcome.result;
    assert(
      number !== undefined && entryId !== undefined,
      'an issued invoice has a number and an entry',
    );
    await this.drafts.markIssued(bookId, invoiceId, number, {
      ...metadata,
      commandId: deterministicId('kontor.billing.mark-issued', bookId, invoiceId),
    });
    return { status: 'issued', id: invoiceId, number, entryId, dueDate: fields.dueDate, position };
  }
}
