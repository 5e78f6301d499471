import { ConflictError, NotFoundError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { IdempotencyMismatchError } from '../../ledger/index.js';
import {
  BankStatementEvent,
  bankStatementDecider,
  BankStatementLineAssignedData,
  BankStatementLineReopenedData,
  assignmentKey,
  standingAssignment,
  StatementLineData,
} from './bank-statement.js';
import { fold } from '../../event-sourcing/index.js';

const spec = deciderSpec(bankStatementDecider);
const statement = { id: 'st1', bookId: 'b', account: '1200', statementId: 'STMT-1' };
const line = (entryReference: string, extra: Partial<StatementLineData> = {}) => ({
  entryReference,
  detail: 1,
  date: '2027-01-20',
  amountMinor: '500',
  currency: 'EUR',
  direction: 'debit' as const,
  ...extra,
});
const imported: BankStatementEvent = {
  type: 'BankStatementImported',
  data: {
    ...statement,
    lines: [
      { ...line('E1', { match: { rule: 'invoice-number', item: 'r1', payment: 'p1' } }), n: 1 },
      { ...line('E2'), n: 2 },
    ],
  },
};
const assignment: BankStatementLineAssignedData = {
  id: 'st1',
  bookId: 'b',
  n: 2,
  account: '4970',
  entryId: 'e-2',
  idempotencyKey: 'k',
  requestHash: 'h',
};
const assign = (overrides: Partial<BankStatementLineAssignedData> = {}) => ({
  type: 'AssignStatementLine' as const,
  assignment: { ...assignment, ...overrides },
});

describe('bank statement stream', () => {
  it('given lines E1 and E2, when the file comes again with E3 added, then only E3 is recorded, as line 3', () => {
    spec
      .given([imported])
      .when({
        type: 'RecordStatementLines',
        statement,
        lines: [line('E1'), line('E2'), line('E3')],
      })
      .then([
        { type: 'BankStatementImported', data: { ...statement, lines: [{ ...line('E3'), n: 3 }] } },
      ]);
  });
  it('given lines E1 and E2, when the same file comes again, then nothing is recorded', () => {
    spec
      .given([imported])
      .when({ type: 'RecordStatementLines', statement, lines: [line('E2'), line('E1')] })
      .then([]);
  });
  it('when the waiting line 2 is assigned to an account, then the assignment is recorded', () => {
    spec
      .given([imported])
      .when(assign())
      .then([{ type: 'BankStatementLineAssigned', data: assignment }]);
  });
  it('when line 1 (matched at import) is assigned, then 409', () => {
    spec
      .given([imported])
      .when(assign({ n: 1 }))
      .thenThrows(ConflictError, 'conflict');
  });
  it('when an unknown line is assigned, then 404', () => {
    spec
      .given([imported])
      .when(assign({ n: 9 }))
      .thenThrows(NotFoundError, 'not-found');
  });
  it('given line 2 assigned, when assigned again with another key, then 409; with the same key and body, nothing new', () => {
    const assigned: BankStatementEvent = { type: 'BankStatementLineAssigned', data: assignment };
    spec
      .given([imported, assigned])
      .when(assign({ idempotencyKey: 'other', account: '4980' }))
      .thenThrows(ConflictError, 'conflict');
    spec.given([imported, assigned]).when(assign()).then([]);
    spec
      .given([imported, assigned])
      .when(assign({ requestHash: 'other' }))
      .thenThrows(IdempotencyMismatchError, 'idempotency-mismatch');
  });

  describe('an assignment whose approval ends unexecuted', () => {
    const held: BankStatementEvent = {
      type: 'BankStatementLineAssigned',
      data: { ...assignment, approvalId: 'a1' },
    };
    const reopened: BankStatementLineReopenedData = {
      id: 'st1',
      bookId: 'b',
      n: 2,
      entryId: 'e-2',
      cause: 'approval-rejected',
      approvalId: 'a1',
    };
    const reopen = (overrides: Partial<BankStatementLineReopenedData> = {}) => ({
      type: 'ReopenStatementLine' as const,
      reopened: { ...reopened, ...overrides },
    });
    const reopenedEvent: BankStatementEvent = { type: 'BankStatementLineReopened', data: reopened };

    it('given line 2 held for approval, when the approval is rejected, then the line is reopened', () => {
      spec.given([imported, held]).when(reopen()).then([reopenedEvent]);
    });
    it('given line 2 reopened, when reopened again or for another entry, then nothing is recorded', () => {
      spec.given([imported, held, reopenedEvent]).when(reopen()).then([]);
      spec
        .given([imported, held])
        .when(reopen({ entryId: 'e-other' }))
        .then([]);
      spec.given([imported]).when(reopen()).then([]);
    });
    it('given line 2 reopened, then it waits with the failed attempt in its history, and is assignable anew under a new key', () => {
      const state = fold(bankStatementDecider, [imported, held, reopenedEvent]);
      expect(state.lines.get(2)).toMatchObject({
        status: 'unmatched',
        earlier: [{ assignment: held.data, reopened }],
      });
      expect(state.lines.get(2)?.assignment).toBeUndefined();
      expect([
        assignmentKey(fold(bankStatementDecider, [imported]), 'st1', 2),
        assignmentKey(state, 'st1', 2),
      ]).toEqual(['st1|2', 'st1|2|2']);
      spec
        .given([imported, held, reopenedEvent])
        .when(assign({ entryId: 'e-2b', idempotencyKey: 'k2' }))
        .then([
          {
            type: 'BankStatementLineAssigned',
            data: { ...assignment, entryId: 'e-2b', idempotencyKey: 'k2' },
          },
        ]);
    });
  });

  it('given line 2 assigned, when it is unassigned, then the line reopens as unassigned; a line not assigned by hand cannot be', () => {
    const assigned: BankStatementEvent = { type: 'BankStatementLineAssigned', data: assignment };
    expect(standingAssignment(fold(bankStatementDecider, [imported, assigned]), 2)).toEqual(
      assignment,
    );
    const undone = {
      id: 'st1',
      bookId: 'b',
      n: 2,
      entryId: 'e-2',
      cause: 'unassigned' as const,
      reason: 'a refund',
      reversalEntryId: 'e-2r',
    };
    spec
      .given([imported, assigned])
      .when({ type: 'ReopenStatementLine', reopened: undone })
      .then([{ type: 'BankStatementLineReopened', data: undone }]);
    const state = fold(bankStatementDecider, [imported]);
    expect(() => standingAssignment(state, 1)).toThrow(ConflictError);
    expect(() => standingAssignment(state, 2)).toThrow(ConflictError);
    expect(() => standingAssignment(state, 9)).toThrow(NotFoundError);
  });
});
