import { EventSchema } from '../../event-sourcing/index.js';
import {
  approvalStep,
  gatedAction,
  isoTime,
  keyHolder,
  minorUnits,
  nonEmptyString,
  role,
} from './approval-schema-parts.js';
import { ApprovalRequestEvent } from './approval-request.events.js';

function object(required: string[], properties: Record<string, unknown>): Record<string, unknown> {
  return { type: 'object', required, additionalProperties: false, properties };
}

const decision = {
  approvalId: nonEmptyString,
  stepIndex: { type: 'integer', minimum: 0 },
  role,
  by: keyHolder,
  onBehalfOf: keyHolder,
  at: isoTime,
};
const decisionRequired = ['approvalId', 'stepIndex', 'role', 'by', 'at'];

export const approvalRequestEventSchemas: readonly (EventSchema & {
  type: ApprovalRequestEvent['type'];
})[] = [
  {
    type: 'ApprovalRequested',
    schemaVersion: 1,
    description: 'A gated action waits for approval; `payload` is the original command body.',
    schema: object(
      [
        'approvalId',
        'book',
        'action',
        'payload',
        'summary',
        'requestedBy',
        'steps',
        'policyIds',
        'requestedAt',
      ],
      {
        approvalId: nonEmptyString,
        book: nonEmptyString,
        action: gatedAction,
        payload: {},
        summary: object(['debitTotalsMinor', 'accounts'], {
          debitTotalsMinor: { type: 'object', additionalProperties: minorUnits },
          accounts: { type: 'array', items: nonEmptyString },
        }),
        requestedBy: keyHolder,
        steps: { type: 'array', items: approvalStep, minItems: 1 },
        policyIds: { type: 'array', items: nonEmptyString, minItems: 1 },
        requestedAt: isoTime,
        expiresAt: isoTime,
      },
    ),
  },
  {
    type: 'ApprovalGranted',
    schemaVersion: 1,
    description: 'One person approved one step of a request.',
    schema: object(decisionRequired, { ...decision, comment: { type: 'string' } }),
  },
  {
    type: 'ApprovalApproved',
    schemaVersion: 1,
    description: 'Every step is approved: the action runs once.',
    schema: object(['approvalId', 'book', 'action', 'at'], {
      approvalId: nonEmptyString,
      book: nonEmptyString,
      action: gatedAction,
      at: isoTime,
    }),
  },
  {
    type: 'ApprovalRejected',
    schemaVersion: 1,
    description: 'A person rejected the request: it is closed.',
    schema: object([...decisionRequired, 'reason'], { ...decision, reason: nonEmptyString }),
  },
  {
    type: 'ApprovalExpired',
    schemaVersion: 1,
    description: 'The request was not decided before it expired.',
    schema: object(['approvalId', 'expiresAt', 'at'], {
      approvalId: nonEmptyString,
      expiresAt: isoTime,
      at: isoTime,
    }),
  },
  {
    type: 'ApprovalCancelled',
    schemaVersion: 1,
    description: 'The requester withdrew the request.',
    schema: object(['approvalId', 'by', 'at'], {
      approvalId: nonEmptyString,
      by: keyHolder,
      reason: { type: 'string' },
      at: isoTime,
    }),
  },
  {
    type: 'ApprovalExecuted',
    schemaVersion: 1,
    description:
      'The approved action ran; `result` is what it answered (e.g. the posted entry id).',
    schema: object(['approvalId', 'result', 'at'], {
      approvalId: nonEmptyString,
      result: { type: 'object' },
      at: isoTime,
    }),
  },
  {
    type: 'ApprovalExecutionFailed',
    schemaVersion: 1,
    description: 'The approved action was refused when it ran (e.g. the period closed meanwhile).',
    schema: object(['approvalId', 'error', 'at'], {
      approvalId: nonEmptyString,
      error: object(['code', 'detail'], { code: nonEmptyString, detail: { type: 'string' } }),
      at: isoTime,
    }),
  },
];
