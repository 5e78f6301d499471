import { DomainError } from '../src/event-sourcing/index.js';
import { RunBookCommand } from '../src/ledger/application/ledger-bus.commands.js';
import {
  DecideApprovalCommand,
  DefineApprovalPolicyCommand,
  RetireApprovalPolicyCommand,
} from '../src/approvals/application/approval-bus.commands.js';
import { ApprovalRule } from './approval-rule.js';
import { BillingRule } from './billing-invariants.js';
import { BillingOperation, performBilling } from './billing-workload.js';
import { DecideOperation, people } from './approval-workload.js';
import { Acknowledged, LogChecker } from './log-checker.js';
import { SimProcess } from './processes.js';
import { Trace } from './trace.js';
import { BookOperation, Operation, Workload } from './workload.js';

/** What became of the operations: answered, held for approval, refused (4xx), failed (5xx). */
export class Outcomes {
  acknowledged = 0;
  pendingApproval = 0;
  refused = 0;
  failed = 0;
  readonly refusedBy = new Map<string, number>();

  refuse(error: DomainError): void {
    this.refused++;
    this.refusedBy.set(error.code, (this.refusedBy.get(error.code) ?? 0) + 1);
  }

  toString(): string {
    const codes = [...this.refusedBy].sort().map(([code, count]) => `${code}:${count}`);
    return `acknowledged=${this.acknowledged} pending-approval=${this.pendingApproval} refused=${this.refused} [${codes.join(' ')}] failed=${this.failed}`;
  }
}

/** Runs operations through a process's real handlers and records what each was told. */
export class Performer {
  constructor(
    private readonly workload: Workload,
    private readonly outcomes: Outcomes,
    private readonly trace: Trace,
    private readonly checker: LogChecker,
    private readonly approvalRule: ApprovalRule,
    private readonly billingRule: BillingRule,
  ) {}

  async perform(process: SimProcess, operation: Operation): Promise<void> {
    if (operation.kind === 'book') return this.performBook(process, operation);
    if (operation.kind === 'decide') return this.decide(process, operation);
    if (operation.kind === 'billing') return this.performBilling(process, operation);
    if (operation.kind === 'expire') {
      await process.expiry.runOnce();
      return;
    }
    const { command, metadata } = operation;
    const done = await (operation.kind === 'define-policy'
      ? process.definePolicy.execute(new DefineApprovalPolicyCommand(operation.command, metadata))
      : process.retirePolicy.execute(new RetireApprovalPolicyCommand(operation.command, metadata)));
    this.acknowledgeAtHead(command.type, command.book, metadata.commandId, done.position);
    if (operation.kind === 'define-policy')
      this.workload.approvals.policyDefined(command.book, command.policyId);
    else this.workload.approvals.policyRetired(command.book, command.policyId);
  }

  /** Through the ledger's command handler, gate and all, as the HTTP route sends it. */
  private async performBook(process: SimProcess, operation: BookOperation): Promise<void> {
    const { command, metadata } = operation;
    const requester = { ...metadata.actor, roles: people.clerk!.roles };
    const outcome = await process.runBook.execute(new RunBookCommand(command, metadata, requester));
    if (outcome.status === 'pending_approval') {
      this.outcomes.pendingApproval++;
      this.approvalRule.acknowledged(outcome.approvalId, outcome.position);
      this.workload.approvals.requested(outcome.approvalId);
      return;
    }
    const { entryId, repeated, position } = outcome.result;
    const { type, bookId } = command;
    this.acknowledge({
      type,
      bookId,
      commandId: metadata.commandId,
      entryId,
      repeated,
      position,
      exact: true,
    });
    this.workload.acknowledged(command, entryId);
  }

  private async performBilling(process: SimProcess, operation: BillingOperation): Promise<void> {
    await performBilling(process, operation, {
      acknowledge: (ack) => this.acknowledge(ack),
      pendingApproval: (approvalId, position) => {
        this.outcomes.pendingApproval++;
        this.approvalRule.acknowledged(approvalId, position);
      },
      issued: (document) => this.billingRule.issued(document),
    });
    this.workload.billing.acknowledged(operation);
  }

  private async decide(process: SimProcess, operation: DecideOperation): Promise<void> {
    const { approvalId, decision, keyId, metadata } = operation;
    const caller = { keyId, name: people[keyId]!.name };
    const done = await process.decide.execute(
      new DecideApprovalCommand(approvalId, decision, caller, metadata),
    );
    this.acknowledgeAtHead('DecideApproval', done.book, metadata.commandId, done.position);
    this.workload.approvals.decided(approvalId, done.status);
  }

  /** A policy or approval answer: its position is the stream's head then, at or after its events. */
  private acknowledgeAtHead(type: string, bookId: string, commandId: string, position: number) {
    this.acknowledge({
      type,
      bookId,
      commandId,
      entryId: undefined,
      repeated: false,
      position: BigInt(position),
      exact: false,
    });
  }

  private acknowledge(ack: Acknowledged): void {
    this.outcomes.acknowledged++;
    this.trace.record(`ack ${ack.commandId} ${ack.position}`);
    this.checker.acknowledged(ack);
  }
}
