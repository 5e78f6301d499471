import { Role } from '../../access/index.js';
import { assert } from '../../event-sourcing/index.js';
import {
  ApprovalRequestState,
  ApprovalStatus,
  ExistingApprovalState,
  currentStepIndex,
  decidedPersons,
} from './approval-request.state.js';
import { KeyHolder, personOf, samePerson } from './gated-action.js';

export interface DecisionView {
  /** The deciding person (the key's name). */
  by: string;
  byKeyId: string;
  /** Set when the decision used a delegated role: the person who delegated it. */
  onBehalfOf: KeyHolder | null;
  decision: 'approved' | 'rejected';
  at: string;
  comment: string | null;
}

export interface StepView {
  role: Role;
  required: number;
  granted: number;
  decisions: DecisionView[];
}

/** `GET /v1/approvals/:id` (API.md). Extra fields beyond the contract are additive. */
export interface ApprovalView {
  id: string;
  book: string;
  action: string;
  status: ApprovalStatus;
  payload: unknown;
  /** The requesting person (the key's name); `requestedByKeyId` names the key. */
  requestedBy: string;
  requestedByKeyId: string;
  requestedAt: string;
  expiresAt: string | null;
  policyIds: string[];
  /** Index of the step now waiting for decisions; null when none is. */
  currentStep: number | null;
  steps: StepView[];
  /** Once the approved action ran: `{ status: 'executed', ...its result, at }` or `{ status: 'failed', error: { code, detail }, at }`. */
  result?: Record<string, unknown>;
  /** Why it was rejected or cancelled, when given. */
  reason?: string;
  closedAt?: string;
}

export function approvalView(state: ApprovalRequestState): ApprovalView {
  assert(state.status !== 'none', 'a view needs a requested approval');
  const current = state.status === 'pending' ? currentStepIndex(state) : undefined;
  return {
    id: state.approvalId,
    book: state.book,
    action: state.action,
    status: state.status,
    payload: state.payload,
    requestedBy: state.requestedBy.name,
    requestedByKeyId: state.requestedBy.keyId,
    requestedAt: state.requestedAt,
    expiresAt: state.expiresAt ?? null,
    policyIds: state.policyIds,
    currentStep: current ?? null,
    steps: state.steps.map((step) => ({
      role: step.role,
      required: step.required,
      granted: step.decisions.filter((decision) => decision.decision === 'approved').length,
      decisions: step.decisions.map((decision) => ({
        by: decision.by.name,
        byKeyId: decision.by.keyId,
        onBehalfOf: decision.onBehalfOf ?? null,
        decision: decision.decision,
        at: decision.at,
        comment: decision.comment ?? null,
      })),
    })),
    ...closing(state),
  };
}

function closing(
  state: ExistingApprovalState,
): Pick<ApprovalView, 'result' | 'reason' | 'closedAt'> {
  switch (state.status) {
    case 'pending':
      return {};
    case 'approved': {
      if (!state.result) return { closedAt: state.approvedAt };
      const result =
        state.result.status === 'executed'
          ? { ...state.result.result, status: 'executed', at: state.result.at }
          : { status: 'failed', error: state.result.error, at: state.result.at };
      return { closedAt: state.approvedAt, result };
    }
    case 'rejected':
      return { closedAt: state.rejectedAt, reason: state.reason };
    case 'expired':
      return { closedAt: state.expiredAt };
    case 'cancelled':
      return {
        closedAt: state.cancelledAt,
        ...(state.reason !== undefined ? { reason: state.reason } : {}),
      };
  }
}

/**
 * `assignedToMe`: the request waits for a step whose role the person holds (pass delegated
 * roles active now too), and the person is neither the requester nor someone who decided.
 */
export function isAssignedTo(
  state: ApprovalRequestState,
  person: { name: string; roles: readonly Role[] },
): boolean {
  if (state.status !== 'pending') return false;
  if (samePerson(person.name, state.requestedBy.name)) return false;
  if (decidedPersons(state).has(personOf(person.name))) return false;
  const index = currentStepIndex(state);
  return index !== undefined && person.roles.includes(state.steps[index]!.role);
}
