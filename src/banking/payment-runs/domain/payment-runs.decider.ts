import {
  ConflictError,
  Decider,
  DomainEvent,
  NotFoundError,
  assert,
} from '../../../event-sourcing/index.js';
import { BusinessRuleError } from '../../domain/payment.js';

// The payment runs of one book (stream `payment-runs-<book>`): one stream, so an item is in at
// most one run and the runs' sequence numbers (and with them the end-to-end ids) are unique.

export function paymentRunsStreamId(bookId: string): string {
  return `payment-runs-${bookId}`;
}

/** A sealed value of the parties' personal-data cipher (docs/adr/0015), opaque here. */
export type SealedCreditor = Record<string, unknown>;

/**
 * Who is paid: a company's name and IBAN as they are; a natural person's name and IBAN sealed
 * under the party's keys (`sealed`), opened on read.
 */
export type CreditorData =
  { name: string; iban: string; bic?: string } | { sealed: SealedCreditor; bic?: string };

export interface PaymentRunItemData {
  /** The open item: the incoming invoice id. */
  invoiceId: string;
  number: string;
  partyId: string;
  dueDate: string;
  amountMinor: string;
  creditor: CreditorData;
}

export interface DebtorData {
  name: string;
  iban: string;
  bic?: string;
}

export interface PaymentRunCreatedData {
  runId: string;
  bookId: string;
  /** 1, 2, … per book: the run's part of its message and end-to-end ids. */
  sequence: number;
  executionDate: string;
  bankAccount: string;
  debtor: DebtorData;
  currency: string;
  totalMinor: string;
  items: PaymentRunItemData[];
  /** sha256 of the request when it came with an Idempotency-Key. */
  requestHash?: string;
}

export interface PaymentRunExecutedData {
  runId: string;
  bookId: string;
  executedAt: string;
  items: { invoiceId: string; endToEndId: string }[];
  /** The approval that released it, when a `payment-run.execute` policy held it. */
  approvalId?: string;
}

export interface PaymentRunCancelledData {
  runId: string;
  bookId: string;
  cancelledAt: string;
  reason?: string;
}

export type PaymentRunCreated = DomainEvent<'PaymentRunCreated', PaymentRunCreatedData>;
export type PaymentRunExecuted = DomainEvent<'PaymentRunExecuted', PaymentRunExecutedData>;
export type PaymentRunCancelled = DomainEvent<'PaymentRunCancelled', PaymentRunCancelledData>;
export type PaymentRunEvent = PaymentRunCreated | PaymentRunExecuted | PaymentRunCancelled;

export interface CreatePaymentRun {
  type: 'CreatePaymentRun';
  run: Omit<PaymentRunCreatedData, 'sequence'>;
}

export interface ExecutePaymentRun {
  type: 'ExecutePaymentRun';
  runId: string;
  now: string;
  approvalId?: string;
}

/** Only a draft: an executed run's file may be at the bank already. */
export interface CancelPaymentRun {
  type: 'CancelPaymentRun';
  runId: string;
  now: string;
  reason?: string;
}

export type PaymentRunCommand = CreatePaymentRun | ExecutePaymentRun | CancelPaymentRun;

export interface PaymentRunState {
  created: PaymentRunCreatedData;
  executed?: PaymentRunExecutedData;
  cancelled?: PaymentRunCancelledData;
}

export interface PaymentRunsState {
  runs: Map<string, PaymentRunState>;
  /** invoice id → the (not cancelled) run it is in. */
  runOfItem: Map<string, string>;
}

/** At most 35 characters of [A-Za-z0-9-] (pain.001 EndToEndId, SEPA's restricted set). */
export function endToEndIdOf(sequence: number, itemIndex: number): string {
  const id = `KPR${sequence}-${itemIndex + 1}`;
  assert(/^[A-Za-z0-9-]{1,35}$/.test(id), `end-to-end id ${id} fits pain.001`);
  return id;
}

/** The run's pain.001 message id (and payment information id). */
export function messageIdOf(sequence: number): string {
  return `KPR${sequence}`;
}

function decideCreate(command: CreatePaymentRun, state: PaymentRunsState): PaymentRunEvent[] {
  const { run } = command;
  const existing = state.runs.get(run.runId);
  if (existing !== undefined) {
    // A retry with the same Idempotency-Key: nothing new; another body under the same key: 409.
    if (run.requestHash !== undefined && existing.created.requestHash === run.requestHash)
      return [];
    throw new ConflictError(`Payment run ${run.runId} exists already with another request`);
  }
  if (run.items.length === 0) throw new BusinessRuleError('Nothing to pay: the run has no items');
  for (const item of run.items) {
    const other = state.runOfItem.get(item.invoiceId);
    if (other !== undefined)
      throw new ConflictError(
        `Incoming invoice ${item.invoiceId} (${item.number}) is already in payment run ${other}`,
      );
  }
  const total = run.items.reduce((sum, item) => sum + BigInt(item.amountMinor), 0n);
  assert(total.toString() === run.totalMinor, 'a run total is the sum of its items');
  return [{ type: 'PaymentRunCreated', data: { ...run, sequence: state.runs.size + 1 } }];
}

function requireRun(state: PaymentRunsState, runId: string): PaymentRunState {
  const run = state.runs.get(runId);
  if (run === undefined) throw new NotFoundError(`Unknown payment run ${runId}`);
  if (run.cancelled !== undefined)
    throw new ConflictError(`Payment run ${runId} was cancelled at ${run.cancelled.cancelledAt}`);
  return run;
}

function decideCancel(command: CancelPaymentRun, state: PaymentRunsState): PaymentRunEvent[] {
  const run = requireRun(state, command.runId);
  if (run.executed !== undefined)
    throw new ConflictError(
      `Payment run ${command.runId} was executed at ${run.executed.executedAt}; its transfers may be at the bank already and cannot be cancelled here`,
    );
  return [
    {
      type: 'PaymentRunCancelled',
      data: {
        runId: command.runId,
        bookId: run.created.bookId,
        cancelledAt: command.now,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      },
    },
  ];
}

function decideExecute(command: ExecutePaymentRun, state: PaymentRunsState): PaymentRunEvent[] {
  const run = requireRun(state, command.runId);
  if (run.executed !== undefined) {
    // The approval's execution again (after a crash before its outcome was recorded): done.
    if (command.approvalId !== undefined && run.executed.approvalId === command.approvalId)
      return [];
    throw new ConflictError(
      `Payment run ${command.runId} was executed already at ${run.executed.executedAt}`,
    );
  }
  const { created } = run;
  return [
    {
      type: 'PaymentRunExecuted',
      data: {
        runId: created.runId,
        bookId: created.bookId,
        executedAt: command.now,
        items: created.items.map((item, index) => ({
          invoiceId: item.invoiceId,
          endToEndId: endToEndIdOf(created.sequence, index),
        })),
        ...(command.approvalId !== undefined ? { approvalId: command.approvalId } : {}),
      },
    },
  ];
}

export const paymentRunsDecider: Decider<PaymentRunCommand, PaymentRunEvent, PaymentRunsState> = {
  initialState: () => ({ runs: new Map(), runOfItem: new Map() }),
  decide(command, state) {
    switch (command.type) {
      case 'CreatePaymentRun':
        return decideCreate(command, state);
      case 'ExecutePaymentRun':
        return decideExecute(command, state);
      case 'CancelPaymentRun':
        return decideCancel(command, state);
    }
  },
  evolve(state, event) {
    const runs = new Map(state.runs);
    if (event.type === 'PaymentRunCreated') {
      runs.set(event.data.runId, { created: event.data });
      const runOfItem = new Map(state.runOfItem);
      for (const item of event.data.items) runOfItem.set(item.invoiceId, event.data.runId);
      return { runs, runOfItem };
    }
    const run = state.runs.get(event.data.runId);
    assert(run !== undefined, `${event.type} for unknown run ${event.data.runId}`);
    if (event.type === 'PaymentRunExecuted') {
      runs.set(event.data.runId, { ...run, executed: event.data });
      return { runs, runOfItem: state.runOfItem };
    }
    runs.set(event.data.runId, { ...run, cancelled: event.data });
    const runOfItem = new Map(state.runOfItem);
    for (const item of run.created.items) runOfItem.delete(item.invoiceId);
    return { runs, runOfItem };
  },
};
