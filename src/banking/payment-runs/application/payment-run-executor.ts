import { DomainError, WrongExpectedRevisionError, assert } from '../../../event-sourcing/index.js';
import type {
  ApprovalExecutionContext,
  ApprovalExecutor,
  ApprovedAction,
} from '../../../approvals/approvals.module.js';
import type { ExecutionOutcome } from '../../../approvals/index.js';
import { HeldPaymentRunExecution, PaymentRunsService } from './payment-runs.service.js';

/**
 * Executes an approved `payment-run.execute` (registered with approvals' ApprovalExecutors,
 * docs/adr/0019). Exactly once: the run records the approval that executed it, so a second run
 * of the same approval (a crash before its outcome was recorded) decides nothing and answers
 * with the same result; a run executed otherwise meanwhile is the refusal `conflict`.
 */
export class PaymentRunExecutor implements ApprovalExecutor {
  constructor(private readonly runs: PaymentRunsService) {}

  async execute(
    approved: ApprovedAction,
    context: ApprovalExecutionContext,
  ): Promise<ExecutionOutcome> {
    const held = approved.payload as HeldPaymentRunExecution;
    assert(
      held?.type === 'ExecutePaymentRun' && held.bookId === approved.book,
      `approval ${approved.approvalId} holds no payment run execution of book ${approved.book}`,
    );
    try {
      const run = await this.runs.runExecution(
        held,
        {
          actor: { id: approved.requestedBy.keyId, name: approved.requestedBy.name },
          correlationId: context.correlationId,
          causationId: context.causationId,
          commandId: context.commandId,
        },
        approved.approvalId,
      );
      const position = Number(run.position);
      assert(Number.isSafeInteger(position), `position ${run.position} fits a JSON number`);
      return { status: 'executed', result: { runId: held.runId, position } };
    } catch (error) {
      if (!(error instanceof DomainError) || error instanceof WrongExpectedRevisionError)
        throw error;
      return { status: 'failed', error: { code: error.code, detail: error.message } };
    }
  }
}
