import { Role } from '../../access/index.js';
import { DomainEvent } from '../../event-sourcing/index.js';
import { ApprovalStep } from './approval-policy.events.js';
import { GatedAction, KeyHolder } from './gated-action.js';

/** ARCHITECTURE §4: each approval request is its own stream. */
export function approvalRequestStreamId(approvalId: string): string {
  return `approval_request-${approvalId}`;
}

/** GatedActionSummary as stored: amounts as strings of minor units. */
export interface StoredActionSummary {
  debitTotalsMinor: Record<string, string>;
  accounts: string[];
}

export interface ApprovalRequestedData {
  approvalId: string;
  book: string;
  action: GatedAction;
  /** Whatever the action needs to run once approved (the original command's body); opaque here. */
  payload: unknown;
  summary: StoredActionSummary;
  requestedBy: KeyHolder;
  steps: ApprovalStep[];
  policyIds: string[];
  requestedAt: string;
  expiresAt?: string;
}

/** One person's decision. `onBehalfOf` is set when the role came from a delegation. */
export interface DecisionData {
  approvalId: string;
  stepIndex: number;
  role: Role;
  by: KeyHolder;
  onBehalfOf?: KeyHolder;
  at: string;
}

export interface ApprovalGrantedData extends DecisionData {
  comment?: string;
}

export interface ApprovalRejectedData extends DecisionData {
  reason: string;
}

/** Every step is satisfied: the reactor runs the action on this event. */
export interface ApprovalApprovedData {
  approvalId: string;
  book: string;
  action: GatedAction;
  at: string;
}

export interface ApprovalExpiredData {
  approvalId: string;
  expiresAt: string;
  at: string;
}

export interface ApprovalCancelledData {
  approvalId: string;
  by: KeyHolder;
  reason?: string;
  at: string;
}

/** What the action answered, e.g. `{ entryId, position }` for a posted journal entry. */
export type ExecutionResult = Record<string, unknown>;

export interface ExecutionError {
  /** The refusal's problem code, e.g. `period-closed`. */
  code: string;
  detail: string;
}

export interface ApprovalExecutedData {
  approvalId: string;
  result: ExecutionResult;
  at: string;
}

export interface ApprovalExecutionFailedData {
  approvalId: string;
  error: ExecutionError;
  at: string;
}

export type ApprovalRequested = DomainEvent<'ApprovalRequested', ApprovalRequestedData>;
export type ApprovalGranted = DomainEvent<'ApprovalGranted', ApprovalGrantedData>;
export type ApprovalApproved = DomainEvent<'ApprovalApproved', ApprovalApprovedData>;
export type ApprovalRejected = DomainEvent<'ApprovalRejected', ApprovalRejectedData>;
export type ApprovalExpired = DomainEvent<'ApprovalExpired', ApprovalExpiredData>;
export type ApprovalCancelled = DomainEvent<'ApprovalCancelled', ApprovalCancelledData>;
export type ApprovalExecuted = DomainEvent<'ApprovalExecuted', ApprovalExecutedData>;
export type ApprovalExecutionFailed = DomainEvent<
  'ApprovalExecutionFailed',
  ApprovalExecutionFailedData
>;

export type ApprovalRequestEvent =
  | ApprovalRequested
  | ApprovalGranted
  | ApprovalApproved
  | ApprovalRejected
  | ApprovalExpired
  | ApprovalCancelled
  | ApprovalExecuted
  | ApprovalExecutionFailed;

export const approvalRequestEventTypes: readonly ApprovalRequestEvent['type'][] = [
  'ApprovalRequested',
  'ApprovalGranted',
  'ApprovalApproved',
  'ApprovalRejected',
  'ApprovalExpired',
  'ApprovalCancelled',
  'ApprovalExecuted',
  'ApprovalExecutionFailed',
];
