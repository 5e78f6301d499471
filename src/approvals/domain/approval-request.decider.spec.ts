import { Role } from '../../access/index.js';
import {
  AssertionFailed,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  fold,
} from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { SegregationOfDutiesError } from './approval-errors.js';
import { ApprovalStep } from './approval-policy.events.js';
import {
  CancelApproval,
  DecisionDelegation,
  GrantApproval,
  RecordExecution,
  RejectApproval,
  RequestApproval,
} from './approval-request.commands.js';
import {
  approvalExecutionCommandId,
  approvalRequestDecider,
  commentLengthMax,
} from './approval-request.decider.js';
import { ApprovalRequestEvent } from './approval-request.events.js';
import { KeyHolder } from './gated-action.js';

const spec = deciderSpec(approvalRequestDecider);

const t0 = '2026-03-31T10:00:00.000Z';
const t1 = '2026-03-31T11:00:00.000Z';
const t2 = '2026-03-31T12:00:00.000Z';
const expiry = '2026-04-07T10:00:00.000Z';
const afterExpiry = '2026-04-07T10:00:00.001Z';

const alice = { keyId: 'k-alice', name: 'Alice' };
const aliceSecondKey = { keyId: 'k-alice-2', name: 'alice ' };
const bob = { keyId: 'k-bob', name: 'Bob' };
const carol = { keyId: 'k-carol', name: 'Carol' };
const dave = { keyId: 'k-dave', name: 'Dave' };
const erin = { keyId: 'k-erin', name: 'Erin' };

const oneApprover: ApprovalStep[] = [{ role: 'approver', approvals: 1 }];
const twoStep: ApprovalStep[] = [
  { role: 'approver', approvals: 2 },
  { role: 'compliance', approvals: 1 },
];
const payload = {
  effectiveDate: '2026-03-31',
  lines: [
    { account: '6310', debit: '12000.00' },
    { account: '1200', credit: '12000.00' },
  ],
};

const request = (overrides: Partial<RequestApproval> = {}): RequestApproval => ({
  type: 'RequestApproval',
  approvalId: 'a1',
  book: 'acme',
  action: 'journal-entry.post',
  payload,
  summary: {
    action: 'journal-entry.post',
    book: 'acme',
    debitTotalsMinor: { EUR: 1_200_000n },
    accounts: ['6310', '1200'],
  },
  requestedBy: alice,
  steps: oneApprover,
  policyIds: ['p1'],
  now: t0,
  expiresAt: expiry,
  ...overrides,
});

const requested = (
  steps: ApprovalStep[] = oneApprover,
  requestedBy: KeyHolder = alice,
  expiresAt: string | null = expiry,
): ApprovalRequestEvent => ({
  type: 'ApprovalRequested',
  data: {
    approvalId: 'a1',
    book: 'acme',
    action: 'journal-entry.post',
    payload,
    summary: { debitTotalsMinor: { EUR: '1200000' }, accounts: ['6310', '1200'] },
    requestedBy,
    steps,
    policyIds: ['p1'],
    requestedAt: t0,
    ...(expiresAt ? { expiresAt } : {}),
  },
});

const granted = (
  by: KeyHolder,
  stepIndex = 0,
  role: Role = 'approver',
  at = t1,
  extra: { onBehalfOf?: KeyHolder; comment?: string } = {},
): ApprovalRequestEvent => ({
  type: 'ApprovalGranted',
  data: {
    approvalId: 'a1',
    stepIndex,
    role,
    by,
    ...(extra.onBehalfOf ? { onBehalfOf: extra.onBehalfOf } : {}),
    at,
    ...(extra.comment ? { comment: extra.comment } : {}),
  },
});
const approved = (at = t1): ApprovalRequestEvent => ({
  type: 'ApprovalApproved',
  data: { approvalId: 'a1', book: 'acme', action: 'journal-entry.post', at },
});
const rejected = (by: KeyHolder, at = t1): ApprovalRequestEvent => ({
  type: 'ApprovalRejected',
  data: { approvalId: 'a1', stepIndex: 0, role: 'approver', by, at, reason: 'no receipt' },
});
const cancelled: ApprovalRequestEvent = {
  type: 'ApprovalCancelled',
  data: { approvalId: 'a1', by: alice, at: t1 },
};
const expired: ApprovalRequestEvent = {
  type: 'ApprovalExpired',
  data: { approvalId: 'a1', expiresAt: expiry, at: afterExpiry },
};

const grant = (
  by: KeyHolder,
  roles: Role[],
  overrides: Partial<GrantApproval> = {},
): GrantApproval => ({
  type: 'GrantApproval',
  approvalId: 'a1',
  by: { ...by, roles },
  now: t1,
  ...overrides,
});
const reject = (
  by: KeyHolder,
  roles: Role[],
  overrides: Partial<RejectApproval> = {},
): RejectApproval => ({
  type: 'RejectApproval',
  approvalId: 'a1',
  by: { ...by, roles },
  reason: ' no receipt ',
  now: t1,
  ...overrides,
});
const delegationFrom = (from: KeyHolder, role: Role = 'approver'): DecisionDelegation => ({
  fromKeyId: from.keyId,
  fromName: from.name,
  role,
});

describe('RequestApproval', () => {
  it('opens a pending request, storing amounts as minor-unit strings', () => {
    spec.given([]).when(request()).then([requested()]);
  });

  it('is a no-op when repeated with the same content (a later retry)', () => {
    spec
      .given([requested()])
      .when(request({ now: t1, expiresAt: '2026-04-07T11:00:00.000Z' }))
      .then([]);
  });

  it('refuses the same id with different content', () => {
    spec
      .given([requested()])
      .when(request({ payload: { other: true } }))
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([requested()])
      .when(request({ requestedBy: bob }))
      .thenThrows(ConflictError, 'conflict');
  });

  it('asserts that there is something to approve', () => {
    spec
      .given([])
      .when(request({ steps: [] }))
      .thenThrows(AssertionFailed);
  });

  it('asserts that the expiry lies after the request', () => {
    spec
      .given([])
      .when(request({ expiresAt: t0 }))
      .thenThrows(AssertionFailed);
  });
});

describe('four eyes: one approver', () => {
  it('a different approver grants, which approves the request', () => {
    spec
      .given([requested()])
      .when(grant(bob, ['approver']))
      .then([granted(bob), approved()]);
  });

  it('keeps a trimmed comment', () => {
    spec
      .given([requested()])
      .when(grant(bob, ['approver'], { comment: '  looks right ' }))
      .then([granted(bob, 0, 'approver', t1, { comment: 'looks right' }), approved()]);
  });

  it('refuses an overlong comment', () => {
    spec
      .given([requested()])
      .when(grant(bob, ['approver'], { comment: 'x'.repeat(commentLengthMax + 1) }))
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses the requester (segregation of duties), even holding the role', () => {
    spec
      .given([requested()])
      .when(grant(alice, ['accountant', 'approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
  });

  it('refuses the requester through a second key of the same person', () => {
    spec
      .given([requested()])
      .when(grant(aliceSecondKey, ['approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
  });

  describe('look-alike names are the same person (canonical form)', () => {
    const erika = { keyId: 'k-erika', name: 'Erika Großmann' };
    const lookAlikes: [string, string][] = [
      ['upper case with SS for ß', 'ERIKA GROSSMANN'],
      ['a zero-width space', 'Erika\u200b Großmann'],
      ['a soft hyphen', 'Erika Gro\u00adßmann'],
      ['a word joiner', 'Erika\u2060 Großmann'],
      ['a byte-order mark', '\ufeffErika Großmann'],
      ['a doubled inner space', 'Erika  Großmann'],
      ['a no-break space and a trailing tab', 'Erika\u00a0Großmann\t'],
      ['full-width letters', 'ＥＲＩＫＡ Großmann'],
    ];

    it.each(lookAlikes)('refuses the requester under %s', (_what, name) => {
      spec
        .given([requested(oneApprover, erika)])
        .when(grant({ keyId: 'k-erika-2', name }, ['approver']))
        .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    });

    it.each(lookAlikes)('refuses a second decision under %s', (_what, name) => {
      spec
        .given([requested(twoStep), granted(erika)])
        .when(grant({ keyId: 'k-erika-2', name }, ['approver']))
        .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    });

    it('a different name stays another person', () => {
      spec
        .given([requested(oneApprover, erika)])
        .when(grant({ keyId: 'k-erik', name: 'Erik Großmann' }, ['approver']))
        .then([granted({ keyId: 'k-erik', name: 'Erik Großmann' }), approved()]);
    });
  });

  it('refuses a decider without the step role (forbidden)', () => {
    spec
      .given([requested()])
      .when(grant(dave, ['compliance', 'accountant']))
      .thenThrows(ForbiddenError, 'forbidden');
    spec
      .given([requested()])
      .when(grant(dave, ['admin']))
      .thenThrows(ForbiddenError, 'forbidden');
  });

  it('refuses an unknown request', () => {
    spec
      .given([])
      .when(grant(bob, ['approver']))
      .thenThrows(NotFoundError, 'not-found');
  });

  it.each([
    ['approved', [requested(), granted(bob), approved()]],
    ['rejected', [requested(), rejected(bob)]],
    ['cancelled', [requested(), cancelled]],
    ['expired', [requested(), expired]],
  ])('refuses decisions on a %s request (conflict)', (_, events) => {
    spec
      .given(events)
      .when(grant(carol, ['approver']))
      .thenThrows(ConflictError, 'conflict');
    spec
      .given(events)
      .when(reject(carol, ['approver']))
      .thenThrows(ConflictError, 'conflict');
  });

  it('refuses decisions once the expiry has passed, even before the scheduler expired it', () => {
    spec
      .given([requested()])
      .when(grant(bob, ['approver'], { now: expiry }))
      .thenThrows(ConflictError, 'conflict');
  });
});

describe('two-step policy: two approvers, then compliance', () => {
  const afterFirst = [requested(twoStep), granted(bob)];
  const afterStepOne = [...afterFirst, granted(carol)];

  it('the first grant counts toward step one and approves nothing yet', () => {
    spec
      .given([requested(twoStep)])
      .when(grant(bob, ['approver']))
      .then([granted(bob)]);
  });

  it('the second approver completes step one', () => {
    spec
      .given(afterFirst)
      .when(grant(carol, ['approver']))
      .then([granted(carol)]);
  });

  it('steps are decided in order: compliance cannot act before step one is done', () => {
    spec
      .given(afterFirst)
      .when(grant(dave, ['compliance']))
      .thenThrows(ForbiddenError, 'forbidden');
  });

  it('compliance completes the last step, which approves the request', () => {
    spec
      .given(afterStepOne)
      .when(grant(dave, ['compliance'], { now: t2 }))
      .then([granted(dave, 1, 'compliance', t2), approved(t2)]);
  });

  it('one person decides at most once, also through another key or in a later step', () => {
    spec
      .given(afterFirst)
      .when(grant(bob, ['approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    spec
      .given(afterFirst)
      .when(grant({ keyId: 'k-bob-2', name: 'BOB' }, ['approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    spec
      .given(afterStepOne)
      .when(grant(bob, ['approver', 'compliance']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
  });

  it('state: the current step and its decisions', () => {
    const state = fold(approvalRequestDecider, afterFirst);
    expect(state.status).toBe('pending');
    if (state.status === 'pending') {
      expect(state.steps[0]).toEqual({
        role: 'approver',
        required: 2,
        decisions: [{ by: bob, decision: 'approved', at: t1 }],
      });
      expect(state.steps[1]!.decisions).toEqual([]);
    }
  });
});

describe('delegation', () => {
  it('a delegate decides with the delegated role; both persons are recorded', () => {
    spec
      .given([requested()])
      .when(grant(erin, [], { delegation: delegationFrom(bob) }))
      .then([granted(erin, 0, 'approver', t1, { onBehalfOf: bob }), approved()]);
  });

  it('a delegation for another role does not help', () => {
    spec
      .given([requested()])
      .when(grant(erin, [], { delegation: delegationFrom(dave, 'compliance') }))
      .thenThrows(ForbiddenError, 'forbidden');
  });

  it('a role held directly wins over a delegation (nobody is recorded as represented)', () => {
    spec
      .given([requested()])
      .when(grant(carol, ['approver'], { delegation: delegationFrom(bob) }))
      .then([granted(carol), approved()]);
  });

  it('a delegate may not decide on their own request', () => {
    spec
      .given([requested(oneApprover, erin)])
      .when(grant(erin, [], { delegation: delegationFrom(bob) }))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
  });

  it('a delegate may not decide for the requester', () => {
    spec
      .given([requested()])
      .when(grant(erin, [], { delegation: delegationFrom(alice) }))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
  });

  it('a delegate may not decide for someone who already decided, nor the delegator after the delegate did', () => {
    const twoApprovers: ApprovalStep[] = [{ role: 'approver', approvals: 2 }];
    spec
      .given([requested(twoApprovers), granted(bob)])
      .when(grant(erin, [], { delegation: delegationFrom(bob) }))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    spec
      .given([requested(twoApprovers), granted(erin, 0, 'approver', t1, { onBehalfOf: bob })])
      .when(grant(bob, ['approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    spec
      .given([requested(twoApprovers), granted(erin, 0, 'approver', t1, { onBehalfOf: bob })])
      .when(grant(erin, [], { delegation: delegationFrom(carol) }))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
  });
});

describe('RejectApproval', () => {
  it('an eligible decider rejects, which ends the request', () => {
    spec
      .given([requested()])
      .when(reject(bob, ['approver']))
      .then([rejected(bob)]);
    const state = fold(approvalRequestDecider, [requested(), rejected(bob)]);
    expect(state).toMatchObject({ status: 'rejected', reason: 'no receipt', rejectedAt: t1 });
  });

  it('rejects in a later step', () => {
    spec
      .given([requested(twoStep), granted(bob), granted(carol)])
      .when(reject(dave, ['compliance'], { now: t2 }))
      .then([
        {
          type: 'ApprovalRejected',
          data: {
            approvalId: 'a1',
            stepIndex: 1,
            role: 'compliance',
            by: dave,
            at: t2,
            reason: 'no receipt',
          },
        },
      ]);
  });

  it('records a delegated rejection with both persons', () => {
    spec
      .given([requested()])
      .when(reject(erin, [], { delegation: delegationFrom(bob) }))
      .then([
        {
          type: 'ApprovalRejected',
          data: {
            approvalId: 'a1',
            stepIndex: 0,
            role: 'approver',
            by: erin,
            onBehalfOf: bob,
            at: t1,
            reason: 'no receipt',
          },
        },
      ]);
  });

  it('needs a reason', () => {
    spec
      .given([requested()])
      .when(reject(bob, ['approver'], { reason: '  ' }))
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses the requester, a second decision, and a missing role', () => {
    spec
      .given([requested()])
      .when(reject(aliceSecondKey, ['approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    spec
      .given([requested(twoStep), granted(bob)])
      .when(reject(bob, ['approver']))
      .thenThrows(SegregationOfDutiesError, 'segregation-of-duties');
    spec
      .given([requested()])
      .when(reject(dave, ['auditor']))
      .thenThrows(ForbiddenError, 'forbidden');
  });
});

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

describe('RecordExecution', () => {
  const approvedRequest = [requested(), granted(bob), approved()];
  const executed = { status: 'executed' as const, result: { entryId: 'e1', position: '42' } };
  const failed = {
    status: 'failed' as const,
    error: { code: 'period-closed', detail: 'Period 2026-03 is closed' },
  };
  const record = (outcome: RecordExecution['outcome'], now = t2): RecordExecution => ({
    type: 'RecordExecution',
    approvalId: 'a1',
    outcome,
    now,
  });
  const executedEvent: ApprovalRequestEvent = {
    type: 'ApprovalExecuted',
    data: { approvalId: 'a1', result: executed.result, at: t2 },
  };

  it('records the action outcome on an approved request', () => {
    spec.given(approvedRequest).when(record(executed)).then([executedEvent]);
    spec
      .given(approvedRequest)
      .when(record(failed))
      .then([
        {
          type: 'ApprovalExecutionFailed',
          data: { approvalId: 'a1', error: failed.error, at: t2 },
        },
      ]);
  });

  it('is a no-op when the same outcome is recorded again (a re-run reactor)', () => {
    spec
      .given([...approvedRequest, executedEvent])
      .when(record(executed, '2026-04-01T00:00:00.000Z'))
      .then([]);
  });

  it('refuses a different second outcome', () => {
    spec
      .given([...approvedRequest, executedEvent])
      .when(record(failed))
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([...approvedRequest, executedEvent])
      .when(record({ status: 'executed', result: { entryId: 'e2', position: '43' } }))
      .thenThrows(ConflictError, 'conflict');
  });

  it('refuses a request that is not approved', () => {
    spec.given([requested()]).when(record(executed)).thenThrows(ConflictError, 'conflict');
    spec
      .given([requested(), rejected(bob)])
      .when(record(executed))
      .thenThrows(ConflictError, 'conflict');
    spec.given([]).when(record(executed)).thenThrows(NotFoundError, 'not-found');
  });

  it('keeps the outcome on the approved state', () => {
    expect(fold(approvalRequestDecider, [...approvedRequest, executedEvent])).toMatchObject({
      status: 'approved',
      approvedAt: t1,
      result: { status: 'executed', result: executed.result, at: t2 },
    });
  });

  it('derives the execution command id from the approval id', () => {
    expect(approvalExecutionCommandId('a1')).toBe(approvalExecutionCommandId('a1'));
    expect(approvalExecutionCommandId('a1')).not.toBe(approvalExecutionCommandId('a2'));
  });
});
