import { Command } from '@nestjs/cqrs';
import { Role } from '../../access/index.js';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { ApprovalView } from '../domain/approval-request.view.js';
import { DefineApprovalPolicy, RetireApprovalPolicy } from '../domain/approval-policy.commands.js';
import { ApprovalPolicyListing } from './approval-policies.js';
import { DelegationListing } from './approval-delegations.js';

/**
 * The approvals module's commands on the @nestjs/cqrs CommandBus (what its controllers send).
 * `caller` is the authenticated key; handlers look up its roles in the registry at that moment.
 */
export interface Caller {
  keyId: string;
  name: string;
  /** Present when the key is restricted to these books. */
  books?: string[];
}

export type PolicyOutcome = ApprovalPolicyListing & { position: number };
export type ApprovalOutcome = ApprovalView & { position: number };
export type DelegationOutcome = DelegationListing & { position: number };

export class DefineApprovalPolicyCommand extends Command<PolicyOutcome> {
  constructor(
    readonly command: DefineApprovalPolicy,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class RetireApprovalPolicyCommand extends Command<PolicyOutcome> {
  constructor(
    readonly command: RetireApprovalPolicy,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class DecideApprovalCommand extends Command<ApprovalOutcome> {
  constructor(
    readonly approvalId: string,
    readonly decision: { kind: 'approve'; comment?: string } | { kind: 'reject'; reason: string },
    readonly caller: Caller,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class CancelApprovalCommand extends Command<ApprovalOutcome> {
  constructor(
    readonly approvalId: string,
    readonly reason: string | undefined,
    readonly caller: Caller,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class DelegateApprovalCommand extends Command<DelegationOutcome> {
  constructor(
    readonly delegation: {
      delegationId: string;
      toKeyId: string;
      role: Role;
      from?: string;
      until: string;
    },
    readonly caller: Caller,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class RevokeApprovalDelegationCommand extends Command<DelegationOutcome> {
  constructor(
    readonly delegationId: string,
    readonly reason: string | undefined,
    readonly caller: Caller,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
