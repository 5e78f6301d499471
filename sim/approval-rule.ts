import { personOf } from '../src/access/index.js';
import { RecordedEvent } from '../src/event-sourcing/index.js';
import {
  ApprovalExecutedData,
  ApprovalRequestedData,
  DecisionData,
  approvalExecutionCommandId,
} from '../src/approvals/index.js';
import { bookStreamId } from '../src/ledger/index.js';
import { EventRule, LogChecker, Violation } from './log-checker.js';

type Status = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

interface RequestFacts {
  book: string;
  requester: string;
  /** Grants needed in all (the sum over the steps). */
  required: number;
  deciders: Set<string>;
  status: Status;
  /** The held command's entry (a posting), which only its execution may post. */
  entryId: string | undefined;
  requestedAt: number;
  /** Position of the last event the execution appended. */
  executedAt?: number;
  /** Where the held entry was posted (by its execution, or by a repeat of the held command). */
  entryPostedAt?: number;
  /** The entry was in the log before the request. */
  heldAfterPosted: boolean;
  outcome?: 'executed' | 'failed';
}

const finalEvents: Record<string, Status> = {
  ApprovalRejected: 'rejected',
  ApprovalExpired: 'expired',
  ApprovalCancelled: 'cancelled',
};

/**
 * The approvals' invariants, fed every event in log order: decisions only on pending requests,
 * never by the requester or twice by one person; approved only with every grant; the held action
 * runs only after its approval, in one append (its command id derives from the approval), and
 * its outcome is recorded once and names what ran; a rejected, expired or cancelled request's
 * entry never reaches the log. At the end: every approved request has its outcome, and every
 * client told "pending approval" finds its request in the log.
 */
export class ApprovalRule implements EventRule {
  private readonly requests = new Map<string, RequestFacts>();
  private readonly byExecutionId = new Map<string, string>();
  /** Held entries (`<book stream> <entry id>`) → approval id. */
  private readonly heldEntries = new Map<string, string>();
  private readonly acknowledgedPending: { approvalId: string; position: bigint }[] = [];
  readonly counts = {
    requested: 0,
    approved: 0,
    executed: 0,
    failed: 0,
    closedUnexecuted: 0,
    postedWhileHeld: 0,
    heldAfterPosted: 0,
  };

  /** A client was answered 202 pending_approval with this approval and position. */
  acknowledged(approvalId: string, position: bigint): void {
    this.acknowledgedPending.push({ approvalId, position });
  }

  check(event: RecordedEvent, log: LogChecker): Violation | undefined {
    const commandId = event.metadata.commandId;
    const executes = commandId === undefined ? undefined : this.byExecutionId.get(commandId);
    if (executes !== undefined && event.streamId.startsWith(bookStreamId('')))
      return this.checkExecution(executes, event);
    if (event.type === 'JournalEntryPosted') return this.checkHeldEntry(event);
    if (!event.type.startsWith('Approval')) return undefined;
    const data = event.data as { approvalId: string };
    if (event.type === 'ApprovalRequested')
      return this.requested(event.data as ApprovalRequestedData, Number(event.position), log);
    const request = this.requests.get(data.approvalId);
    if (request === undefined) return undefined; // policies and delegations
    const at = `${event.type} of ${data.approvalId} at ${event.position}`;
    if (event.type === 'ApprovalExecuted' || event.type === 'ApprovalExecutionFailed')
      return this.outcome(request, event, at);
    if (request.status !== 'pending')
      return {
        invariant: 'decisions only on pending requests',
        detail: `${at}: ${request.status}`,
      };
    if (event.type === 'ApprovalGranted' || event.type === 'ApprovalRejected')
      return this.decision(request, event.data as DecisionData, at);
    if (event.type === 'ApprovalApproved') {
      if (request.deciders.size < request.required)
        return {
          invariant: 'approved only with every grant',
          detail: `${at}: ${request.deciders.size} of ${request.required} grants`,
        };
      request.status = 'approved';
      this.counts.approved++;
    }
    const final = finalEvents[event.type];
    if (final !== undefined) request.status = final;
    return undefined;
  }

  private requested(
    data: ApprovalRequestedData,
    position: number,
    log: LogChecker,
  ): Violation | undefined {
    const payload = data.payload as { type?: string; entryId?: string };
    const entryId = payload.type === 'PostJournalEntry' ? payload.entryId : undefined;
    // A twin of the command (same command id), gated before the policy was in force, may have
    // posted the entry between this one's dry run and its request: the request holds an action
    // already done. The gate then withdraws it and the client is answered with that entry, never
    // "pending approval" (checked at the end); an execution would answer with that entry too.
    const postedBefore = entryId === undefined ? undefined : log.entryPosition(data.book, entryId);
    if (postedBefore !== undefined) this.counts.heldAfterPosted++;
    this.requests.set(data.approvalId, {
      book: data.book,
      requester: personOf(data.requestedBy.name),
      required: data.steps.reduce((sum, step) => sum + step.approvals, 0),
      deciders: new Set(),
      status: 'pending',
      entryId,
      requestedAt: position,
      heldAfterPosted: postedBefore !== undefined,
      ...(postedBefore === undefined ? {} : { entryPostedAt: postedBefore }),
    });
    this.byExecutionId.set(approvalExecutionCommandId(data.approvalId), data.approvalId);
    if (entryId !== undefined)
      this.heldEntries.set(`${bookStreamId(data.book)} ${entryId}`, data.approvalId);
    this.counts.requested++;
    return undefined;
  }

  private decision(request: RequestFacts, data: DecisionData, at: string): Violation | undefined {
    const persons = [data.by.name, ...(data.onBehalfOf ? [data.onBehalfOf.name] : [])].map(
      personOf,
    );
    for (const person of persons) {
      if (person === request.requester)
        return {
          invariant: 'four eyes: the requester never decides',
          detail: `${at} by ${person}`,
        };
      if (request.deciders.has(person))
        return { invariant: 'four eyes: one decision per person', detail: `${at} by ${person}` };
      request.deciders.add(person);
    }
    return undefined;
  }

  private checkExecution(approvalId: string, event: RecordedEvent): Violation | undefined {
    const request = this.requests.get(approvalId)!;
    const at = `${event.type} at ${event.position} runs approval ${approvalId}`;
    if (request.status !== 'approved')
      return { invariant: 'only approved requests execute', detail: `${at}: ${request.status}` };
    if (request.outcome === 'failed')
      return { invariant: 'a failed execution never runs after all', detail: at };
    request.executedAt = Number(event.position);
    if (event.type === 'JournalEntryPosted') request.entryPostedAt = request.executedAt;
    return undefined;
  }

  /** A held entry posted by anything but its approved execution. */
  private checkHeldEntry(event: RecordedEvent): Violation | undefined {
    const entryId = (event.data as { entryId: string }).entryId;
    const approvalId = this.heldEntries.get(`${event.streamId} ${entryId}`);
    if (approvalId === undefined) return undefined;
    const request = this.requests.get(approvalId)!;
    request.entryPostedAt = Number(event.position);
    const status = request.status;
    // Held, then posted by a retry of the same command once no policy matched it any more.
    if (status === 'pending') this.counts.postedWhileHeld++;
    if (status === 'pending' || status === 'approved') return undefined;
    return {
      invariant: 'a rejected, expired or cancelled request is never executed',
      detail: `entry ${entryId} of approval ${approvalId} (${status}) posted at ${event.position}`,
    };
  }

  private outcome(request: RequestFacts, event: RecordedEvent, at: string): Violation | undefined {
    if (request.status !== 'approved')
      return { invariant: 'only approved requests record an outcome', detail: at };
    if (request.outcome !== undefined)
      return { invariant: 'an outcome is recorded once', detail: `${at} after ${request.outcome}` };
    if (event.type === 'ApprovalExecutionFailed') {
      if (request.executedAt !== undefined)
        return {
          invariant: 'an execution that ran is recorded as executed',
          detail: `${at}, but its events are at ${request.executedAt}`,
        };
      request.outcome = 'failed';
      this.counts.failed++;
      return undefined;
    }
    const result = (event.data as ApprovalExecutedData).result;
    const ran = request.executedAt ?? request.entryPostedAt;
    if (result.position !== ran)
      return {
        invariant: 'an outcome names the events that ran',
        detail: `${at} names position ${String(result.position)}, what ran is at ${ran}`,
      };
    request.outcome = 'executed';
    this.counts.executed++;
    return undefined;
  }

  /** End of run (the reactor caught up): every approval has its outcome, every 202 its request. */
  atEnd(checker: LogChecker): Violation | undefined {
    for (const { approvalId, position } of this.acknowledgedPending) {
      const request = this.requests.get(approvalId);
      if (request === undefined || Number(position) < request.requestedAt)
        return {
          invariant: 'every request answered pending_approval is in the log',
          detail: `approval ${approvalId} (answered at ${position})`,
        };
      if (request.heldAfterPosted)
        return {
          invariant: 'nobody is answered pending_approval for an action already done',
          detail: `approval ${approvalId} (requested at ${request.requestedAt}) holds entry ${request.entryId}, posted at ${request.entryPostedAt}`,
        };
    }
    for (const [approvalId, request] of this.requests) {
      if (request.status === 'approved' && request.outcome === undefined)
        return { invariant: 'each approved request is executed', detail: `approval ${approvalId}` };
      if (request.status !== 'approved' && request.status !== 'pending')
        this.counts.closedUnexecuted++;
      if (request.outcome === 'executed' && request.entryId !== undefined) {
        const position = checker.entryPosition(request.book, request.entryId);
        if (position === undefined)
          return {
            invariant: 'an executed posting is in the log',
            detail: `approval ${approvalId}: entry ${request.entryId}`,
          };
      }
    }
    return undefined;
  }
}
