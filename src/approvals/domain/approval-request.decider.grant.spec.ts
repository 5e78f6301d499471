import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  fold,
} from '../../event-sourcing/index.js';
import {
  alice,
  aliceSecondKey,
  approved,
  bob,
  cancelled,
  carol,
  dave,
  delegationFrom,
  erin,
  expired,
  expiry,
  grant,
  granted,
  oneApprover,
  reject,
  rejected,
  requested,
  spec,
  t1,
  t2,
  twoStep,
} from '../testing/approval-request.decider.fixtures.js';
import { SegregationOfDutiesError } from './approval-errors.js';
import { ApprovalStep } from './approval-policy.events.js';
import { approvalRequestDecider, commentLengthMax } from './approval-request.decider.js';

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
