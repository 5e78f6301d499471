import { ConflictError, NotFoundError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { DefineApprovalPolicy } from './approval-policy.commands.js';
import {
  approvalPolicyDecider,
  policyStepsMax,
  stepApprovalsMax,
} from './approval-policy.decider.js';
import { ApprovalPolicyDefined, ApprovalPolicyEvent } from './approval-policy.events.js';

const spec = deciderSpec(approvalPolicyDecider);

const define = (overrides: Partial<DefineApprovalPolicy> = {}): DefineApprovalPolicy => ({
  type: 'DefineApprovalPolicy',
  book: 'acme',
  policyId: 'p1',
  name: 'Large payments',
  action: 'journal-entry.post',
  condition: { minAmount: '10000.00', currency: 'EUR' },
  steps: [{ role: 'approver', approvals: 1 }],
  expiresAfter: 'P7D',
  ...overrides,
});

const defined: ApprovalPolicyDefined = {
  type: 'ApprovalPolicyDefined',
  data: {
    policyId: 'p1',
    book: 'acme',
    name: 'Large payments',
    action: 'journal-entry.post',
    condition: { minAmountMinor: '1000000', currency: 'EUR' },
    steps: [{ role: 'approver', approvals: 1 }],
    expiresAfter: 'P7D',
  },
};

function validationFields(command: DefineApprovalPolicy): string[] {
  try {
    approvalPolicyDecider.decide(command, approvalPolicyDecider.initialState());
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors!.map((fieldError) => fieldError.field);
  }
  throw new Error('expected a validation error');
}

describe('DefineApprovalPolicy', () => {
  it('defines a policy, storing the minimum as minor units', () => {
    spec.given([]).when(define()).then([defined]);
  });

  it('defines a policy without condition or expiry', () => {
    spec
      .given([])
      .when(
        define({
          condition: undefined,
          expiresAfter: undefined,
          action: 'period.reopen',
          steps: [{ role: 'compliance', approvals: 2 }],
        }),
      )
      .then([
        {
          type: 'ApprovalPolicyDefined',
          data: {
            policyId: 'p1',
            book: 'acme',
            name: 'Large payments',
            action: 'period.reopen',
            steps: [{ role: 'compliance', approvals: 2 }],
          },
        },
      ]);
  });

  it('keeps account conditions, without duplicates', () => {
    spec
      .given([])
      .when(define({ condition: { accounts: ['1200', '1200', '6310'] } }))
      .then([
        {
          type: 'ApprovalPolicyDefined',
          data: { ...defined.data, condition: { accounts: ['1200', '6310'] } },
        },
      ]);
  });

  it('refuses a second policy with the same id, also after it was retired', () => {
    spec.given([defined]).when(define()).thenThrows(ConflictError, 'conflict');
    spec
      .given([defined, { type: 'ApprovalPolicyRetired', data: { policyId: 'p1', book: 'acme' } }])
      .when(define())
      .thenThrows(ConflictError, 'conflict');
  });

  it.each<[string, Partial<DefineApprovalPolicy>, string[]]>([
    ['an empty name', { name: '  ' }, ['name']],
    ['an unknown action', { action: 'journal-entry.delete' }, ['action']],
    ['no steps', { steps: [] }, ['steps']],
    [
      'too many steps',
      {
        steps: Array.from({ length: policyStepsMax + 1 }, () => ({
          role: 'approver',
          approvals: 1,
        })),
      },
      ['steps'],
    ],
    ['zero approvals', { steps: [{ role: 'approver', approvals: 0 }] }, ['steps[0].approvals']],
    [
      'too many approvals',
      { steps: [{ role: 'approver', approvals: stepApprovalsMax + 1 }] },
      ['steps[0].approvals'],
    ],
    [
      'fractional approvals',
      { steps: [{ role: 'approver', approvals: 1.5 }] },
      ['steps[0].approvals'],
    ],
    ['an unknown role', { steps: [{ role: 'boss', approvals: 1 }] }, ['steps[0].role']],
    ['a minimum without currency', { condition: { minAmount: '100.00' } }, ['condition.currency']],
    [
      'an unknown currency',
      { condition: { minAmount: '100.00', currency: 'XXY' } },
      ['condition.currency'],
    ],
    [
      'too many decimals',
      { condition: { minAmount: '100.001', currency: 'EUR' } },
      ['condition.minAmount'],
    ],
    [
      'a negative minimum',
      { condition: { minAmount: '-1', currency: 'EUR' } },
      ['condition.minAmount'],
    ],
    ['a zero minimum', { condition: { minAmount: '0', currency: 'EUR' } }, ['condition.minAmount']],
    ['an empty account list', { condition: { accounts: [] } }, ['condition.accounts']],
    [
      'an amount condition on period.reopen',
      { action: 'period.reopen', condition: { minAmount: '1.00', currency: 'EUR' } },
      ['condition.minAmount', 'condition.currency'],
    ],
    [
      'an amount condition on account.close',
      { action: 'account.close', condition: { currency: 'EUR' } },
      ['condition.currency'],
    ],
    ['a bad duration', { expiresAfter: '7 days' }, ['expiresAfter']],
    ['a duration with a dangling T', { expiresAfter: 'P1DT' }, ['expiresAfter']],
    ['a zero duration', { expiresAfter: 'PT0S' }, ['expiresAfter']],
    ['a duration over the limit', { expiresAfter: 'P2Y' }, ['expiresAfter']],
  ])('refuses %s', (_, overrides, fields) => {
    expect(validationFields(define(overrides))).toEqual(fields);
  });

  it('reports every invalid field at once', () => {
    expect(validationFields(define({ name: '', action: 'x', steps: [] }))).toEqual([
      'name',
      'action',
      'steps',
    ]);
  });
});

describe('RetireApprovalPolicy', () => {
  const retire = {
    type: 'RetireApprovalPolicy' as const,
    book: 'acme',
    policyId: 'p1',
    reason: ' obsolete ',
  };

  it('retires an active policy', () => {
    spec
      .given([defined])
      .when(retire)
      .then([
        {
          type: 'ApprovalPolicyRetired',
          data: { policyId: 'p1', book: 'acme', reason: 'obsolete' },
        },
      ]);
  });

  it('refuses an unknown policy', () => {
    spec.given([]).when(retire).thenThrows(NotFoundError, 'not-found');
  });

  it('refuses retiring twice', () => {
    spec
      .given([defined, { type: 'ApprovalPolicyRetired', data: { policyId: 'p1', book: 'acme' } }])
      .when(retire)
      .thenThrows(ConflictError, 'conflict');
  });
});

describe('state', () => {
  it('holds the active policies in definition order', () => {
    const second: ApprovalPolicyEvent = {
      type: 'ApprovalPolicyDefined',
      data: { ...defined.data, policyId: 'p2' },
    };
    const third: ApprovalPolicyEvent = {
      type: 'ApprovalPolicyDefined',
      data: { ...defined.data, policyId: 'p3' },
    };
    const retired: ApprovalPolicyEvent = {
      type: 'ApprovalPolicyRetired',
      data: { policyId: 'p2', book: 'acme' },
    };
    const state = [defined, second, third, retired].reduce(
      approvalPolicyDecider.evolve,
      approvalPolicyDecider.initialState(),
    );
    expect(state.active.map((policy) => policy.policyId)).toEqual(['p1', 'p3']);
    expect(state.retiredIds).toEqual(['p2']);
  });
});
