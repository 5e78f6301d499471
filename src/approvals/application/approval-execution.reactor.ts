import {
  Actor,
  Clock,
  DomainError,
  EventStore,
  RecordedEvent,
  WrongExpectedRevisionError,
  assert,
  deterministicId,
  readBatchSizeMax,
} from '../../event-sourcing/index.js';
import { Reactor } from '../../infrastructure/projections/index.js';
import { BookCommand, LedgerCommandResult } from '../../ledger/index.js';
import { LedgerCommands } from '../../ledger/ledger.module.js';
import { ExecutionOutcome } from '../domain/approval-request.commands.js';
import {
  ExistingApprovalState,
  approvalExecutionCommandId,
} from '../domain/approval-request.decider.js';
import { ApprovalApprovedData } from '../domain/approval-request.events.js';
import { GatedAction } from '../domain/gated-action.js';
import { ApprovalRequests } from './approval-requests.js';

export const approvalExecutionReactorName = 'approval-execution';

/** The actor of the events that record an execution (the ledger's events carry the requester). */
export const approvalsSystemActor: Actor = { id: 'system', name: 'approvals' };

/**
 * TEST-ONLY crash hooks for test/integration/approvals-crash.int-spec.ts: the process kills
 * itself (SIGKILL, no cleanup) right before running an approved action, or right after running
 * it but before recording the outcome. Never set them in production.
 */
export interface CrashHooks {
  beforeExecution: boolean;
  afterExecution: boolean;
}

export function crashHooksFromEnv(env: NodeJS.ProcessEnv = process.env): CrashHooks {
  return {
    beforeExecution: env.KONTOR_TEST_CRASH_BEFORE_APPROVAL_EXECUTION === '1',
    afterExecution: env.KONTOR_TEST_CRASH_AFTER_APPROVAL_EXECUTION === '1',
  };
}

const domainCommandTypeOf: Record<GatedAction, BookCommand['type']> = {
  'journal-entry.post': 'PostJournalEntry',
  'period.reopen': 'ReopenPeriod',
  'account.close': 'CloseAccount',
  'invoice.issue': 'PostDocument',
  'credit-note.issue': 'PostDocument',
  'incoming-invoice.book': 'PostDocument',
};

/**
 * Runs an approved action exactly once. On `ApprovalApproved` it runs the held command through
 * `LedgerCommands` (no gate) with a command id derived from the approval id, then records the
 * outcome (RecordExecution). Exactly once across crashes and restarts:
 * - an outcome already recorded: nothing to do (re-runs and rebuilds);
 * - a crash before the action ran: the checkpoint had not moved, so the reaction runs again;
 * - a crash after it ran but before the outcome was recorded: the same command id appends
 *   nothing; a repeated post answers with the original entry, and a period reopen or account
 *   close (refused the second time) is recognised by its events' command id in the log.
 */
export class ApprovalExecutionReactor implements Reactor {
  readonly name = approvalExecutionReactorName;
  readonly handles = ['ApprovalApproved'] as const;

  constructor(
    private readonly requests: ApprovalRequests,
    private readonly ledger: LedgerCommands,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly options: { readOnly: boolean; crashHooks: CrashHooks },
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    // A read-only copy (replay --out) shows the books as they stood; it never acts.
    if (this.options.readOnly) return;
    const { approvalId } = event.data as ApprovalApprovedData;
    const { state, events } = await this.requests.load(approvalId);
    assert(state.status !== 'none', `ApprovalApproved for unknown approval ${approvalId}`);
    if (state.status !== 'approved' || state.result !== undefined) return;

    if (this.options.crashHooks.beforeExecution) process.kill(process.pid, 'SIGKILL');
    const commandId = approvalExecutionCommandId(approvalId);
    const outcome = await this.execute(state, commandId, {
      correlationId: events[0]!.metadata.correlationId,
      causationId: event.eventId,
      after: event.position,
    });
    if (this.options.crashHooks.afterExecution) process.kill(process.pid, 'SIGKILL');

    await this.requests.handle(
      approvalId,
      { type: 'RecordExecution', approvalId, outcome, now: this.clock.now().toISOString() },
      {
        actor: approvalsSystemActor,
        correlationId: events[0]!.metadata.correlationId,
        causationId: event.eventId,
        commandId: deterministicId('kontor.approval.record-execution', approvalId),
        book: state.book,
      },
    );
  }

  private async execute(
    state: ExistingApprovalState,
    commandId: string,
    context: { correlationId: string; causationId: string; after: bigint },
  ): Promise<ExecutionOutcome> {
    const command = state.payload as BookCommand;
    assert(
      command?.type === domainCommandTypeOf[state.action],
      `approval ${state.approvalId} holds a ${command?.type} for ${state.action}`,
    );
    const metadata = {
      actor: { id: state.requestedBy.keyId, name: state.requestedBy.name },
      correlationId: context.correlationId,
      causationId: context.causationId,
      commandId,
    };
    try {
      return {
        status: 'executed',
        result: executionResult(command, await this.ledger.execute(command, metadata)),
      };
    } catch (error) {
      // Not a refusal (a bug, the store, or contention the book worker gave up on): retry later.
      if (!(error instanceof DomainError) || error instanceof WrongExpectedRevisionError)
        throw error;
      const earlier = await this.findExecuted(commandId, context.after);
      if (earlier) return { status: 'executed', result: executionResult(command, earlier) };
      return { status: 'failed', error: { code: error.code, detail: error.message } };
    }
  }

  /**
   * The events an earlier run of this command appended (it ran, then the process died before the
   * outcome was recorded): searched in the log after the ApprovalApproved event.
   */
  private async findExecuted(
    commandId: string,
    after: bigint,
  ): Promise<Pick<LedgerCommandResult, 'position'> | undefined> {
    let found: bigint | undefined;
    for (let position = after; ;) {
      const batch = await this.store.readAll({ after: position, limit: readBatchSizeMax });
      for (const event of batch) if (event.metadata.commandId === commandId) found = event.position;
      if (batch.length < readBatchSizeMax)
        return found === undefined ? undefined : { position: found };
      position = batch[batch.length - 1]!.position;
    }
  }
}

function executionResult(
  command: BookCommand,
  result: Pick<LedgerCommandResult, 'position' | 'entryId' | 'number'>,
): Record<string, unknown> {
  const position = Number(result.position);
  assert(Number.isSafeInteger(position), `position ${result.position} fits a JSON number`);
  switch (command.type) {
    case 'PostJournalEntry':
      return { entryId: result.entryId ?? command.entryId, position };
    case 'ReopenPeriod':
      return { period: command.period, position };
    case 'CloseAccount':
      return { account: command.code, position };
    case 'PostDocument':
      return {
        entryId: result.entryId ?? command.entry.entryId,
        documentId: command.document.id,
        ...(result.number === undefined ? {} : { number: result.number }),
        position,
      };
    default:
      return { position };
  }
}
