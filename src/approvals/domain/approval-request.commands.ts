import { Role } from '../../access/index.js';
import { ApprovalStep } from './approval-policy.events.js';
import { ExecutionError, ExecutionResult } from './approval-request.events.js';
import { GatedAction, GatedActionSummary, KeyHolder, KeyHolderWithRoles } from './gated-action.js';

/** Times are ISO 8601 UTC strings taken from the injected clock by the application layer. */
export interface RequestApproval {
  type: 'RequestApproval';
  approvalId: string;
  book: string;
  action: GatedAction;
  payload: unknown;
  summary: GatedActionSummary;
  requestedBy: KeyHolder;
  /** From matchPolicies: the combined steps and the matching policy ids. */
  steps: ApprovalStep[];
  policyIds: string[];
  now: string;
  expiresAt?: string;
}

/**
 * A delegation the application layer found active for the deciding key at `now` (window,
 * revocation and the delegator's key and role are its checks). The decider checks the role and
 * records both persons.
 */
export interface DecisionDelegation {
  fromKeyId: string;
  fromName: string;
  role: Role;
}

export interface GrantApproval {
  type: 'GrantApproval';
  approvalId: string;
  by: KeyHolderWithRoles;
  delegation?: DecisionDelegation;
  comment?: string;
  now: string;
}

export interface RejectApproval {
  type: 'RejectApproval';
  approvalId: string;
  by: KeyHolderWithRoles;
  delegation?: DecisionDelegation;
  reason: string;
  now: string;
}

export interface CancelApproval {
  type: 'CancelApproval';
  approvalId: string;
  by: KeyHolder;
  reason?: string;
  now: string;
}

/** Issued by the expiry scheduler. */
export interface ExpireApproval {
  type: 'ExpireApproval';
  approvalId: string;
  now: string;
}

export type ExecutionOutcome =
  { status: 'executed'; result: ExecutionResult } | { status: 'failed'; error: ExecutionError };

/** Issued by the reactor after it ran the approved action. */
export interface RecordExecution {
  type: 'RecordExecution';
  approvalId: string;
  outcome: ExecutionOutcome;
  now: string;
}

export type ApprovalRequestCommand =
  | RequestApproval
  | GrantApproval
  | RejectApproval
  | CancelApproval
  | ExpireApproval
  | RecordExecution;
