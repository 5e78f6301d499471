import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Role, UnauthorizedError, canAccessBook, rolesGrant } from '../../access/index.js';
import { ApiKeyRegistry } from '../../access/access.module.js';
import {
  Clock,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  assert,
} from '../../event-sourcing/index.js';
import { NotReadyError, ProjectionsService } from '../../infrastructure/projections/index.js';
import { CLOCK } from '../../infrastructure/tokens.js';
import { DecisionDelegation } from '../domain/approval-request.commands.js';
import {
  ApprovalRequestState,
  currentStepIndex,
  decidedPersons,
} from '../domain/approval-request.state.js';
import { approvalView } from '../domain/approval-request.view.js';
import { KeyHolderWithRoles, personOf, samePerson } from '../domain/gated-action.js';
import {
  ApprovalOutcome,
  CancelApprovalCommand,
  Caller,
  DecideApprovalCommand,
  DefineApprovalPolicyCommand,
  DelegateApprovalCommand,
  DelegationOutcome,
  PolicyOutcome,
  RetireApprovalPolicyCommand,
  RevokeApprovalDelegationCommand,
} from './approval-bus.commands.js';
import { ApprovalDelegations } from './approval-delegations.js';
import { approvalExecutionReactorName } from './approval-execution.reactor.js';
import { ApprovalPolicies } from './approval-policies.js';
import { ApprovalRequests } from './approval-requests.js';

/** The caller's key with the roles it holds now; a key revoked meanwhile decides nothing. */
function currentHolder(registry: ApiKeyRegistry, caller: Caller): KeyHolderWithRoles {
  const key = registry.find(caller.keyId);
  if (!key || key.status !== 'active') throw new UnauthorizedError('unknown or revoked API key');
  return { keyId: key.id, name: key.name, roles: key.roles };
}

function positionOf(position: bigint | undefined): number {
  assert(position !== undefined, 'a handled command leaves a stream with a position');
  return Number(position);
}

@CommandHandler(DefineApprovalPolicyCommand)
export class DefineApprovalPolicyHandler implements ICommandHandler<DefineApprovalPolicyCommand> {
  constructor(private readonly policies: ApprovalPolicies) {}

  async execute({ command, metadata }: DefineApprovalPolicyCommand): Promise<PolicyOutcome> {
    const handled = await this.policies.define(command, metadata);
    return {
      ...(await this.policies.find(command.book, command.policyId)),
      position: positionOf(handled.position),
    };
  }
}

@CommandHandler(RetireApprovalPolicyCommand)
export class RetireApprovalPolicyHandler implements ICommandHandler<RetireApprovalPolicyCommand> {
  constructor(private readonly policies: ApprovalPolicies) {}

  async execute({ command, metadata }: RetireApprovalPolicyCommand): Promise<PolicyOutcome> {
    const handled = await this.policies.retire(command, metadata);
    return {
      ...(await this.policies.find(command.book, command.policyId)),
      position: positionOf(handled.position),
    };
  }
}

/**
 * Approve or reject. Roles come from the registry now; a delegated role counts only while the
 * delegation is in its window and the delegator's key is active and still holds the role. The
 * decider enforces the four-eyes rules. After the last grant the handler waits (bounded) for
 * the execution reactor, so the answer usually carries the action's `result` already.
 */
@CommandHandler(DecideApprovalCommand)
export class DecideApprovalHandler implements ICommandHandler<DecideApprovalCommand> {
  constructor(
    private readonly requests: ApprovalRequests,
    private readonly delegations: ApprovalDelegations,
    private readonly registry: ApiKeyRegistry,
    private readonly projections: ProjectionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    approvalId,
    decision,
    caller,
    metadata,
  }: DecideApprovalCommand): Promise<ApprovalOutcome> {
    const by = currentHolder(this.registry, caller);
    const now = this.clock.now().toISOString();
    await this.checkMayDecide(by, now);
    const { state } = await this.requests.load(approvalId);
    checkVisible(state, approvalId, caller);
    const delegationsByRole = await this.delegationsByRole(state, by, now);
    const handled = await this.requests.handle(
      approvalId,
      (current) => {
        const delegation = chooseDelegation(current, delegationsByRole);
        const common = { approvalId, by, now, ...(delegation ? { delegation } : {}) };
        return decision.kind === 'approve'
          ? {
              type: 'GrantApproval' as const,
              ...common,
              ...(decision.comment !== undefined ? { comment: decision.comment } : {}),
            }
          : { type: 'RejectApproval' as const, ...common, reason: decision.reason };
      },
      { ...metadata, book: (state as { book: string }).book },
    );
    let position = handled.position;
    let after = handled.state;
    if (after.status === 'approved' && handled.positions.length > 0) {
      const reloaded = await this.awaitExecution(
        approvalId,
        handled.positions[handled.positions.length - 1]!,
      );
      if (reloaded) ({ state: after, position } = reloaded);
    }
    return { ...approvalView(after), position: positionOf(position) };
  }

  /**
   * `approvals:decide` through the key's own roles or a role delegated to it now: the route only
   * asks for `approvals:read`, so that a delegate whose own roles cannot decide reaches the handler.
   */
  private async checkMayDecide(by: KeyHolderWithRoles, now: string): Promise<void> {
    if (rolesGrant(by.roles, 'approvals:decide')) return;
    const delegated = await this.delegations.rolesDelegatedTo(by.keyId, now);
    if (!rolesGrant(delegated, 'approvals:decide')) {
      throw new ForbiddenError(
        `the API key "${by.name}" lacks the permission approvals:decide (own or delegated roles)`,
      );
    }
  }

  /** Delegations to the deciding key for each role the request's steps need (the handler picks per current step). */
  private async delegationsByRole(
    state: ApprovalRequestState,
    by: KeyHolderWithRoles,
    now: string,
  ): Promise<Map<Role, DecisionDelegation[]>> {
    const byRole = new Map<Role, DecisionDelegation[]>();
    if (state.status === 'none') return byRole;
    for (const role of new Set(state.steps.map((step) => step.role))) {
      if (by.roles.includes(role)) continue;
      const valid = await this.delegations.validFor(by.keyId, role, now);
      byRole.set(
        role,
        valid.map((delegation) => ({
          fromKeyId: delegation.fromKeyId,
          fromName: delegation.fromName,
          role,
        })),
      );
    }
    return byRole;
  }

  private async awaitExecution(approvalId: string, approvedPosition: bigint) {
    if (!this.projections.isStarted) return undefined;
    try {
      await this.projections
        .runner(approvalExecutionReactorName)
        .waitFor(approvedPosition, this.projections.consistencyTimeoutMilliseconds);
    } catch (error) {
      if (error instanceof NotReadyError) return undefined;
      throw error;
    }
    const { state, events } = await this.requests.load(approvalId);
    return { state, position: events[events.length - 1]?.position };
  }
}

/**
 * Of the delegations for the current step's role, one whose delegator may decide here (not the
 * requester, not decided yet); else the first, so the decider names the rule it breaks.
 */
function chooseDelegation(
  state: ApprovalRequestState,
  byRole: Map<Role, DecisionDelegation[]>,
): DecisionDelegation | undefined {
  if (state.status !== 'pending') return undefined;
  const index = currentStepIndex(state);
  if (index === undefined) return undefined;
  const candidates = byRole.get(state.steps[index]!.role) ?? [];
  const decided = decidedPersons(state);
  return (
    candidates.find(
      (delegation) =>
        !samePerson(delegation.fromName, state.requestedBy.name) &&
        !decided.has(personOf(delegation.fromName)),
    ) ?? candidates[0]
  );
}

function checkVisible(state: ApprovalRequestState, approvalId: string, caller: Caller): void {
  if (state.status === 'none') throw new NotFoundError(`Approval ${approvalId} not found`);
  if (!canAccessBook(caller, state.book))
    throw new ForbiddenError(`the API key is not allowed to access book ${state.book}`);
}

@CommandHandler(CancelApprovalCommand)
export class CancelApprovalHandler implements ICommandHandler<CancelApprovalCommand> {
  constructor(
    private readonly requests: ApprovalRequests,
    private readonly registry: ApiKeyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    approvalId,
    reason,
    caller,
    metadata,
  }: CancelApprovalCommand): Promise<ApprovalOutcome> {
    const by = currentHolder(this.registry, caller);
    const { state } = await this.requests.load(approvalId);
    checkVisible(state, approvalId, caller);
    const handled = await this.requests.handle(
      approvalId,
      {
        type: 'CancelApproval',
        approvalId,
        by: { keyId: by.keyId, name: by.name },
        now: this.clock.now().toISOString(),
        ...(reason !== undefined ? { reason } : {}),
      },
      { ...metadata, book: (state as { book: string }).book },
    );
    return { ...approvalView(handled.state), position: positionOf(handled.position) };
  }
}

@CommandHandler(DelegateApprovalCommand)
export class DelegateApprovalHandler implements ICommandHandler<DelegateApprovalCommand> {
  constructor(
    private readonly delegations: ApprovalDelegations,
    private readonly registry: ApiKeyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    delegation,
    caller,
    metadata,
  }: DelegateApprovalCommand): Promise<DelegationOutcome> {
    const delegator = currentHolder(this.registry, caller);
    const delegate = await this.registry.keyWithId(delegation.toKeyId);
    if (!delegate || delegate.status !== 'active') {
      throw new ValidationError('Unknown delegate', [
        { field: 'to', message: 'must be the id of an active API key' },
      ]);
    }
    const now = this.clock.now().toISOString();
    const handled = await this.delegations.handle(
      {
        type: 'DelegateApproval',
        delegationId: delegation.delegationId,
        delegator,
        delegate: { keyId: delegate.keyId, name: delegate.name },
        role: delegation.role,
        validFrom: delegation.from ?? now,
        until: delegation.until,
        now,
      },
      metadata,
    );
    return {
      ...(await findDelegation(this.delegations, delegation.delegationId, now)),
      position: positionOf(handled.position),
    };
  }
}

@CommandHandler(RevokeApprovalDelegationCommand)
export class RevokeApprovalDelegationHandler implements ICommandHandler<RevokeApprovalDelegationCommand> {
  constructor(
    private readonly delegations: ApprovalDelegations,
    private readonly registry: ApiKeyRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({
    delegationId,
    reason,
    caller,
    metadata,
  }: RevokeApprovalDelegationCommand): Promise<DelegationOutcome> {
    const by = currentHolder(this.registry, caller);
    const now = this.clock.now().toISOString();
    const handled = await this.delegations.handle(
      {
        type: 'RevokeApprovalDelegation',
        delegationId,
        by,
        now,
        ...(reason !== undefined ? { reason } : {}),
      },
      metadata,
    );
    return {
      ...(await findDelegation(this.delegations, delegationId, now)),
      position: positionOf(handled.position),
    };
  }
}

async function findDelegation(delegations: ApprovalDelegations, delegationId: string, now: string) {
  const found = (await delegations.list(now)).find(
    (delegation) => delegation.delegationId === delegationId,
  );
  assert(found !== undefined, `delegation ${delegationId} was just recorded`);
  return found;
}

export const approvalCommandHandlers = [
  DefineApprovalPolicyHandler,
  RetireApprovalPolicyHandler,
  DecideApprovalHandler,
  CancelApprovalHandler,
  DelegateApprovalHandler,
  RevokeApprovalDelegationHandler,
];
