import { ApprovalPolicy, ApprovalPolicyCondition, ApprovalStep } from './approval-policy.events.js';
import { GatedActionSummary } from './gated-action.js';
import { addIsoDuration } from './iso-duration.js';

export interface PolicyMatch {
  /** Matching policies in definition order. Empty: the action is not gated and runs at once. */
  policies: ApprovalPolicy[];
  policyIds: string[];
  /**
   * All steps of all matching policies, concatenated in policy definition order (each policy's
   * own order kept). Nothing is merged: two policies asking for one approver each need two
   * different approvers, so every policy is satisfied by its own decisions.
   */
  steps: ApprovalStep[];
  /** The matching `expiresAfter` that ends first from `now`; absent when none sets one. */
  expiresAfter?: string;
  expiresAt?: string;
}

/**
 * Which of a book's active policies hold back this action, and what the request must collect.
 * `now` (ISO 8601) is the request time: durations such as P1M and P30D compare only from a date.
 */
export function matchPolicies(
  policies: readonly ApprovalPolicy[],
  action: GatedActionSummary,
  now: string,
): PolicyMatch {
  const matching = policies.filter(
    (policy) => policy.action === action.action && conditionHolds(policy.condition, action),
  );
  const match: PolicyMatch = {
    policies: matching,
    policyIds: matching.map((policy) => policy.policyId),
    steps: matching.flatMap((policy) => policy.steps.map((step) => ({ ...step }))),
  };
  const earliest = earliestExpiry(matching, now);
  return earliest ? { ...match, ...earliest } : match;
}

export function conditionHolds(
  condition: ApprovalPolicyCondition | undefined,
  action: GatedActionSummary,
): boolean {
  if (condition === undefined) return true;
  if (condition.currency !== undefined) {
    const debitedMinor = action.debitTotalsMinor[condition.currency] ?? 0n;
    const minimumMinor =
      condition.minAmountMinor !== undefined ? BigInt(condition.minAmountMinor) : 1n;
    if (debitedMinor < minimumMinor) return false;
  }
  if (condition.accounts !== undefined) {
    const listed = new Set(condition.accounts);
    if (!action.accounts.some((account) => listed.has(account))) return false;
  }
  return true;
}

function earliestExpiry(
  policies: readonly ApprovalPolicy[],
  now: string,
): { expiresAfter: string; expiresAt: string } | undefined {
  let earliest: { expiresAfter: string; expiresAt: string } | undefined;
  for (const policy of policies) {
    if (policy.expiresAfter === undefined) continue;
    const expiresAt = addIsoDuration(now, policy.expiresAfter);
    if (!earliest || Date.parse(expiresAt) < Date.parse(earliest.expiresAt))
      earliest = { expiresAfter: policy.expiresAfter, expiresAt };
  }
  return earliest;
}
