import {
  Actor,
  Clock,
  CommandMetadata,
  ConflictError,
  DecidedStream,
  EventStore,
  NotFoundError,
  cachedPerKey,
  deterministicId,
} from '../../../event-sourcing/index.js';
import { ProjectionsService } from '../../../infrastructure/projections/index.js';
import { IdempotencyMismatchError } from '../../../ledger/index.js';
import type { AccountsReadModel } from '../../../ledger/ledger-read.module.js';
import type { PartiesLookup } from '../../../parties/index.js';
import type { PersonalDataCipher } from '../../../parties/parties.module.js';
import type { ApprovalGate } from '../../../approvals/approvals.module.js';
import { itemAsOf, OpenItemView } from '../../domain/aging.js';
import { BusinessRuleError } from '../../domain/payment.js';
import { OpenItemsReadModel } from '../../projections/open-items.read-model.js';
import {
  CreditorData,
  DebtorData,
  PaymentRunCommand,
  PaymentRunCreatedData,
  PaymentRunEvent,
  PaymentRunItemData,
  paymentRunsDecider,
  PaymentRunsState,
  PaymentRunState,
  paymentRunsStreamId,
} from '../domain/payment-runs.decider.js';
import {
  PaymentSelection,
  paymentRunCurrency,
  selectPayables,
} from '../domain/payment-selection.js';

/** How long a write waits for the open items to reach the log head. */
export const paymentRunsCatchUpMilliseconds = 10_000;

export const paymentRunExecuteAction = 'payment-run.execute';

export interface CreatePaymentRunInput {
  runId: string;
  executionDate: string;
  bankAccount: string;
  debtor?: DebtorData;
  selection: PaymentSelection;
  idempotency?: { key: string; requestHash: string };
}

export interface PaymentRunView extends PaymentRunState {
  position: bigint;
}

/** The command an approval of `payment-run.execute` holds (plain JSON). */
export interface HeldPaymentRunExecution {
  type: 'ExecutePaymentRun';
  bookId: string;
  runId: string;
}

export type ExecuteOutcome =
  | { status: 'executed'; run: PaymentRunView }
  | { status: 'pending_approval'; approvalId: string; position: bigint };

/**
 * Payment runs (docs/banking.md "Payment runs"): a draft from the due open payables with the
 * suppliers' bank details, executed (behind the `payment-run.execute` gate) into end-to-end ids
 * for the pain.001 file. Nothing is posted: the bank statement's debit line posts the payment.
 */
export class PaymentRunsService {
  private readonly streams = new Map<
    string,
    DecidedStream<PaymentRunCommand, PaymentRunEvent, PaymentRunsState>
  >();

  constructor(
    private readonly store: EventStore,
    private readonly openItems: OpenItemsReadModel,
    private readonly accounts: AccountsReadModel,
    private readonly parties: PartiesLookup,
    private readonly cipher: PersonalDataCipher,
    private readonly projections: ProjectionsService,
    private readonly gate: ApprovalGate,
    private readonly clock: Clock,
  ) {}

  async create(
    bookId: string,
    input: CreatePaymentRunInput,
    metadata: CommandMetadata,
  ): Promise<PaymentRunView> {
    await this.projections.waitForAll(
      await this.store.headPosition(),
      paymentRunsCatchUpMilliseconds,
    );
    const bankAccount = await this.accounts.getAccount(bookId, input.bankAccount);
    const stream = this.stream(bookId);
    const state = await stream.current();
    const known = state.runs.get(input.runId);
    if (known !== undefined) {
      // A retry with the same Idempotency-Key answers with its run; another body is refused.
      if (
        input.idempotency === undefined ||
        known.created.requestHash !== input.idempotency.requestHash
      )
        throw new IdempotencyMismatchError(input.idempotency?.key ?? input.runId);
      return this.view(bookId, input.runId);
    }
    const debtor =
      input.debtor ?? (await this.companyDebtor(bookId, bankAccount.iban ?? undefined));
    const open = (await this.openItems.items(bookId, { kind: 'payable', asOf: '9999-12-31' }))
      .map((item) => itemAsOf(item, '9999-12-31'))
      .filter((item): item is OpenItemView => item !== undefined);
    const chosen = selectPayables(open, input.selection, (id) => state.runOfItem.get(id));
    const items = await this.itemsWithCreditors(bookId, chosen);
    const total = items.reduce((sum, item) => sum + BigInt(item.amountMinor), 0n);
    await stream.handle(
      {
        type: 'CreatePaymentRun',
        run: {
          runId: input.runId,
          bookId,
          executionDate: input.executionDate,
          bankAccount: input.bankAccount,
          debtor,
          currency: paymentRunCurrency,
          totalMinor: total.toString(),
          items,
          ...(input.idempotency !== undefined
            ? { requestHash: input.idempotency.requestHash }
            : {}),
        },
      },
      { ...metadata, book: bookId },
    );
    return this.view(bookId, input.runId);
  }

  async execute(
    bookId: string,
    runId: string,
    metadata: CommandMetadata,
    requester: Actor,
  ): Promise<ExecuteOutcome> {
    const run = await this.view(bookId, runId);
    if (run.executed !== undefined)
      throw new ConflictError(
        `Payment run ${runId} was executed already at ${run.executed.executedAt}`,
      );
    const held: HeldPaymentRunExecution = { type: 'ExecutePaymentRun', bookId, runId };
    const decision = await this.gate.hold({
      action: paymentRunExecuteAction,
      bookId,
      summary: {
        debitTotalsMinor: { [run.created.currency]: BigInt(run.created.totalMinor) },
        accounts: [run.created.bankAccount],
      },
      actor: requester,
      correlationId: metadata.correlationId,
      commandId: metadata.commandId,
      command: held,
    });
    if (decision.gated)
      return {
        status: 'pending_approval',
        approvalId: decision.approvalId,
        position: decision.position,
      };
    return { status: 'executed', run: await this.runExecution(held, metadata) };
  }

  /** Executes a run (directly, or for its approval: then `approvalId` makes a re-run a no-op). */
  async runExecution(
    held: HeldPaymentRunExecution,
    metadata: CommandMetadata,
    approvalId?: string,
  ): Promise<PaymentRunView> {
    await this.stream(held.bookId).handle(
      {
        type: 'ExecutePaymentRun',
        runId: held.runId,
        now: this.clock.now().toISOString(),
        ...(approvalId !== undefined ? { approvalId } : {}),
      },
      { ...metadata, book: held.bookId },
    );
    return this.view(held.bookId, held.runId);
  }

  /** Cancels a draft: its items are free for another run. */
  async cancel(
    bookId: string,
    runId: string,
    reason: string | undefined,
    metadata: CommandMetadata,
  ): Promise<PaymentRunView> {
    await this.view(bookId, runId);
    await this.stream(bookId).handle(
      {
        type: 'CancelPaymentRun',
        runId,
        now: this.clock.now().toISOString(),
        ...(reason !== undefined ? { reason } : {}),
      },
      { ...metadata, book: bookId },
    );
    return this.view(bookId, runId);
  }

  async list(bookId: string): Promise<PaymentRunView[]> {
    await this.accounts.requireBook(bookId);
    const { events } = await this.stream(bookId).read();
    const ids = events
      .filter((event) => event.type === 'PaymentRunCreated')
      .map((event) => (event.data as PaymentRunCreatedData).runId);
    return Promise.all(ids.map((id) => this.view(bookId, id)));
  }

  async view(bookId: string, runId: string): Promise<PaymentRunView> {
    const { state, events } = await this.stream(bookId).read();
    const run = state.runs.get(runId);
    if (run === undefined)
      throw new NotFoundError(`Unknown payment run ${runId} in book ${bookId}`);
    const last = events.findLast((event) => (event.data as { runId?: string }).runId === runId)!;
    return { ...run, position: last.position };
  }

  /** A natural person's sealed name and IBAN opened (erased fields read empty). */
  async openCreditor(
    bookId: string,
    item: PaymentRunItemData,
  ): Promise<{ name: string; iban: string; bic?: string }> {
    const { creditor } = item;
    const bic = creditor.bic !== undefined ? { bic: creditor.bic } : {};
    if (!('sealed' in creditor)) return { name: creditor.name, iban: creditor.iban, ...bic };
    const opened = await this.cipher.open({ bookId, partyId: item.partyId }, creditor.sealed);
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return { name: text(opened.values.name), iban: text(opened.values.iban), ...bic };
  }

  /** The company pays from the bank account's IBAN, else from the company data's. */
  private async companyDebtor(
    bookId: string,
    accountIban: string | undefined,
  ): Promise<DebtorData> {
    const company = await this.parties.company(bookId);
    const iban = accountIban ?? company?.iban;
    if (company === undefined || iban === undefined)
      throw new BusinessRuleError(
        `Book ${bookId} names no payer: set the company data (PUT /v1/books/${bookId}/settings/company) with the bank account's IBAN (or give the account its "iban"), or give "debtor": { "name", "iban", "bic"? }`,
        [{ field: 'debtor', message: 'required: no company data with an IBAN' }],
      );
    const bic = accountIban === undefined || accountIban === company.iban ? company.bic : undefined;
    return { name: company.name, iban, ...(bic !== undefined ? { bic } : {}) };
  }

  private async itemsWithCreditors(
    bookId: string,
    chosen: readonly OpenItemView[],
  ): Promise<PaymentRunItemData[]> {
    const items: PaymentRunItemData[] = [];
    const withoutIban = new Set<string>();
    for (const item of chosen) {
      const party = await this.parties.find(bookId, item.party);
      if (party?.iban === undefined || party.iban === '') {
        withoutIban.add(party === undefined ? item.party : `${party.name} (${party.number})`);
        continue;
      }
      items.push({
        invoiceId: item.itemId,
        number: item.number ?? item.itemId,
        partyId: item.party,
        dueDate: item.dueDate,
        amountMinor: item.openMinor.toString(),
        creditor: await this.creditor(bookId, party),
      });
    }
    if (withoutIban.size > 0)
      throw new BusinessRuleError(
        `No IBAN to pay to for supplier ${[...withoutIban].join(', ')}: add the IBAN to the supplier (PATCH /v1/books/${bookId}/parties/:id) or leave its invoices out of the run`,
        [{ field: 'items', message: `supplier without IBAN: ${[...withoutIban].join(', ')}` }],
      );
    return items;
  }

  private async creditor(
    bookId: string,
    party: { id: string; name: string; iban?: string; bic?: string; naturalPerson: boolean },
  ): Promise<CreditorData> {
    const bic = party.bic !== undefined ? { bic: party.bic } : {};
    if (!party.naturalPerson) return { name: party.name, iban: party.iban!, ...bic };
    const sealed = await this.cipher.seal(
      { bookId, partyId: party.id },
      { name: party.name, iban: party.iban },
    );
    return { sealed, ...bic };
  }

  private stream(bookId: string) {
    return cachedPerKey(
      this.streams,
      bookId,
      () => new DecidedStream(this.store, paymentRunsStreamId(bookId), paymentRunsDecider),
    );
  }
}

/** The command id of a run's creation: from the Idempotency-Key, so a retry finds its run. */
export function paymentRunIdsFor(
  bookId: string,
  idempotencyKey: string,
): { runId: string; commandId: string } {
  return {
    runId: deterministicId('kontor.banking.payment-run', bookId, idempotencyKey),
    commandId: deterministicId('kontor.banking.payment-run.create', bookId, idempotencyKey),
  };
}
