import { Role } from '../../access/index.js';
import {
  ConflictError,
  Decider,
  FieldError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import {
  ApprovalDelegationCommand,
  DelegateApproval,
  RevokeApprovalDelegation,
} from './approval-delegation.commands.js';
import { ApprovalDelegatedData, ApprovalDelegationEvent } from './approval-delegation.events.js';
import { samePerson } from './gated-action.js';

export const delegationWindowDaysMax = 366;
export const delegationReasonLengthMax = 2000;
const millisecondsPerDay = 86_400_000;

export interface DelegationRecord extends ApprovalDelegatedData {
  revokedAt?: string;
}

/** Every delegation ever made, in the order made (revoked ones carry `revokedAt`). */
export interface ApprovalDelegationState {
  delegations: DelegationRecord[];
}

export const approvalDelegationDecider: Decider<
  ApprovalDelegationCommand,
  ApprovalDelegationEvent,
  ApprovalDelegationState
> = {
  initialState: () => ({ delegations: [] }),
  decide(command, state) {
    switch (command.type) {
      case 'DelegateApproval':
        return delegateApproval(command, state);
      case 'RevokeApprovalDelegation':
        return revokeDelegation(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ApprovalDelegated':
        return { delegations: [...state.delegations, { ...event.data }] };
      case 'ApprovalDelegationRevoked':
        return {
          delegations: state.delegations.map((delegation) =>
            delegation.delegationId === event.data.delegationId
              ? { ...delegation, revokedAt: event.data.at }
              : delegation,
          ),
        };
    }
  },
};

function delegateApproval(
  command: DelegateApproval,
  state: ApprovalDelegationState,
): ApprovalDelegationEvent[] {
  validateWindow(command);
  if (
    command.delegate.keyId === command.delegator.keyId ||
    samePerson(command.delegate.name, command.delegator.name)
  ) {
    throw new ValidationError('Cannot delegate to oneself', [
      { field: 'to', message: 'must be another person' },
    ]);
  }
  if (!command.delegator.roles.includes(command.role))
    throw new ForbiddenError(`Only a holder of the role ${command.role} can delegate it`);
  if (state.delegations.some((delegation) => delegation.delegationId === command.delegationId)) {
    throw new ConflictError(`Delegation ${command.delegationId} already exists`);
  }
  return [
    {
      type: 'ApprovalDelegated',
      data: {
        delegationId: command.delegationId,
        fromKeyId: command.delegator.keyId,
        fromName: command.delegator.name,
        toKeyId: command.delegate.keyId,
        toName: command.delegate.name,
        role: command.role,
        from: new Date(command.validFrom).toISOString(),
        until: new Date(command.until).toISOString(),
        at: command.now,
      },
    },
  ];
}

function validateWindow(command: DelegateApproval): void {
  const errors: FieldError[] = [];
  const fromMs = Date.parse(command.validFrom);
  const untilMs = Date.parse(command.until);
  if (Number.isNaN(fromMs)) errors.push({ field: 'from', message: 'must be an ISO 8601 time' });
  if (Number.isNaN(untilMs)) errors.push({ field: 'until', message: 'must be an ISO 8601 time' });
  else if (untilMs <= Date.parse(command.now))
    errors.push({ field: 'until', message: 'must lie in the future' });
  if (!Number.isNaN(fromMs) && !Number.isNaN(untilMs)) {
    if (untilMs <= fromMs) errors.push({ field: 'until', message: 'must be after from' });
    else if (untilMs - fromMs > delegationWindowDaysMax * millisecondsPerDay) {
      errors.push({
        field: 'until',
        message: `the window is at most ${delegationWindowDaysMax} days`,
      });
    }
  }
  if (errors.length > 0) throw new ValidationError('Invalid delegation window', errors);
}

function revokeDelegation(
  command: RevokeApprovalDelegation,
  state: ApprovalDelegationState,
): ApprovalDelegationEvent[] {
  const delegation = state.delegations.find(
    (candidate) => candidate.delegationId === command.delegationId,
  );
  if (!delegation) throw new NotFoundError(`Delegation ${command.delegationId} not found`);
  if (!samePerson(command.by.name, delegation.fromName) && !command.by.roles.includes('admin')) {
    throw new ForbiddenError('Only the delegating person or an admin can revoke a delegation');
  }
  if (delegation.revokedAt !== undefined)
    throw new ConflictError(`Delegation ${command.delegationId} is already revoked`);
  const reason = command.reason?.trim();
  if (reason !== undefined && reason.length > delegationReasonLengthMax) {
    throw new ValidationError('Reason too long', [
      { field: 'reason', message: `at most ${delegationReasonLengthMax} characters` },
    ]);
  }
  return [
    {
      type: 'ApprovalDelegationRevoked',
      data: {
        delegationId: command.delegationId,
        revokedBy: { keyId: command.by.keyId, name: command.by.name },
        ...(reason ? { reason } : {}),
        at: command.now,
      },
    },
  ];
}

/** Delegations that give `toKeyId` the role at `now`, oldest first (not revoked, inside the window). */
export function activeDelegationsFor(
  delegations: readonly DelegationRecord[],
  toKeyId: string,
  role: Role,
  now: string,
): DelegationRecord[] {
  const nowMs = Date.parse(now);
  return delegations.filter(
    (delegation) =>
      delegation.toKeyId === toKeyId &&
      delegation.role === role &&
      delegation.revokedAt === undefined &&
      Date.parse(delegation.from) <= nowMs &&
      nowMs < Date.parse(delegation.until),
  );
}

export function activeDelegationFor(
  delegations: readonly DelegationRecord[],
  toKeyId: string,
  role: Role,
  now: string,
): DelegationRecord | undefined {
  return activeDelegationsFor(delegations, toKeyId, role, now)[0];
}
