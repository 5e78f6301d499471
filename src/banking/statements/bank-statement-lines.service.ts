import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  CommandMetadata,
  deterministicId,
  EventStore,
  formatAmount,
  ConflictError,
  NotFoundError,
} from '../../event-sourcing/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import { GateRequester, IdempotencyInput, PostJournalEntry } from '../../ledger/index.js';
import { RunBookCommand } from '../../ledger/ledger.module.js';
import { PaymentsService } from '../application/payments.service.js';
import { itemAsOf } from '../domain/aging.js';
import { BusinessRuleError } from '../domain/payment.js';
import { OpenItemsReadModel } from '../projections/open-items.read-model.js';
import {
  assignability,
  assignmentKey,
  BankStatementLineAssignedData,
  BankStatementState,
  bankStatementStreamId,
  StatementLineData,
  standingAssignment,
  statementLineMetadata,
} from './bank-statement.js';
import { decideOnStatement, loadBankStatement } from './bank-statement-stream.js';
import { lineReference } from './bank-statements.service.js';
import { kindOfDirection } from './statement-matching.js';
import { StatementLineReopener } from './statement-approval.reactor.js';

export type LineAssignmentTarget = { invoice: string } | { account: string };

export interface LineUnassigned {
  reversalEntryId: string;
  /** Log position of the reopening (0 when the line was reopened meanwhile). */
  position: bigint;
}

export interface LineAssignment {
  assignment: BankStatementLineAssignedData;
  /** Log position of the assignment (of the earlier one for a repeat). */
  position: bigint;
}

/**
 * Booking a waiting bank statement line by hand: to an open item (a payment, as a match would
 * have posted it) or to an account (bank against it, e.g. fees or interest; approval policies on
 * journal entries apply), then BankStatementLineAssigned in the statement's stream. Ids derive
 * from statement + line, so a second assignment can never post twice.
 */
@Injectable()
export class BankStatementLinesService {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly payments: PaymentsService,
    private readonly openItems: OpenItemsReadModel,
    private readonly reopener: StatementLineReopener,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async statement(bookId: string, id: string): Promise<BankStatementState> {
    const { state } = await loadBankStatement(this.store, id);
    if (state.header === undefined || state.header.bookId !== bookId)
      throw new NotFoundError(`Bank statement ${id} not found in book ${bookId}`);
    return state;
  }

  async assign(
    bookId: string,
    id: string,
    n: number,
    target: LineAssignmentTarget,
    idempotencyKey: string | undefined,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<LineAssignment> {
    await this.payments.catchUp();
    const state = await this.statement(bookId, id);
    const { idempotency } = idempotencyOf(idempotencyKey, 'assign-bank-statement-line', {
      id,
      n,
      ...target,
    });
    if (assignability(state, n, idempotency) === 'repeat') return this.earlier(id, n);
    const line = state.lines.get(n)!.data;
    const key = assignmentKey(state, id, n);
    const entryId = deterministicId('kontor.banking.statement.assign.entry', bookId, key);
    const commandMetadata = {
      ...metadata,
      commandId: deterministicId('kontor.banking.statement.assign.command', bookId, key),
    };
    const account = state.header!.account;
    const booked =
      'invoice' in target
        ? await this.payInvoice(
            bookId,
            account,
            line,
            target.invoice,
            key,
            entryId,
            commandMetadata,
            requester,
          )
        : await this.bookToAccount(
            bookId,
            { id, account },
            line,
            target.account,
            entryId,
            commandMetadata,
            requester,
          );
    const assignment: BankStatementLineAssignedData = {
      id,
      bookId,
      n,
      ...booked,
      entryId,
      ...(idempotency !== undefined
        ? { idempotencyKey: idempotency.key, requestHash: idempotency.requestHash }
        : {}),
    };
    const appended = await decideOnStatement(
      this.store,
      id,
      { type: 'AssignStatementLine', assignment },
      { ...metadata, commandId: deterministicId(commandMetadata.commandId, 'assigned') },
    );
    // The approval may have ended before this record (a retry finds the held one): settle it now.
    if (assignment.approvalId !== undefined)
      await this.reopener.settle(assignment.approvalId, { correlationId: metadata.correlationId });
    return appended === undefined
      ? this.earlier(id, n)
      : { assignment, position: appended.lastPosition };
  }

  /**
   * Undoes line n's assignment (docs/adr/0020): reverses its entry (a payment's entry re-opens
   * its open item), then the line waits again. The reversal's id derives from the entry, so a
   * retry after a lost append reverses nothing twice. An entry still held for approval is not
   * posted: reject or cancel the approval instead.
   */
  async unassign(
    bookId: string,
    id: string,
    n: number,
    reason: string,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<LineUnassigned> {
    const assignment = standingAssignment(await this.statement(bookId, id), n);
    const reversalEntryId = deterministicId(
      'kontor.banking.statement.unassign.entry',
      bookId,
      assignment.entryId,
    );
    const command = {
      type: 'ReverseJournalEntry' as const,
      bookId,
      entryId: assignment.entryId,
      newEntryId: reversalEntryId,
      reason,
    };
    const commandId = deterministicId('kontor.banking.statement.unassign.command', reversalEntryId);
    try {
      await this.commandBus.execute(
        new RunBookCommand(command, { ...metadata, commandId }, requester),
      );
    } catch (error) {
      if (error instanceof NotFoundError && assignment.approvalId !== undefined)
        throw new ConflictError(
          `Line ${n}'s entry ${assignment.entryId} waits for approval ${assignment.approvalId} and is not posted: reject or cancel the approval, and the line waits again`,
        );
      throw error;
    }
    const appended = await decideOnStatement(
      this.store,
      id,
      {
        type: 'ReopenStatementLine',
        reopened: {
          id,
          bookId,
          n,
          entryId: assignment.entryId,
          cause: 'unassigned',
          reason,
          reversalEntryId,
        },
      },
      { ...metadata, commandId: deterministicId(commandId, 'reopened') },
    );
    return { reversalEntryId, position: appended?.lastPosition ?? 0n };
  }

  /** The standing (latest) assignment of line n. */
  private async earlier(id: string, n: number): Promise<LineAssignment> {
    const events = await this.store.readStream(bankStatementStreamId(id));
    const event = events.findLast(
      (e) =>
        e.type === 'BankStatementLineAssigned' && (e.data as BankStatementLineAssignedData).n === n,
    )!;
    return { assignment: event.data as BankStatementLineAssignedData, position: event.position };
  }

  private async payInvoice(
    bookId: string,
    bankAccount: string,
    line: StatementLineData,
    invoice: string,
    key: string,
    entryId: string,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<{ invoice: string; payment: string }> {
    const kind = kindOfDirection(line.direction);
    const item = await this.openItems.item(bookId, invoice);
    const open = item === undefined ? undefined : itemAsOf(item, '9999-12-31');
    if (item === undefined || item.kind !== kind || open === undefined || open.openMinor <= 0n)
      throw new BusinessRuleError(
        `No open ${kind} ${invoice} in book ${bookId}: a ${line.direction} line pays a ${kind} with an open amount`,
        [{ field: 'invoice', message: `an open ${kind} (id or number)` }],
      );
    const amountMinor = BigInt(line.amountMinor);
    const allocated = open.openMinor < amountMinor ? open.openMinor : amountMinor;
    const payment = deterministicId('kontor.banking.statement.assign.payment', bookId, key);
    const body = {
      kind,
      party: item.party,
      date: line.date,
      amount: formatAmount(amountMinor, line.currency),
      currency: line.currency,
      bankAccount,
      reference: lineReference(line),
      allocations: [{ invoice: item.itemId, amount: formatAmount(allocated, line.currency) }],
    };
    await this.payments.receive(
      bookId,
      { ...body, paymentId: payment, entryId, ...ledgerIdempotency(entryId, body) },
      metadata,
      requester,
    );
    return { invoice: item.itemId, payment };
  }

  /** Tagged with statement and line: when its approval ends unexecuted, the line waits again. */
  private async bookToAccount(
    bookId: string,
    statement: { id: string; account: string },
    line: StatementLineData,
    account: string,
    entryId: string,
    metadata: CommandMetadata,
    requester: GateRequester,
  ): Promise<{ account: string; approvalId?: string }> {
    const amount = formatAmount(BigInt(line.amountMinor), line.currency);
    const [bankSide, otherSide] =
      line.direction === 'credit' ? ['debit', 'credit'] : ['credit', 'debit'];
    const lines = [
      { account: statement.account, [bankSide]: amount, currency: line.currency },
      { account, [otherSide]: amount, currency: line.currency },
    ];
    const command: PostJournalEntry = {
      type: 'PostJournalEntry',
      bookId,
      entryId,
      effectiveDate: line.date,
      description: `Bank statement line ${line.entryReference}${line.counterpartyName ? `: ${line.counterpartyName}` : ''}`,
      reference: lineReference(line),
      lines,
      metadata: statementLineMetadata(statement.id, line.n),
      ...ledgerIdempotency(entryId, lines),
    };
    const outcome = await this.commandBus.execute(new RunBookCommand(command, metadata, requester));
    return outcome.status === 'pending_approval'
      ? { account, approvalId: outcome.approvalId }
      : { account };
  }
}

/** The ledger's own idempotency for the line's posting: a retry after a lost append repeats it. */
function ledgerIdempotency(key: string, body: object): { idempotency?: IdempotencyInput } {
  return idempotencyOf(`statement-assign:${key}`, 'bank-statement-assignment', body);
}
