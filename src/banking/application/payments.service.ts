import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CommandMetadata,
  EventStore,
  NotFoundError,
  parseAmount,
  ValidationError,
} from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { GateRequester, IdempotencyInput, PostDocument } from '../../ledger/index.js';
import '../domain/banking.schemas.js';
import { RunBookCommand, RunBookCommands } from '../../ledger/ledger.module.js';
import { AccountsReadModel } from '../../ledger/ledger-read.module.js';
import { itemAsOf } from '../domain/aging.js';
import {
  BusinessRuleError,
  OpenInvoice,
  PaymentKind,
  PaymentPlan,
  planPayment,
} from '../domain/payment.js';
import { OpenItemsReadModel } from '../projections/open-items.read-model.js';
import {
  BANKING_PARTIES,
  BankingPartiesSource,
  CONTROL_ACCOUNTS,
  ControlAccounts,
  ControlAccountsSource,
  TAX_ACCOUNTS,
  TaxAccountsSource,
} from './banking-ports.js';

/** A payment as the API takes it (decimal strings). */
export interface ReceivePaymentInput {
  paymentId: string;
  /** receivable (default): a customer paid; payable: a supplier was paid. */
  kind?: PaymentKind;
  entryId: string;
  party: string;
  date: string;
  amount: string;
  currency?: string;
  bankAccount: string;
  reference?: string;
  allocations?: { invoice: string; amount: string }[];
  discount?: string;
  /** Used when the book's chart names no receivables (payables) control account. */
  controlAccount?: string;
  discountAccount?: string;
  idempotency?: IdempotencyInput;
}

export interface ReceivedPayment {
  id: string;
  entryId: string;
  party: string;
  plan: PaymentPlan;
  position: bigint;
}

interface PaymentBookSettings {
  baseCurrency: string;
  control: ControlAccounts;
}

/** How long a payment waits for the open items to catch up with the log before it is checked. */
export const openItemsCatchUpMilliseconds = 5_000;

/**
 * Received payments: checked against the open items (caught up with the log first), then posted
 * as one PostDocument (PaymentReceived or PaymentMade + its entry) through the book's worker, so nothing is
 * recorded when any check fails.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly accounts: AccountsReadModel,
    private readonly openItems: OpenItemsReadModel,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONTROL_ACCOUNTS) private readonly controlAccounts: ControlAccountsSource,
    @Inject(BANKING_PARTIES) private readonly parties: BankingPartiesSource,
    @Inject(TAX_ACCOUNTS) private readonly taxAccounts: TaxAccountsSource,
  ) {}

  async receive(
    bookId: string,
    input: ReceivePaymentInput,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<ReceivedPayment> {
    await this.catchUp();
    const prepared = await this.prepare(bookId, input, await this.bookSettings(bookId));
    const outcome = await this.commandBus.execute(
      new RunBookCommand(prepared.command, metadata, requester),
    );
    if (outcome.status !== 'done') throw new NotFoundError('A payment is never held for approval');
    return { ...prepared.payment, position: outcome.result.position };
  }

  /**
   * Many payments of one book, checked one by one (throwing on the first that fails), then
   * posted as one batch of the book's worker (one append). The caller caught up with the log
   * itself and tracks what it allocated since (a statement import), so the open items are not
   * waited for between the checks. Each payment's outcome: posted, or the error that refused it.
   */
  async receiveAll(
    bookId: string,
    payments: readonly { input: ReceivePaymentInput; metadata: CommandMetadata }[],
    requester: GateRequester,
  ): Promise<(ReceivedPayment | { error: unknown })[]> {
    const settings = await this.bookSettings(bookId);
    const prepared: PreparedPayment[] = [];
    for (const { input } of payments) prepared.push(await this.prepare(bookId, input, settings));
    if (prepared.length === 0) return [];
    const outcomes = await this.commandBus.execute(
      new RunBookCommands(
        bookId,
        prepared.map(({ command }, index) => ({ command, metadata: payments[index]!.metadata })),
        requester,
      ),
    );
    return outcomes.map((outcome, index) => {
      if (outcome.status === 'refused') return { error: outcome.error };
      if (outcome.status !== 'done')
        return { error: new NotFoundError('A payment is never held for approval') };
      return { ...prepared[index]!.payment, position: outcome.result.position };
    });
  }

  /** What every payment of a book is checked with: read once per request, not per payment. */
  private async bookSettings(bookId: string): Promise<PaymentBookSettings> {
    const { baseCurrency } = await this.accounts.getBook(bookId);
    return { baseCurrency, control: await this.controlAccounts.of(bookId) };
  }

  /** Checks a payment against the open items and builds its PostDocument (nothing posted). */
  private async prepare(
    bookId: string,
    input: ReceivePaymentInput,
    { baseCurrency, control }: PaymentBookSettings,
  ): Promise<PreparedPayment> {
    const party = await this.parties.find(bookId, input.party);
    if (party === undefined)
      throw new ValidationError(`Unknown party ${input.party} in book ${bookId}`, [
        { field: 'party', message: 'a party id or number of this book' },
      ]);
    const currency = input.currency ?? baseCurrency;
    const kind = input.kind ?? 'receivable';
    const controlAccount =
      (kind === 'payable' ? control.payables : control.receivables) ?? input.controlAccount;
    if (controlAccount === undefined)
      throw new BusinessRuleError(`Book ${bookId} names no ${kind}s control account`, [
        {
          field: 'controlAccount',
          message: `give the ${kind}s account, or open the book with a chart`,
        },
      ]);
    const invoices = await this.invoices(bookId, kind, input.allocations ?? []);
    const taxAccountOf = kind === 'payable' ? 'inputAccount' : 'outputAccount';
    const taxAccounts = new Map<string, string | undefined>();
    for (const invoice of invoices.values())
      for (const share of invoice.taxes ?? [])
        if (kind === 'payable' || share.outputAccount === undefined)
          taxAccounts.set(
            share.taxCode,
            await this.taxAccounts[taxAccountOf](bookId, share.taxCode, input.date),
          );
    const plan = planPayment(
      {
        paymentId: input.paymentId,
        kind,
        partyId: party.id,
        date: input.date,
        amountMinor: parseAmount(input.amount, currency, 'amount'),
        currency,
        bankAccount: input.bankAccount,
        reference: input.reference,
        allocations: (input.allocations ?? []).map((allocation, index) => ({
          invoiceId: invoices.get(allocation.invoice)?.invoiceId ?? allocation.invoice,
          amountMinor: parseAmount(allocation.amount, currency, `allocations[${index}].amount`),
        })),
        discountMinor:
          input.discount === undefined ? 0n : parseAmount(input.discount, currency, 'discount'),
      },
      {
        controlAccount,
        discountAccount:
          (kind === 'payable' ? control.discountReceived : control.discountGranted) ??
          input.discountAccount,
        invoice: (id) => [...invoices.values()].find((invoice) => invoice.invoiceId === id),
        taxAccount: (code) => taxAccounts.get(code),
      },
    );
    return {
      command: postDocumentOf(bookId, input, plan),
      payment: { id: input.paymentId, entryId: input.entryId, party: party.id, plan },
    };
  }

  /** The checks read the ledger and the open items: both first catch up with the log. */
  async catchUp(): Promise<void> {
    const head = await this.store.headPosition();
    await this.projections.waitForAll(head, openItemsCatchUpMilliseconds);
  }

  /**
   * The allocated open items of the payment's kind by the id or number the request named (unknown
   * ones left out): an issued or incoming invoice, or a journal entry's item.
   */
  private async invoices(
    bookId: string,
    kind: PaymentKind,
    allocations: readonly { invoice: string }[],
  ): Promise<Map<string, OpenInvoice>> {
    const found = new Map<string, OpenInvoice>();
    for (const { invoice: key } of allocations) {
      const item = await this.openItems.item(bookId, key);
      if (item === undefined) continue;
      if (item.kind !== kind) continue;
      const view = itemAsOf(item, '9999-12-31')!;
      found.set(key, {
        invoiceId: item.itemId,
        party: item.party,
        currency: item.currency,
        openMinor: view.openMinor,
        number: item.number,
        taxes: await this.openItems.invoiceTaxes(bookId, item.itemId),
      });
    }
    return found;
  }
}

interface PreparedPayment {
  command: PostDocument;
  payment: Omit<ReceivedPayment, 'position'>;
}

function postDocumentOf(
  bookId: string,
  input: ReceivePaymentInput,
  plan: PaymentPlan,
): PostDocument {
  return {
    type: 'PostDocument',
    bookId,
    document: { type: plan.documentType, id: input.paymentId, data: { ...plan.data } },
    entry: {
      entryId: input.entryId,
      effectiveDate: input.date,
      description: plan.description,
      ...(input.reference !== undefined ? { reference: input.reference } : {}),
      lines: plan.lines,
    },
    ...(input.idempotency !== undefined ? { idempotency: input.idempotency } : {}),
  };
}
