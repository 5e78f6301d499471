import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  fold,
} from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { DelegateApproval, RevokeApprovalDelegation } from './approval-delegation.commands.js';
import {
  activeDelegationFor,
  activeDelegationsFor,
  approvalDelegationDecider,
} from './approval-delegation.decider.js';
import { ApprovalDelegationEvent } from './approval-delegation.events.js';

const spec = deciderSpec(approvalDelegationDecider);

const now = '2026-03-31T10:00:00.000Z';
const bob = { keyId: 'k-bob', name: 'Bob' };
const erin = { keyId: 'k-erin', name: 'Erin' };

const delegate = (overrides: Partial<DelegateApproval> = {}): DelegateApproval => ({
  type: 'DelegateApproval',
  delegationId: 'd1',
  delegator: { ...bob, roles: ['approver'] },
  delegate: erin,
  role: 'approver',
  validFrom: '2026-04-01T00:00:00Z',
  until: '2026-04-15T00:00:00Z',
  now,
  ...overrides,
});

const delegated: ApprovalDelegationEvent = {
  type: 'ApprovalDelegated',
  data: {
    delegationId: 'd1',
    fromKeyId: 'k-bob',
    fromName: 'Bob',
    toKeyId: 'k-erin',
    toName: 'Erin',
    role: 'approver',
    from: '2026-04-01T00:00:00.000Z',
    until: '2026-04-15T00:00:00.000Z',
    at: now,
  },
};

const revoke = (overrides: Partial<RevokeApprovalDelegation> = {}): RevokeApprovalDelegation => ({
  type: 'RevokeApprovalDelegation',
  delegationId: 'd1',
  by: { ...bob, roles: ['approver'] },
  now: '2026-04-02T00:00:00.000Z',
  ...overrides,
});
const revoked: ApprovalDelegationEvent = {
  type: 'ApprovalDelegationRevoked',
  data: { delegationId: 'd1', revokedBy: bob, at: '2026-04-02T00:00:00.000Z' },
};

describe('DelegateApproval', () => {
  it('hands a held role to another key for a window (times normalised to UTC)', () => {
    spec.given([]).when(delegate()).then([delegated]);
  });

  it('refuses a window that ends before it starts, or is already over', () => {
    spec
      .given([])
      .when(delegate({ until: '2026-04-01T00:00:00Z' }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(delegate({ validFrom: '2026-03-01T00:00:00Z', until: '2026-03-15T00:00:00Z' }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(delegate({ until: 'soon' }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(delegate({ until: '2027-06-01T00:00:00Z' }))
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses delegating to oneself, also to another key of the same person', () => {
    spec
      .given([])
      .when(delegate({ delegate: bob }))
      .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(delegate({ delegate: { keyId: 'k-bob-2', name: 'bob' } }))
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses a role the delegator does not hold', () => {
    spec
      .given([])
      .when(delegate({ role: 'compliance' }))
      .thenThrows(ForbiddenError, 'forbidden');
  });

  it('refuses a repeated id', () => {
    spec.given([delegated]).when(delegate()).thenThrows(ConflictError, 'conflict');
  });
});

describe('RevokeApprovalDelegation', () => {
  it('the delegator revokes', () => {
    spec.given([delegated]).when(revoke()).then([revoked]);
  });

  it('an admin revokes, with a reason', () => {
    spec
      .given([delegated])
      .when(
        revoke({
          by: { keyId: 'k-admin', name: 'Admin', roles: ['admin'] },
          reason: 'left the company',
        }),
      )
      .then([
        {
          type: 'ApprovalDelegationRevoked',
          data: {
            delegationId: 'd1',
            revokedBy: { keyId: 'k-admin', name: 'Admin' },
            reason: 'left the company',
            at: '2026-04-02T00:00:00.000Z',
          },
        },
      ]);
  });

  it('refuses anyone else, including the delegate', () => {
    spec
      .given([delegated])
      .when(revoke({ by: { ...erin, roles: ['approver'] } }))
      .thenThrows(ForbiddenError, 'forbidden');
  });

  it('refuses an unknown delegation, and revoking twice', () => {
    spec.given([]).when(revoke()).thenThrows(NotFoundError, 'not-found');
    spec.given([delegated, revoked]).when(revoke()).thenThrows(ConflictError, 'conflict');
  });
});

describe('activeDelegationFor', () => {
  const delegations = fold(approvalDelegationDecider, [delegated]).delegations;

  it('finds the delegation inside its window only (from inclusive, until exclusive)', () => {
    expect(
      activeDelegationFor(delegations, 'k-erin', 'approver', '2026-04-01T00:00:00.000Z')
        ?.delegationId,
    ).toBe('d1');
    expect(
      activeDelegationFor(delegations, 'k-erin', 'approver', '2026-03-31T23:59:59.999Z'),
    ).toBeUndefined();
    expect(
      activeDelegationFor(delegations, 'k-erin', 'approver', '2026-04-15T00:00:00.000Z'),
    ).toBeUndefined();
  });

  it('matches the delegate key and the role', () => {
    expect(
      activeDelegationFor(delegations, 'k-bob', 'approver', '2026-04-05T00:00:00.000Z'),
    ).toBeUndefined();
    expect(
      activeDelegationFor(delegations, 'k-erin', 'compliance', '2026-04-05T00:00:00.000Z'),
    ).toBeUndefined();
  });

  it('ignores revoked delegations and lists several active ones oldest first', () => {
    const second: ApprovalDelegationEvent = {
      type: 'ApprovalDelegated',
      data: { ...delegated.data, delegationId: 'd2', fromKeyId: 'k-carol', fromName: 'Carol' },
    };
    const state = fold(approvalDelegationDecider, [delegated, second, revoked]);
    expect(
      activeDelegationsFor(state.delegations, 'k-erin', 'approver', '2026-04-05T00:00:00.000Z').map(
        (d) => d.delegationId,
      ),
    ).toEqual(['d2']);
    const both = fold(approvalDelegationDecider, [delegated, second]);
    expect(
      activeDelegationsFor(both.delegations, 'k-erin', 'approver', '2026-04-05T00:00:00.000Z').map(
        (d) => d.delegationId,
      ),
    ).toEqual(['d1', 'd2']);
  });
});
