import { DomainEvent } from '../../event-sourcing/index.js';
import { Role } from '../../access/index.js';
import { GatedAction } from './gated-action.js';

/** One book's policies live in one stream. */
export function approvalPoliciesStreamId(book: string): string {
  return `approval-policies-${book}`;
}

export interface ApprovalStep {
  role: Role;
  /** How many different persons holding `role` must approve. */
  approvals: number;
}

/**
 * When a policy applies. All given parts must hold (AND); no condition means every action of
 * the policy's kind. `minAmountMinor` + `currency`: the entry's total debits in that currency
 * are at least the amount. `currency` alone: the entry debits that currency at all.
 * `accounts`: any line (or the closed account) is one of them.
 */
export interface ApprovalPolicyCondition {
  minAmountMinor?: string;
  currency?: string;
  accounts?: string[];
}

export interface ApprovalPolicyDefinedData {
  policyId: string;
  book: string;
  name: string;
  action: GatedAction;
  condition?: ApprovalPolicyCondition;
  steps: ApprovalStep[];
  /** ISO 8601 duration from the request until it expires. */
  expiresAfter?: string;
}

export interface ApprovalPolicyRetiredData {
  policyId: string;
  book: string;
  reason?: string;
}

export type ApprovalPolicyDefined = DomainEvent<'ApprovalPolicyDefined', ApprovalPolicyDefinedData>;
export type ApprovalPolicyRetired = DomainEvent<'ApprovalPolicyRetired', ApprovalPolicyRetiredData>;
export type ApprovalPolicyEvent = ApprovalPolicyDefined | ApprovalPolicyRetired;

export const approvalPolicyEventTypes: readonly ApprovalPolicyEvent['type'][] = [
  'ApprovalPolicyDefined',
  'ApprovalPolicyRetired',
];

/** A policy as the book holds it (the data it was defined with). */
export type ApprovalPolicy = ApprovalPolicyDefinedData;
