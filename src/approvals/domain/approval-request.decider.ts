import canonicalize from 'canonicalize';
import { Role } from '../../access/index.js';
import {
  ConflictError,
  Decider,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  assert,
  deterministicId,
} from '../../event-sourcing/index.js';
import { ApprovalStep } from './approval-policy.events.js';
import {
  ApprovalRequestCommand,
  CancelApproval,
  ExecutionOutcome,
  ExpireApproval,
  GrantApproval,
  RecordExecution,
  RejectApproval,
  RequestApproval,
} from './approval-request.commands.js';
import {
  ApprovalRequestEvent,
  ApprovalRequestedData,
  StoredActionSummary,
} from './approval-request.events.js';
import {
  ApprovalRequestState,
  ExistingApprovalState,
  PendingApprovalState,
  RecordedOutcome,
  currentStepIndex,
  decidedPersons,
  evolveApprovalRequest,
  grantsOf,
} from './approval-request.state.js';
import { SegregationOfDutiesError } from './approval-errors.js';
import { GatedActionSummary, KeyHolder, personOf, samePerson } from './gated-action.js';

export const requestStepsMax = 50;
export const commentLengthMax = 2000;
export const reasonLengthMax = 2000;

/** The reactor's command id for running an approved action: a re-run yields the same id (a no-op). */
export function approvalExecutionCommandId(approvalId: string): string {
  return deterministicId('approval-execution', approvalId);
}

export const approvalRequestDecider: Decider<
  ApprovalRequestCommand,
  ApprovalRequestEvent,
  ApprovalRequestState
> = {
  initialState: () => ({ status: 'none' }),
  decide(command, state) {
    switch (command.type) {
      case 'RequestApproval':
        return requestApproval(command, state);
      case 'GrantApproval':
        return grantApproval(command, state);
      case 'RejectApproval':
        return rejectApproval(command, state);
      case 'CancelApproval':
        return cancelApproval(command, state);
      case 'ExpireApproval':
        return expireApproval(command, state);
      case 'RecordExecution':
        return recordExecution(command, state);
    }
  },
  evolve: evolveApprovalRequest,
};

// ---- decide -------------------------------------------------------------------------------

function requestApproval(
  command: RequestApproval,
  state: ApprovalRequestState,
): ApprovalRequestEvent[] {
  assert(
    command.steps.length > 0,
    'an approval request needs at least one step (no matching policy: run the action directly)',
  );
  assert(
    command.summary.action === command.action && command.summary.book === command.book,
    'summary describes the requested action',
  );
  assert(
    command.expiresAt === undefined || Date.parse(command.expiresAt) > Date.parse(command.now),
    'expiry lies after the request',
  );
  if (command.steps.length > requestStepsMax) {
    throw new ValidationError(
      `Matching policies ask for more than ${requestStepsMax} approval steps`,
      [{ field: 'steps', message: `at most ${requestStepsMax} steps` }],
    );
  }
  const data: ApprovalRequestedData = {
    approvalId: command.approvalId,
    book: command.book,
    action: command.action,
    payload: command.payload,
    summary: storedSummary(command.summary),
    requestedBy: keyHolder(command.requestedBy),
    steps: command.steps.map((step) => ({ role: step.role, approvals: step.approvals })),
    policyIds: [...command.policyIds],
    requestedAt: command.now,
    ...(command.expiresAt !== undefined ? { expiresAt: command.expiresAt } : {}),
  };
  if (state.status === 'none') return [{ type: 'ApprovalRequested', data }];
  if (sameRequest(state, data)) return [];
  throw new ConflictError(`Approval ${command.approvalId} already exists with different content`);
}

function grantApproval(
  command: GrantApproval,
  state: ApprovalRequestState,
): ApprovalRequestEvent[] {
  const comment = optionalText(command.comment, 'comment', commentLengthMax);
  const { pending, stepIndex, role, onBehalfOf } = eligibleDecision(command, state);
  const granted: ApprovalRequestEvent = {
    type: 'ApprovalGranted',
    data: {
      approvalId: pending.approvalId,
      stepIndex,
      role,
      by: keyHolder(command.by),
      ...(onBehalfOf ? { onBehalfOf } : {}),
      at: command.now,
      ...(comment !== undefined ? { comment } : {}),
    },
  };
  const lastStep = pending.steps.length - 1;
  const step = pending.steps[stepIndex]!;
  if (stepIndex < lastStep || grantsOf(step) + 1 < step.required) return [granted];
  return [
    granted,
    {
      type: 'ApprovalApproved',
      data: {
        approvalId: pending.approvalId,
        book: pending.book,
        action: pending.action,
        at: command.now,
      },
    },
  ];
}

function rejectApproval(
  command: RejectApproval,
  state: ApprovalRequestState,
): ApprovalRequestEvent[] {
  const reason = optionalText(command.reason, 'reason', reasonLengthMax);
  if (reason === undefined)
    throw new ValidationError('A rejection needs a reason', [
      { field: 'reason', message: 'must not be empty' },
    ]);
  const { pending, stepIndex, role, onBehalfOf } = eligibleDecision(command, state);
  return [
    {
      type: 'ApprovalRejected',
      data: {
        approvalId: pending.approvalId,
        stepIndex,
        role,
        by: keyHolder(command.by),
        ...(onBehalfOf ? { onBehalfOf } : {}),
        at: command.now,
        reason,
      },
    },
  ];
}

/**
 * The checks shared by grant and reject, in the order their errors take precedence:
 * exists → pending → not past its expiry → not the requester → not decided before (SoD) →
 * holds the current step's role, directly or by delegation (forbidden) → a delegator is neither
 * the requester nor someone who decided already (SoD).
 */
function eligibleDecision(
  command: GrantApproval | RejectApproval,
  state: ApprovalRequestState,
): { pending: PendingApprovalState; stepIndex: number; role: Role; onBehalfOf?: KeyHolder } {
  const pending = pendingRequest(state, command.approvalId);
  if (pending.expiresAt !== undefined && Date.parse(command.now) >= Date.parse(pending.expiresAt)) {
    throw new ConflictError(`Approval ${command.approvalId} expired at ${pending.expiresAt}`);
  }
  if (samePerson(command.by.name, pending.requestedBy.name)) {
    throw new SegregationOfDutiesError('The requester cannot decide on their own request');
  }
  const decided = decidedPersons(pending);
  if (decided.has(personOf(command.by.name)))
    throw new SegregationOfDutiesError(`${command.by.name} has already decided on this request`);

  const stepIndex = currentStepIndex(pending);
  assert(stepIndex !== undefined, 'a pending request has an open step');
  const role = pending.steps[stepIndex]!.role;
  if (command.by.roles.includes(role)) return { pending, stepIndex, role };

  const delegation = command.delegation;
  if (!delegation || delegation.role !== role)
    throw new ForbiddenError(`Deciding this step needs the role ${role}`);
  if (samePerson(delegation.fromName, pending.requestedBy.name)) {
    throw new SegregationOfDutiesError(
      'A delegate cannot decide for the requester on their own request',
    );
  }
  if (decided.has(personOf(delegation.fromName))) {
    throw new SegregationOfDutiesError(
      `${delegation.fromName} has already decided on this request`,
    );
  }
  return {
    pending,
    stepIndex,
    role,
    onBehalfOf: { keyId: delegation.fromKeyId, name: delegation.fromName },
  };
}

function cancelApproval(
  command: CancelApproval,
  state: ApprovalRequestState,
): ApprovalRequestEvent[] {
  const request = existingRequest(state, command.approvalId);
  if (!samePerson(command.by.name, request.requestedBy.name))
    throw new ForbiddenError('Only the requester can cancel a request');
  if (request.status === 'cancelled') return [];
  if (request.status !== 'pending')
    throw new ConflictError(`Approval ${command.approvalId} is ${request.status}`);
  const reason = optionalText(command.reason, 'reason', reasonLengthMax);
  return [
    {
      type: 'ApprovalCancelled',
      data: {
        approvalId: command.approvalId,
        by: keyHolder(command.by),
        ...(reason !== undefined ? { reason } : {}),
        at: command.now,
      },
    },
  ];
}

/**
 * A no-op (no events, no error) unless the request is pending and due, so the scheduler may
 * call it on a stale read model or twice without harm.
 */
function expireApproval(
  command: ExpireApproval,
  state: ApprovalRequestState,
): ApprovalRequestEvent[] {
  const request = existingRequest(state, command.approvalId);
  if (request.status !== 'pending' || request.expiresAt === undefined) return [];
  if (Date.parse(command.now) < Date.parse(request.expiresAt)) return [];
  return [
    {
      type: 'ApprovalExpired',
      data: { approvalId: command.approvalId, expiresAt: request.expiresAt, at: command.now },
    },
  ];
}

/** Exactly once: the same outcome again is a no-op; a different one is a conflict. */
function recordExecution(
  command: RecordExecution,
  state: ApprovalRequestState,
): ApprovalRequestEvent[] {
  const request = existingRequest(state, command.approvalId);
  if (request.status !== 'approved')
    throw new ConflictError(`Approval ${command.approvalId} is ${request.status}, not approved`);
  if (request.result !== undefined) {
    if (sameOutcome(request.result, command.outcome)) return [];
    throw new ConflictError(
      `Approval ${command.approvalId} already has a different execution outcome`,
    );
  }
  const outcome = command.outcome;
  if (outcome.status === 'executed') {
    return [
      {
        type: 'ApprovalExecuted',
        data: { approvalId: command.approvalId, result: outcome.result, at: command.now },
      },
    ];
  }
  assert(outcome.error.code.length > 0, 'a failed execution carries a problem code');
  return [
    {
      type: 'ApprovalExecutionFailed',
      data: { approvalId: command.approvalId, error: outcome.error, at: command.now },
    },
  ];
}

// ---- helpers ------------------------------------------------------------------------------

function existingRequest(state: ApprovalRequestState, approvalId: string): ExistingApprovalState {
  if (state.status === 'none') throw new NotFoundError(`Approval ${approvalId} not found`);
  return state;
}

function pendingRequest(state: ApprovalRequestState, approvalId: string): PendingApprovalState {
  const request = existingRequest(state, approvalId);
  if (request.status !== 'pending')
    throw new ConflictError(`Approval ${approvalId} is ${request.status}`);
  return request;
}

function storedSummary(summary: GatedActionSummary): StoredActionSummary {
  const debitTotalsMinor: Record<string, string> = {};
  for (const [currency, totalMinor] of Object.entries(summary.debitTotalsMinor))
    debitTotalsMinor[currency] = totalMinor.toString();
  return { debitTotalsMinor, accounts: [...summary.accounts] };
}

function keyHolder(holder: KeyHolder): KeyHolder {
  return { keyId: holder.keyId, name: holder.name };
}

/** Trimmed text, undefined when absent or blank; refuses text over the limit. */
function optionalText(
  text: string | undefined,
  field: string,
  lengthMax: number,
): string | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text !== 'string')
    throw new ValidationError(`Invalid ${field}`, [{ field, message: 'must be a string' }]);
  const trimmed = text.trim();
  if (trimmed.length > lengthMax)
    throw new ValidationError(`${field} too long`, [
      { field, message: `at most ${lengthMax} characters` },
    ]);
  return trimmed.length > 0 ? trimmed : undefined;
}

/** A repeated RequestApproval: everything but the times (a retry runs later) must match. */
function sameRequest(state: ExistingApprovalState, data: ApprovalRequestedData): boolean {
  const comparable = (value: {
    book: string;
    action: string;
    payload: unknown;
    summary: unknown;
    requestedBy: KeyHolder;
    steps: ApprovalStep[];
    policyIds: string[];
  }) =>
    canonicalize({
      book: value.book,
      action: value.action,
      payload: value.payload ?? null,
      summary: value.summary,
      requestedBy: value.requestedBy,
      steps: value.steps,
      policyIds: value.policyIds,
    });
  const stored = {
    ...state,
    steps: state.steps.map((step) => ({ role: step.role, approvals: step.required })),
  };
  return comparable(stored) === comparable(data);
}

function sameOutcome(recorded: RecordedOutcome, outcome: ExecutionOutcome): boolean {
  const { at: _at, ...withoutTime } = recorded;
  return canonicalize(withoutTime) === canonicalize(outcome);
}
