import { Role } from '../../access/index.js';
import { DomainEvent } from '../../event-sourcing/index.js';
import { KeyHolder } from './gated-action.js';

/** All delegations share one stream: they are few, and one fold answers "who may act for whom now". */
export const approvalDelegationsStreamId = 'approval-delegations';

export interface ApprovalDelegatedData {
  delegationId: string;
  fromKeyId: string;
  fromName: string;
  toKeyId: string;
  toName: string;
  role: Role;
  /** The window, ISO 8601 UTC: valid from `from` (inclusive) until `until` (exclusive). */
  from: string;
  until: string;
  at: string;
}

export interface ApprovalDelegationRevokedData {
  delegationId: string;
  revokedBy: KeyHolder;
  reason?: string;
  at: string;
}

export type ApprovalDelegated = DomainEvent<'ApprovalDelegated', ApprovalDelegatedData>;
export type ApprovalDelegationRevoked = DomainEvent<
  'ApprovalDelegationRevoked',
  ApprovalDelegationRevokedData
>;
export type ApprovalDelegationEvent = ApprovalDelegated | ApprovalDelegationRevoked;

export const approvalDelegationEventTypes: readonly ApprovalDelegationEvent['type'][] = [
  'ApprovalDelegated',
  'ApprovalDelegationRevoked',
];
