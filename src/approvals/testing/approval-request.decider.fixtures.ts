import { Role } from '../../access/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { ApprovalStep } from '../domain/approval-policy.events.js';
import {
  DecisionDelegation,
  GrantApproval,
  RejectApproval,
  RequestApproval,
} from '../domain/approval-request.commands.js';
import { approvalRequestDecider } from '../domain/approval-request.decider.js';
import { ApprovalRequestEvent } from '../domain/approval-request.events.js';
import { KeyHolder } from '../domain/gated-action.js';

/** Shared givens, commands and people for the approval-request decider specs (not a spec itself). */
export const spec = deciderSpec(approvalRequestDecider);

export const t0 = '2026-03-31T10:00:00.000Z';
export const t1 = '2026-03-31T11:00:00.000Z';
export const t2 = '2026-03-31T12:00:00.000Z';
export const expiry = '2026-04-07T10:00:00.000Z';
export const afterExpiry = '2026-04-07T10:00:00.001Z';

export const alice = { keyId: 'k-alice', name: 'Alice' };
export const aliceSecondKey = { keyId: 'k-alice-2', name: 'alice ' };
export const bob = { keyId: 'k-bob', name: 'Bob' };
export const carol = { keyId: 'k-carol', name: 'Carol' };
export const dave = { keyId: 'k-dave', name: 'Dave' };
export const erin = { keyId: 'k-erin', name: 'Erin' };

export const oneApprover: ApprovalStep[] = [{ role: 'approver', approvals: 1 }];
export const twoStep: ApprovalStep[] = [
  { role: 'approver', approvals: 2 },
  { role: 'compliance', approvals: 1 },
];
const payload = {
  effectiveDate: '2026-03-31',
  lines: [
    { account: '6310', debit: '12000.00' },
    { account: '1200', credit: '12000.00' },
  ],
};

export const request = (overrides: Partial<RequestApproval> = {}): RequestApproval => ({
  type: 'RequestApproval',
  approvalId: 'a1',
  book: 'acme',
  action: 'journal-entry.post',
  payload,
  summary: {
    action: 'journal-entry.post',
    book: 'acme',
    debitTotalsMinor: { EUR: 1_200_000n },
    accounts: ['6310', '1200'],
  },
  requestedBy: alice,
  steps: oneApprover,
  policyIds: ['p1'],
  now: t0,
  expiresAt: expiry,
  ...overrides,
});

export const requested = (
  steps: ApprovalStep[] = oneApprover,
  requestedBy: KeyHolder = alice,
  expiresAt: string | null = expiry,
): ApprovalRequestEvent => ({
  type: 'ApprovalRequested',
  data: {
    approvalId: 'a1',
    book: 'acme',
    action: 'journal-entry.post',
    payload,
    summary: { debitTotalsMinor: { EUR: '1200000' }, accounts: ['6310', '1200'] },
    requestedBy,
    steps,
    policyIds: ['p1'],
    requestedAt: t0,
    ...(expiresAt ? { expiresAt } : {}),
  },
});

export const granted = (
  by: KeyHolder,
  stepIndex = 0,
  role: Role = 'approver',
  at = t1,
  extra: { onBehalfOf?: KeyHolder; comment?: string } = {},
): ApprovalRequestEvent => ({
  type: 'ApprovalGranted',
  data: {
    approvalId: 'a1',
    stepIndex,
    role,
    by,
    ...(extra.onBehalfOf ? { onBehalfOf: extra.onBehalfOf } : {}),
    at,
    ...(extra.comment ? { comment: extra.comment } : {}),
  },
});
export const approved = (at = t1): ApprovalRequestEvent => ({
  type: 'ApprovalApproved',
  data: { approvalId: 'a1', book: 'acme', action: 'journal-entry.post', at },
});
export const rejected = (by: KeyHolder, at = t1): ApprovalRequestEvent => ({
  type: 'ApprovalRejected',
  data: { approvalId: 'a1', stepIndex: 0, role: 'approver', by, at, reason: 'no receipt' },
});
export const cancelled: ApprovalRequestEvent = {
  type: 'ApprovalCancelled',
  data: { approvalId: 'a1', by: alice, at: t1 },
};
export const expired: ApprovalRequestEvent = {
  type: 'ApprovalExpired',
  data: { approvalId: 'a1', expiresAt: expiry, at: afterExpiry },
};

export const grant = (
  by: KeyHolder,
  roles: Role[],
  overrides: Partial<GrantApproval> = {},
): GrantApproval => ({
  type: 'GrantApproval',
  approvalId: 'a1',
  by: { ...by, roles },
  now: t1,
  ...overrides,
});
export const reject = (
  by: KeyHolder,
  roles: Role[],
  overrides: Partial<RejectApproval> = {},
): RejectApproval => ({
  type: 'RejectApproval',
  approvalId: 'a1',
  by: { ...by, roles },
  reason: ' no receipt ',
  now: t1,
  ...overrides,
});
export const delegationFrom = (from: KeyHolder, role: Role = 'approver'): DecisionDelegation => ({
  fromKeyId: from.keyId,
  fromName: from.name,
  role,
});
