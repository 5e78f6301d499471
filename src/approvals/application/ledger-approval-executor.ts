import {
  DomainError,
  EventStore,
  WrongExpectedRevisionError,
  assert,
  readBatchSizeMax,
} from '../../event-sourcing/index.js';
import { BookCommand, LedgerCommandResult } from '../../ledger/index.js';
import { LedgerCommands } from '../../ledger/ledger.module.js';
import { ExecutionOutcome } from '../domain/approval-request.commands.js';
import { GatedAction } from '../domain/gated-action.js';
import {
  ApprovalExecutionContext,
  ApprovalExecutor,
  ApprovedAction,
} from './approval-executors.js';

/** The ledger's gated actions and the book command each holds. */
export const ledgerCommandTypeOf = {
  'journal-entry.post': 'PostJournalEntry',
  'period.reopen': 'ReopenPeriod',
  'account.close': 'CloseAccount',
  'invoice.issue': 'PostDocument',
  'credit-note.issue': 'PostDocument',
  'incoming-invoice.book': 'PostDocument',
} as const satisfies Partial<Record<GatedAction, BookCommand['type']>>;

export const ledgerGatedActions = Object.keys(
  ledgerCommandTypeOf,
) as (keyof typeof ledgerCommandTypeOf)[];

/**
 * Runs a held book command through `LedgerCommands` (no gate), registered by approvals itself
 * (the ledger knows nothing of approvals). Exactly once under the same command id: a repeated
 * post appends nothing and answers with the original entry; a period reopen or account close
 * refused the second time is recognised by its events' command id in the log.
 */
export class LedgerApprovalExecutor implements ApprovalExecutor {
  constructor(
    private readonly ledger: LedgerCommands,
    private readonly store: EventStore,
  ) {}

  async execute(
    approved: ApprovedAction,
    context: ApprovalExecutionContext,
  ): Promise<ExecutionOutcome> {
    const command = approved.payload as BookCommand;
    assert(
      command?.type === ledgerCommandTypeOf[approved.action as keyof typeof ledgerCommandTypeOf],
      `approval ${approved.approvalId} holds a ${command?.type} for ${approved.action}`,
    );
    const metadata = {
      actor: { id: approved.requestedBy.keyId, name: approved.requestedBy.name },
      correlationId: context.correlationId,
      causationId: context.causationId,
      commandId: context.commandId,
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
      const earlier = await this.findExecuted(context.commandId, context.after);
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
