import { Role } from '../src/access/index.js';
import { CommandMetadata } from '../src/event-sourcing/index.js';
import { DefineApprovalPolicy, RetireApprovalPolicy } from '../src/approvals/index.js';
import { Random } from './random.js';

/** A decision as the approve and reject routes send it. */
export interface DecideOperation {
  kind: 'decide';
  approvalId: string;
  decision: { kind: 'approve' } | { kind: 'reject'; reason: string };
  keyId: string;
  metadata: CommandMetadata;
}

export type ApprovalOperation =
  | { kind: 'define-policy'; command: DefineApprovalPolicy; metadata: CommandMetadata }
  | { kind: 'retire-policy'; command: RetireApprovalPolicy; metadata: CommandMetadata }
  | DecideOperation
  | { kind: 'expire' };

/** The people of the simulation (key id → name, roles): a clerk who posts (and, holding the
 * approver role, tries to approve their own requests), two approvers and an admin. */
export const people: Record<string, { name: string; roles: Role[] }> = {
  clerk: { name: 'Clerk', roles: ['accountant', 'approver'] },
  alice: { name: 'Alice', roles: ['approver'] },
  bob: { name: 'Bob', roles: ['approver'] },
  carol: { name: 'Carol', roles: ['admin'] },
};
const approvers = ['alice', 'bob', 'carol'];
/** Four eyes above a threshold, two approvers, or an approver then an admin. */
const stepChoices = [
  [{ role: 'approver', approvals: 1 }],
  [{ role: 'approver', approvals: 2 }],
  [
    { role: 'approver', approvals: 1 },
    { role: 'admin', approvals: 1 },
  ],
];
const expiries = [undefined, 'PT5M', 'PT30M', 'PT2H'];
/** Requests the clients keep deciding on (older ones are left to expire or stay pending). */
const pendingKeptMax = 64;

/**
 * The approvers' side of the workload: policies defined and retired on the books (four eyes on
 * postings above a threshold, or on period reopenings), decisions on the requests the clerk was
 * answered `pending_approval` for — by approvers, sometimes two at once, sometimes by the
 * requester (refused: segregation of duties) — and runs of the expiry job.
 */
export class ApprovalWorkload {
  private readonly policies = new Map<string, string[]>();
  private pending: string[] = [];

  constructor(
    private readonly random: Random,
    private readonly newId: () => string,
  ) {}

  /** An approvals operation on `bookId` (opened), or undefined to send a book command instead. */
  next(bookId: string): ApprovalOperation | undefined {
    const roll = this.random.float();
    const active = this.policies.get(bookId) ?? [];
    if (roll < 0.004 && active.length < 3) return this.define(bookId);
    if (roll < 0.006 && active.length > 0) return this.retire(bookId, this.random.pick(active));
    if (roll < 0.008) return { kind: 'expire' };
    if (roll < 0.1 && this.pending.length > 0) return this.decision(this.random.pick(this.pending));
    return undefined;
  }

  /** A second decision on the same request at the same time, by another person (or the same). */
  racing(first: DecideOperation): DecideOperation {
    const others = approvers.filter((keyId) => keyId !== first.keyId);
    return this.decision(
      first.approvalId,
      this.random.chance(0.8) ? this.random.pick(others) : first.keyId,
    );
  }

  policyDefined(book: string, policyId: string): void {
    this.policies.set(book, [...(this.policies.get(book) ?? []), policyId]);
  }

  policyRetired(book: string, policyId: string): void {
    this.policies.set(
      book,
      (this.policies.get(book) ?? []).filter((id) => id !== policyId),
    );
  }

  requested(approvalId: string): void {
    if (this.pending.includes(approvalId)) return;
    this.pending.push(approvalId);
    if (this.pending.length > pendingKeptMax) this.pending.shift();
  }

  decided(approvalId: string, status: string): void {
    if (status !== 'pending') this.pending = this.pending.filter((id) => id !== approvalId);
  }

  private define(book: string): ApprovalOperation {
    const policyId = `policy-${this.newId()}`;
    const onPostings = this.random.chance(0.8);
    const expiresAfter = this.random.pick(expiries);
    return {
      kind: 'define-policy',
      command: {
        type: 'DefineApprovalPolicy',
        book,
        policyId,
        name: onPostings ? 'Four eyes on large postings' : 'Four eyes on reopenings',
        action: onPostings ? 'journal-entry.post' : 'period.reopen',
        ...(onPostings
          ? {
              condition: {
                minAmount: `${this.random.between(8_000, 19_000)}.00`,
                currency: 'EUR',
              },
            }
          : {}),
        steps: this.random.pick(stepChoices),
        ...(expiresAfter === undefined ? {} : { expiresAfter }),
      },
      metadata: this.metadata('carol'),
    };
  }

  private retire(book: string, policyId: string): ApprovalOperation {
    return {
      kind: 'retire-policy',
      command: { type: 'RetireApprovalPolicy', book, policyId, reason: 'policy change' },
      metadata: this.metadata('carol'),
    };
  }

  private decision(approvalId: string, keyId?: string): DecideOperation {
    const decider = keyId ?? (this.random.chance(0.15) ? 'clerk' : this.random.pick(approvers));
    return {
      kind: 'decide',
      approvalId,
      decision: this.random.chance(0.85)
        ? { kind: 'approve' }
        : { kind: 'reject', reason: 'not justified' },
      keyId: decider,
      metadata: this.metadata(decider),
    };
  }

  private metadata(keyId: string): CommandMetadata {
    const commandId = this.newId();
    const actor = { id: keyId, name: people[keyId]!.name };
    return { actor, correlationId: commandId, commandId };
  }
}
