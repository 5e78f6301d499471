import { isRole } from '../../access/index.js';
import {
  ConflictError,
  Decider,
  DomainError,
  FieldError,
  NotFoundError,
  ValidationError,
  isCurrency,
  parseAmount,
} from '../../event-sourcing/index.js';
import {
  ApprovalPolicyCommand,
  DefineApprovalPolicy,
  RetireApprovalPolicy,
} from './approval-policy.commands.js';
import {
  ApprovalPolicy,
  ApprovalPolicyCondition,
  ApprovalPolicyDefinedData,
  ApprovalPolicyEvent,
} from './approval-policy.events.js';
import { durationProblem } from './iso-duration.js';
import { GatedAction, gatedActions, isGatedAction } from './gated-action.js';

export const policyNameLengthMax = 200;
export const policyStepsMax = 5;
export const stepApprovalsMax = 10;
export const conditionAccountsMax = 100;
export const accountCodeLengthMax = 64;
export const policyIdLengthMax = 128;
export const retireReasonLengthMax = 2000;

/** Active policies in definition order (the order matching combines their steps in). */
export interface ApprovalPolicyState {
  active: ApprovalPolicy[];
  /** Ids never come back: a retired policy's id stays taken. */
  retiredIds: string[];
}

/** Which condition parts make sense for which action; others are refused, never silently ignored. */
const conditionPartsByAction: Record<
  GatedAction,
  readonly (keyof NonNullable<DefineApprovalPolicy['condition']>)[]
> = {
  'journal-entry.post': ['minAmount', 'currency', 'accounts'],
  'account.close': ['accounts'],
  'period.reopen': [],
  'invoice.issue': ['minAmount', 'currency', 'accounts'],
  'credit-note.issue': ['minAmount', 'currency', 'accounts'],
  'incoming-invoice.book': ['minAmount', 'currency', 'accounts'],
  'payment-run.execute': ['minAmount', 'currency', 'accounts'],
};

export const approvalPolicyDecider: Decider<
  ApprovalPolicyCommand,
  ApprovalPolicyEvent,
  ApprovalPolicyState
> = {
  initialState: () => ({ active: [], retiredIds: [] }),
  decide(command, state) {
    switch (command.type) {
      case 'DefineApprovalPolicy':
        return defineApprovalPolicy(command, state);
      case 'RetireApprovalPolicy':
        return retireApprovalPolicy(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ApprovalPolicyDefined':
        return { ...state, active: [...state.active, event.data] };
      case 'ApprovalPolicyRetired':
        return {
          active: state.active.filter((policy) => policy.policyId !== event.data.policyId),
          retiredIds: [...state.retiredIds, event.data.policyId],
        };
    }
  },
};

function defineApprovalPolicy(
  command: DefineApprovalPolicy,
  state: ApprovalPolicyState,
): ApprovalPolicyEvent[] {
  const data = validatedPolicy(command);
  if (isKnownPolicy(state, command.policyId))
    throw new ConflictError(`Approval policy ${command.policyId} already exists`);
  return [{ type: 'ApprovalPolicyDefined', data }];
}

function retireApprovalPolicy(
  command: RetireApprovalPolicy,
  state: ApprovalPolicyState,
): ApprovalPolicyEvent[] {
  if (state.retiredIds.includes(command.policyId))
    throw new ConflictError(`Approval policy ${command.policyId} is already retired`);
  if (!state.active.some((policy) => policy.policyId === command.policyId)) {
    throw new NotFoundError(`Approval policy ${command.policyId} not found`);
  }
  if (command.reason !== undefined && command.reason.length > retireReasonLengthMax) {
    throw new ValidationError('Reason too long', [
      { field: 'reason', message: `at most ${retireReasonLengthMax} characters` },
    ]);
  }
  const reason = command.reason?.trim();
  return [
    {
      type: 'ApprovalPolicyRetired',
      data: { policyId: command.policyId, book: command.book, ...(reason ? { reason } : {}) },
    },
  ];
}

function isKnownPolicy(state: ApprovalPolicyState, policyId: string): boolean {
  return (
    state.retiredIds.includes(policyId) ||
    state.active.some((policy) => policy.policyId === policyId)
  );
}

/** Checks every field and reports all problems at once; returns the event data on success. */
function validatedPolicy(command: DefineApprovalPolicy): ApprovalPolicyDefinedData {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  if (
    typeof command.policyId !== 'string' ||
    command.policyId.length === 0 ||
    command.policyId.length > policyIdLengthMax
  ) {
    fail('policyId', `must be 1 to ${policyIdLengthMax} characters`);
  }
  const name = typeof command.name === 'string' ? command.name.trim() : '';
  if (name.length === 0 || name.length > policyNameLengthMax)
    fail('name', `must be 1 to ${policyNameLengthMax} characters`);
  if (!isGatedAction(command.action)) fail('action', `must be one of ${gatedActions.join(', ')}`);
  validateSteps(command.steps, fail);
  if (command.expiresAfter !== undefined) {
    const problem = durationProblem(command.expiresAfter);
    if (problem) fail('expiresAfter', problem);
  }
  const condition = isGatedAction(command.action)
    ? validatedCondition(command, command.action, fail)
    : undefined;

  if (errors.length > 0) throw new ValidationError('Invalid approval policy', errors);
  return {
    policyId: command.policyId,
    book: command.book,
    name,
    action: command.action as GatedAction,
    ...(condition ? { condition } : {}),
    steps: command.steps.map((step) => ({
      role: step.role as ApprovalPolicyDefinedData['steps'][number]['role'],
      approvals: step.approvals,
    })),
    ...(command.expiresAfter !== undefined ? { expiresAfter: command.expiresAfter } : {}),
  };
}

function validateSteps(
  steps: DefineApprovalPolicy['steps'],
  fail: (field: string, message: string) => void,
): void {
  if (!Array.isArray(steps) || steps.length === 0 || steps.length > policyStepsMax) {
    fail('steps', `must hold 1 to ${policyStepsMax} steps`);
    return;
  }
  steps.forEach((step, index) => {
    if (typeof step?.role !== 'string' || !isRole(step.role))
      fail(`steps[${index}].role`, 'must be a known role');
    if (
      !Number.isInteger(step?.approvals) ||
      step.approvals < 1 ||
      step.approvals > stepApprovalsMax
    ) {
      fail(`steps[${index}].approvals`, `must be an integer from 1 to ${stepApprovalsMax}`);
    }
  });
}

function validatedCondition(
  command: DefineApprovalPolicy,
  action: GatedAction,
  fail: (field: string, message: string) => void,
): ApprovalPolicyCondition | undefined {
  const input = command.condition;
  if (input === undefined) return undefined;
  const allowed = conditionPartsByAction[action];
  for (const part of ['minAmount', 'currency', 'accounts'] as const) {
    if (input[part] !== undefined && !allowed.includes(part))
      fail(`condition.${part}`, `does not apply to ${action}`);
  }
  const condition: ApprovalPolicyCondition = {};
  if (input.currency !== undefined) {
    if (typeof input.currency === 'string' && isCurrency(input.currency))
      condition.currency = input.currency;
    else fail('condition.currency', 'must be an ISO 4217 currency code');
  }
  if (input.minAmount !== undefined) {
    if (input.currency === undefined) fail('condition.currency', 'is required with minAmount');
    else if (condition.currency !== undefined) {
      const minAmountMinor = parsedAmount(input.minAmount, condition.currency, fail);
      if (minAmountMinor === 0n) fail('condition.minAmount', 'must be greater than zero');
      else if (minAmountMinor !== undefined) condition.minAmountMinor = minAmountMinor.toString();
    }
  }
  if (input.accounts !== undefined) {
    const accounts = validatedAccounts(input.accounts, fail);
    if (accounts) condition.accounts = accounts;
  }
  return Object.keys(condition).length > 0 ? condition : undefined;
}

function parsedAmount(
  text: string,
  currency: string,
  fail: (field: string, message: string) => void,
): bigint | undefined {
  try {
    return parseAmount(text, currency, 'condition.minAmount');
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    for (const fieldError of error.fieldErrors ?? []) fail(fieldError.field, fieldError.message);
    return undefined;
  }
}

function validatedAccounts(
  accounts: unknown,
  fail: (field: string, message: string) => void,
): string[] | undefined {
  const valid =
    Array.isArray(accounts) &&
    accounts.length > 0 &&
    accounts.length <= conditionAccountsMax &&
    accounts.every(
      (code) => typeof code === 'string' && code.length > 0 && code.length <= accountCodeLengthMax,
    );
  if (!valid) {
    fail('condition.accounts', `must list 1 to ${conditionAccountsMax} account codes`);
    return undefined;
  }
  return [...new Set(accounts as string[])];
}
