import { assert } from '../../event-sourcing/index.js';
import { ExecutionOutcome } from '../domain/approval-request.commands.js';
import { GatedAction, KeyHolder } from '../domain/gated-action.js';

/** An approved action as its executor gets it: the command the gate held, as plain JSON. */
export interface ApprovedAction {
  approvalId: string;
  book: string;
  action: GatedAction;
  payload: unknown;
  requestedBy: KeyHolder;
}

export interface ApprovalExecutionContext {
  /** Derived from the approval id: the same on every run of this approval's execution. */
  commandId: string;
  correlationId: string;
  /** The ApprovalApproved event. */
  causationId: string;
  /** Its log position: whatever the execution appended comes after it. */
  after: bigint;
}

/**
 * Runs the approved actions of one module (docs/adr/0019). Its contract, which keeps the
 * reactor's exactly-once guarantee: run with the same `commandId` again (after a crash between
 * the action and the recorded outcome), it acts no second time and answers `executed` with the
 * same result; a refusal of the action itself (a DomainError: the period closed since) is the
 * outcome `failed`; anything else (the store, contention, a bug) is thrown and retried.
 */
export interface ApprovalExecutor {
  execute(action: ApprovedAction, context: ApprovalExecutionContext): Promise<ExecutionOutcome>;
}

/**
 * The executors of the gated actions, by action. Each module registers the executor of its own
 * actions in its `onModuleInit` (approvals the ledger's, banking the payment runs'); approvals
 * knows none of those modules.
 */
export class ApprovalExecutors {
  private readonly executors = new Map<GatedAction, ApprovalExecutor>();

  register(actions: readonly GatedAction[], executor: ApprovalExecutor): void {
    for (const action of actions) {
      assert(!this.executors.has(action), `an executor for ${action} is registered already`);
      this.executors.set(action, executor);
    }
  }

  executorOf(action: GatedAction): ApprovalExecutor {
    const executor = this.executors.get(action);
    assert(executor !== undefined, `no executor is registered for ${action}`);
    return executor;
  }
}
