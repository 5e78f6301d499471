import { AssertionFailed, fold } from '../../event-sourcing/index.js';
import { approvalRequestDecider } from './approval-request.decider.js';
import { ApprovalRequestEvent } from './approval-request.events.js';
import { approvalView, isAssignedTo } from './approval-request.view.js';

const alice = { keyId: 'k-alice', name: 'Alice' };
const bob = { keyId: 'k-bob', name: 'Bob' };
const erin = { keyId: 'k-erin', name: 'Erin' };

const requested: ApprovalRequestEvent = {
  type: 'ApprovalRequested',
  data: {
    approvalId: 'a1',
    book: 'acme',
    action: 'journal-entry.post',
    payload: { description: 'Rent' },
    summary: { debitTotalsMinor: { EUR: '120000' }, accounts: ['6310', '1200'] },
    requestedBy: alice,
    steps: [
      { role: 'approver', approvals: 2 },
      { role: 'compliance', approvals: 1 },
    ],
    policyIds: ['p1', 'p2'],
    requestedAt: '2026-03-31T10:00:00.000Z',
    expiresAt: '2026-04-07T10:00:00.000Z',
  },
};
const grantedByBob: ApprovalRequestEvent = {
  type: 'ApprovalGranted',
  data: {
    approvalId: 'a1',
    stepIndex: 0,
    role: 'approver',
    by: bob,
    at: '2026-03-31T11:00:00.000Z',
    comment: 'ok',
  },
};
const grantedByErinForCarol: ApprovalRequestEvent = {
  type: 'ApprovalGranted',
  data: {
    approvalId: 'a1',
    stepIndex: 0,
    role: 'approver',
    by: erin,
    onBehalfOf: { keyId: 'k-carol', name: 'Carol' },
    at: '2026-03-31T11:30:00.000Z',
  },
};
const grantedByDave: ApprovalRequestEvent = {
  type: 'ApprovalGranted',
  data: {
    approvalId: 'a1',
    stepIndex: 1,
    role: 'compliance',
    by: { keyId: 'k-dave', name: 'Dave' },
    at: '2026-03-31T12:00:00.000Z',
  },
};
const approved: ApprovalRequestEvent = {
  type: 'ApprovalApproved',
  data: {
    approvalId: 'a1',
    book: 'acme',
    action: 'journal-entry.post',
    at: '2026-03-31T12:00:00.000Z',
  },
};

const stateOf = (events: ApprovalRequestEvent[]) => fold(approvalRequestDecider, events);

describe('approvalView', () => {
  it('shows a pending request in the API shape', () => {
    expect(approvalView(stateOf([requested, grantedByBob]))).toEqual({
      id: 'a1',
      book: 'acme',
      action: 'journal-entry.post',
      status: 'pending',
      payload: { description: 'Rent' },
      requestedBy: 'Alice',
      requestedByKeyId: 'k-alice',
      requestedAt: '2026-03-31T10:00:00.000Z',
      expiresAt: '2026-04-07T10:00:00.000Z',
      policyIds: ['p1', 'p2'],
      currentStep: 0,
      steps: [
        {
          role: 'approver',
          required: 2,
          granted: 1,
          decisions: [
            {
              by: 'Bob',
              byKeyId: 'k-bob',
              onBehalfOf: null,
              decision: 'approved',
              at: '2026-03-31T11:00:00.000Z',
              comment: 'ok',
            },
          ],
        },
        { role: 'compliance', required: 1, granted: 0, decisions: [] },
      ],
    });
  });

  it('shows delegated decisions with both persons, and the execution result once recorded', () => {
    const view = approvalView(
      stateOf([
        requested,
        grantedByBob,
        grantedByErinForCarol,
        grantedByDave,
        approved,
        {
          type: 'ApprovalExecuted',
          data: {
            approvalId: 'a1',
            result: { entryId: 'e1', position: '7' },
            at: '2026-03-31T12:00:01.000Z',
          },
        },
      ]),
    );
    expect(view.status).toBe('approved');
    expect(view.currentStep).toBeNull();
    expect(view.steps[0]!.decisions[1]).toMatchObject({
      by: 'Erin',
      onBehalfOf: { keyId: 'k-carol', name: 'Carol' },
      comment: null,
    });
    expect(view.result).toEqual({
      status: 'executed',
      entryId: 'e1',
      position: '7',
      at: '2026-03-31T12:00:01.000Z',
    });
  });

  it('shows a refused execution as the result', () => {
    const view = approvalView(
      stateOf([
        requested,
        grantedByBob,
        grantedByErinForCarol,
        grantedByDave,
        approved,
        {
          type: 'ApprovalExecutionFailed',
          data: {
            approvalId: 'a1',
            error: { code: 'period-closed', detail: 'closed' },
            at: '2026-03-31T12:00:01.000Z',
          },
        },
      ]),
    );
    expect(view.result).toEqual({
      status: 'failed',
      error: { code: 'period-closed', detail: 'closed' },
      at: '2026-03-31T12:00:01.000Z',
    });
  });

  it('shows a rejection with its reason as the decision comment', () => {
    const view = approvalView(
      stateOf([
        requested,
        {
          type: 'ApprovalRejected',
          data: {
            approvalId: 'a1',
            stepIndex: 0,
            role: 'approver',
            by: bob,
            at: '2026-03-31T11:00:00.000Z',
            reason: 'no receipt',
          },
        },
      ]),
    );
    expect(view).toMatchObject({
      status: 'rejected',
      reason: 'no receipt',
      closedAt: '2026-03-31T11:00:00.000Z',
      currentStep: null,
    });
    expect(view.steps[0]!.decisions).toEqual([
      {
        by: 'Bob',
        byKeyId: 'k-bob',
        onBehalfOf: null,
        decision: 'rejected',
        at: '2026-03-31T11:00:00.000Z',
        comment: 'no receipt',
      },
    ]);
    expect(view.result).toBeUndefined();
  });

  it('asserts that the request exists', () => {
    expect(() => approvalView(stateOf([]))).toThrow(AssertionFailed);
  });
});

describe('isAssignedTo', () => {
  const pending = stateOf([requested, grantedByBob]);

  it('is true for a holder of the current step role who has not decided', () => {
    expect(isAssignedTo(pending, { name: 'Frank', roles: ['approver'] })).toBe(true);
  });

  it('is false for the requester, for someone who decided, for a represented person, and without the role', () => {
    expect(isAssignedTo(pending, { name: 'alice', roles: ['approver'] })).toBe(false);
    expect(isAssignedTo(pending, { name: 'Bob', roles: ['approver'] })).toBe(false);
    expect(
      isAssignedTo(stateOf([requested, grantedByErinForCarol]), {
        name: 'Carol',
        roles: ['approver'],
      }),
    ).toBe(false);
    expect(isAssignedTo(pending, { name: 'Frank', roles: ['compliance'] })).toBe(false);
  });

  it('follows the steps in order, and is false once the request is closed', () => {
    const secondStep = stateOf([requested, grantedByBob, grantedByErinForCarol]);
    expect(isAssignedTo(secondStep, { name: 'Dave', roles: ['compliance'] })).toBe(true);
    expect(isAssignedTo(secondStep, { name: 'Frank', roles: ['approver'] })).toBe(false);
    expect(
      isAssignedTo(
        stateOf([requested, grantedByBob, grantedByErinForCarol, grantedByDave, approved]),
        { name: 'Frank', roles: ['compliance'] },
      ),
    ).toBe(false);
  });
});
