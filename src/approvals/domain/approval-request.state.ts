import { Role } from '../../access/index.js';
import { assert } from '../../event-sourcing/index.js';
import {
  ApprovalRequestEvent,
  ExecutionError,
  ExecutionResult,
  StoredActionSummary,
} from './approval-request.events.js';
import { GatedAction, KeyHolder, personOf } from './gated-action.js';

export interface Decision {
  by: KeyHolder;
  onBehalfOf?: KeyHolder;
  decision: 'approved' | 'rejected';
  at: string;
  /** The grant's comment, or the rejection's reason. */
  comment?: string;
}

export interface StepState {
  role: Role;
  required: number;
  decisions: Decision[];
}

export type RecordedOutcome =
  | { status: 'executed'; result: ExecutionResult; at: string }
  | { status: 'failed'; error: ExecutionError; at: string };

export interface RequestFacts {
  approvalId: string;
  book: string;
  action: GatedAction;
  payload: unknown;
  summary: StoredActionSummary;
  requestedBy: KeyHolder;
  policyIds: string[];
  requestedAt: string;
  expiresAt?: string;
  steps: StepState[];
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

export type ApprovalRequestState =
  | { status: 'none' }
  | (RequestFacts & { status: 'pending' })
  | (RequestFacts & { status: 'approved'; approvedAt: string; result?: RecordedOutcome })
  | (RequestFacts & { status: 'rejected'; rejectedAt: string; reason: string })
  | (RequestFacts & { status: 'expired'; expiredAt: string })
  | (RequestFacts & {
      status: 'cancelled';
      cancelledAt: string;
      cancelledBy: KeyHolder;
      reason?: string;
    });

export type ExistingApprovalState = Exclude<ApprovalRequestState, { status: 'none' }>;
export type PendingApprovalState = Extract<ApprovalRequestState, { status: 'pending' }>;

// ---- evolve -------------------------------------------------------------------------------

export function evolveApprovalRequest(
  state: ApprovalRequestState,
  event: ApprovalRequestEvent,
): ApprovalRequestState {
  if (event.type === 'ApprovalRequested') {
    assert(state.status === 'none', 'ApprovalRequested starts the stream');
    const { steps, ...facts } = event.data;
    return {
      ...facts,
      status: 'pending',
      steps: steps.map((step) => ({ role: step.role, required: step.approvals, decisions: [] })),
    };
  }
  assert(state.status !== 'none', `${event.type} follows ApprovalRequested`);
  const facts = requestFacts(state);
  switch (event.type) {
    case 'ApprovalGranted': {
      const { by, onBehalfOf, at, comment } = event.data;
      const decision: Decision = {
        by,
        ...(onBehalfOf ? { onBehalfOf } : {}),
        decision: 'approved',
        at,
        ...(comment !== undefined ? { comment } : {}),
      };
      return { ...state, steps: withDecision(state.steps, event.data.stepIndex, decision) };
    }
    case 'ApprovalApproved':
      return { ...facts, status: 'approved', approvedAt: event.data.at };
    case 'ApprovalRejected': {
      const { by, onBehalfOf, at, reason } = event.data;
      const decision: Decision = {
        by,
        ...(onBehalfOf ? { onBehalfOf } : {}),
        decision: 'rejected',
        at,
        comment: reason,
      };
      return {
        ...facts,
        status: 'rejected',
        steps: withDecision(state.steps, event.data.stepIndex, decision),
        rejectedAt: at,
        reason,
      };
    }
    case 'ApprovalExpired':
      return { ...facts, status: 'expired', expiredAt: event.data.at };
    case 'ApprovalCancelled':
      return {
        ...facts,
        status: 'cancelled',
        cancelledAt: event.data.at,
        cancelledBy: event.data.by,
        ...(event.data.reason !== undefined ? { reason: event.data.reason } : {}),
      };
    case 'ApprovalExecuted':
      assert(state.status === 'approved', 'only an approved request is executed');
      return {
        ...state,
        result: { status: 'executed', result: event.data.result, at: event.data.at },
      };
    case 'ApprovalExecutionFailed':
      assert(state.status === 'approved', 'only an approved request is executed');
      return { ...state, result: { status: 'failed', error: event.data.error, at: event.data.at } };
  }
}

// ---- queries on state (also used by the view) ---------------------------------------------

/** The first step still short of approvals; undefined once every step is satisfied. */
export function currentStepIndex(state: RequestFacts): number | undefined {
  const index = state.steps.findIndex((step) => grantsOf(step) < step.required);
  return index === -1 ? undefined : index;
}

/** Everyone who decided, directly or through a delegate (normalised person names). */
export function decidedPersons(state: RequestFacts): Set<string> {
  const persons = new Set<string>();
  for (const step of state.steps) {
    for (const decision of step.decisions) {
      persons.add(personOf(decision.by.name));
      if (decision.onBehalfOf) persons.add(personOf(decision.onBehalfOf.name));
    }
  }
  return persons;
}

export function grantsOf(step: StepState): number {
  return step.decisions.filter((decision) => decision.decision === 'approved').length;
}

// ---- helpers ------------------------------------------------------------------------------

function requestFacts(state: ExistingApprovalState): RequestFacts {
  const {
    approvalId,
    book,
    action,
    payload,
    summary,
    requestedBy,
    policyIds,
    requestedAt,
    expiresAt,
    steps,
  } = state;
  return {
    approvalId,
    book,
    action,
    payload,
    summary,
    requestedBy,
    policyIds,
    requestedAt,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    steps,
  };
}

function withDecision(steps: StepState[], stepIndex: number, decision: Decision): StepState[] {
  assert(steps[stepIndex] !== undefined, `step ${stepIndex} exists`);
  return steps.map((step, index) =>
    index === stepIndex ? { ...step, decisions: [...step.decisions, decision] } : step,
  );
}
