import { ConflictError, ForbiddenError, NotFoundError } from '../../event-sourcing/index.js';
import {
  afterExpiry,
  alice,
  aliceSecondKey,
  approved,
  bob,
  cancelled,
  expired,
  expiry,
  granted,
  oneApprover,
  rejected,
  requested,
  spec,
  t1,
  t2,
} from '../testing/approval-request.decider.fixtures.js';
import { CancelApproval } from './approval-request.commands.js';
import { KeyHolder } from './gated-action.js';

describe('CancelApproval', () => {
  const cancel = (by: KeyHolder, overrides: Partial<CancelApproval> = {}): CancelApproval => ({
    type: 'CancelApproval',
    approvalId: 'a1',
    by,
    now: t1,
    ...overrides,
  });

  it('the requester cancels a pending request', () => {
    spec.given([requested()]).when(cancel(alice)).then([cancelled]);
  });

  it('the requester may cancel with another key of theirs, giving a reason', () => {
    spec
      .given([requested()])
      .when(cancel(aliceSecondKey, { reason: 'wrong account' }))
      .then([
        {
          type: 'ApprovalCancelled',
          data: { approvalId: 'a1', by: aliceSecondKey, reason: 'wrong account', at: t1 },
        },
      ]);
  });

  it('nobody else may cancel', () => {
    spec.given([requested()]).when(cancel(bob)).thenThrows(ForbiddenError, 'forbidden');
  });

  it('cancelling again is a no-op', () => {
    spec
      .given([requested(), cancelled])
      .when(cancel(alice, { now: t2 }))
      .then([]);
  });

  it('refuses to cancel a decided request, or an unknown one', () => {
    spec
      .given([requested(), granted(bob), approved()])
      .when(cancel(alice))
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([requested(), rejected(bob)])
      .when(cancel(alice))
      .thenThrows(ConflictError, 'conflict');
    spec.given([]).when(cancel(alice)).thenThrows(NotFoundError, 'not-found');
  });
});

describe('ExpireApproval', () => {
  const expire = (now: string) => ({ type: 'ExpireApproval' as const, approvalId: 'a1', now });

  it('expires a pending request once its expiry is reached', () => {
    spec.given([requested()]).when(expire(afterExpiry)).then([expired]);
    spec
      .given([requested()])
      .when(expire(expiry))
      .then([
        { type: 'ApprovalExpired', data: { approvalId: 'a1', expiresAt: expiry, at: expiry } },
      ]);
  });

  it('is a no-op before the expiry', () => {
    spec.given([requested()]).when(expire('2026-04-07T09:59:59.999Z')).then([]);
  });

  it('is a no-op without an expiry, or once the request is no longer pending (repeated, decided, cancelled)', () => {
    spec
      .given([requested(oneApprover, alice, null)])
      .when(expire(afterExpiry))
      .then([]);
    spec.given([requested(), expired]).when(expire(afterExpiry)).then([]);
    spec
      .given([requested(), granted(bob), approved()])
      .when(expire(afterExpiry))
      .then([]);
    spec.given([requested(), cancelled]).when(expire(afterExpiry)).then([]);
  });

  it('refuses an unknown request', () => {
    spec.given([]).when(expire(afterExpiry)).thenThrows(NotFoundError, 'not-found');
  });
});
