import {
  Actor,
  Clock,
  RecordedEvent,
  assert,
  deterministicId,
} from '../../event-sourcing/index.js';
import { Reactor } from '../../infrastructure/projections/index.js';
import { approvalExecutionCommandId } from '../domain/approval-request.decider.js';
import { ApprovalApprovedData } from '../domain/approval-request.events.js';
import { ApprovalExecutors } from './approval-executors.js';
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

/**
 * Runs an approved action exactly once. On `ApprovalApproved` it hands the held command to the
 * executor registered for its action (ApprovalExecutors, docs/adr/0019) with a command id
 * derived from the approval id, then records the outcome (RecordExecution). Exactly once across
 * crashes and restarts:
 * - an outcome already recorded: nothing to do (re-runs and rebuilds);
 * - a crash before the action ran: the checkpoint had not moved, so the reaction runs again;
 * - a crash after it ran but before the outcome was recorded: the executor, given the same
 *   command id, acts no second time and answers with the earlier result (its contract).
 */
export class ApprovalExecutionReactor implements Reactor {
  readonly name = approvalExecutionReactorName;
  readonly handles = ['ApprovalApproved'] as const;

  constructor(
    private readonly requests: ApprovalRequests,
    private readonly executors: ApprovalExecutors,
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
    const correlationId = events[0]!.metadata.correlationId;
    const outcome = await this.executors.executorOf(state.action).execute(
      {
        approvalId,
        book: state.book,
        action: state.action,
        payload: state.payload,
        requestedBy: state.requestedBy,
      },
      {
        commandId: approvalExecutionCommandId(approvalId),
        correlationId,
        causationId: event.eventId,
        after: event.position,
      },
    );
    if (this.options.crashHooks.afterExecution) process.kill(process.pid, 'SIGKILL');

    await this.requests.handle(
      approvalId,
      { type: 'RecordExecution', approvalId, outcome, now: this.clock.now().toISOString() },
      {
        actor: approvalsSystemActor,
        correlationId,
        causationId: event.eventId,
        commandId: deterministicId('kontor.approval.record-execution', approvalId),
        book: state.book,
      },
    );
  }
}
