import { ConflictError, NotFoundError, fold } from '../../event-sourcing/index.js';
import {
  approved,
  bob,
  granted,
  rejected,
  requested,
  spec,
  t1,
  t2,
} from '../testing/approval-request.decider.fixtures.js';
import { RecordExecution } from './approval-request.commands.js';
import { approvalExecutionCommandId, approvalRequestDecider } from './approval-request.decider.js';
import { ApprovalRequestEvent } from './approval-request.events.js';

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
