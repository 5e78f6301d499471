import type { ApprovalRequests } from '../../approvals/approvals.module.js';
import type { ApprovalRequestState } from '../../approvals/index.js';
import { Actor, deterministicId, EventStore, RecordedEvent } from '../../event-sourcing/index.js';
import { Reactor } from '../../infrastructure/projections/index.js';
import type { PostJournalEntry } from '../../ledger/index.js';
import { ReopenCause, statementLineOf } from './bank-statement.js';
import { decideOnStatement } from './bank-statement-stream.js';

export const statementApprovalReactorName = 'bank-statement-approvals';

const bankingSystemActor: Actor = { id: 'system', name: 'banking' };

/** Why a held entry will never be posted, or undefined while it still may be (or was). */
function endedUnexecuted(state: ApprovalRequestState): ReopenCause | undefined {
  switch (state.status) {
    case 'rejected':
      return 'approval-rejected';
    case 'expired':
      return 'approval-expired';
    case 'cancelled':
      return 'approval-cancelled';
    case 'approved':
      return state.result?.status === 'failed' ? 'approval-failed' : undefined;
    default:
      return undefined;
  }
}

/**
 * A line assigned to an account whose entry an approval policy held (`journal-entry.post`)
 * waits again once that approval ends without posting it (docs/adr/0020). The held command is
 * read from the approval; an entry tagged with a statement line (statementLineMetadata)
 * reopens that line if the line's standing assignment is still that entry. Safe to run again:
 * a line reopened or assigned anew decides nothing.
 */
export class StatementLineReopener {
  constructor(
    private readonly approvals: ApprovalRequests,
    private readonly store: EventStore,
  ) {}

  async settle(approvalId: string, metadata: { correlationId: string; causationId?: string }) {
    const { state } = await this.approvals.load(approvalId);
    if (state.status === 'none' || state.action !== 'journal-entry.post') return;
    const cause = endedUnexecuted(state);
    const command = state.payload as PostJournalEntry;
    const line = statementLineOf(command.metadata);
    if (cause === undefined || line === undefined) return;
    await decideOnStatement(
      this.store,
      line.id,
      {
        type: 'ReopenStatementLine',
        reopened: {
          id: line.id,
          bookId: state.book,
          n: line.n,
          entryId: command.entryId,
          cause,
          approvalId,
        },
      },
      {
        ...metadata,
        actor: bankingSystemActor,
        commandId: deterministicId('kontor.banking.statement.reopen', approvalId),
        book: state.book,
      },
    );
  }
}

/** Settles the statement line of every approval that ends without its action having run. */
export class StatementApprovalReactor implements Reactor {
  readonly name = statementApprovalReactorName;
  readonly handles = [
    'ApprovalRejected',
    'ApprovalExpired',
    'ApprovalCancelled',
    'ApprovalExecutionFailed',
  ];

  constructor(
    private readonly reopener: StatementLineReopener,
    private readonly options: { readOnly: boolean },
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    // A read-only copy (replay --out) shows the books as they stood; it never acts.
    if (this.options.readOnly) return;
    const { approvalId } = event.data as { approvalId: string };
    await this.reopener.settle(approvalId, {
      correlationId: event.metadata.correlationId,
      causationId: event.eventId,
    });
  }
}
