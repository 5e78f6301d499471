import { Role } from '../../access/index.js';
import { KeyHolder, KeyHolderWithRoles } from './gated-action.js';

/** `POST /v1/approvals/delegations` `{ to, from, until }`: the application resolves `to` (a key id) to its holder. */
export interface DelegateApproval {
  type: 'DelegateApproval';
  delegationId: string;
  /** The delegating key, with the roles it holds now. */
  delegator: KeyHolderWithRoles;
  delegate: KeyHolder;
  role: Role;
  validFrom: string;
  until: string;
  now: string;
}

/** Allowed for the delegating person and for admins. */
export interface RevokeApprovalDelegation {
  type: 'RevokeApprovalDelegation';
  delegationId: string;
  by: KeyHolderWithRoles;
  reason?: string;
  now: string;
}

export type ApprovalDelegationCommand = DelegateApproval | RevokeApprovalDelegation;
