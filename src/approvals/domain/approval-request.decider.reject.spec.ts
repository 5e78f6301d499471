import { ForbiddenError, ValidationError, fold } from '../../event-sourcing/index.js';
import {
  aliceSecondKey,
  bob,
  carol,
  dave,
  delegationFrom,
  erin,
  granted,
  reject,
  rejected,
  requested,
  spec,
  t1,
  t2,
  twoStep,
} from '../testing/approval-request.decider.fixtures.js';
import { SegregationOfDutiesError } from './approval-errors.js';
import { approvalRequestDecider } from './approval-request.decider.js';

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
