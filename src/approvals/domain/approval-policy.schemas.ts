import { EventSchema } from '../../event-sourcing/index.js';
import { approvalStep, gatedAction, minorUnits, nonEmptyString } from './approval-schema-parts.js';
import { ApprovalPolicyEvent } from './approval-policy.events.js';

export const approvalPolicyEventSchemas: readonly (EventSchema & {
  type: ApprovalPolicyEvent['type'];
})[] = [
  {
    type: 'ApprovalPolicyDefined',
    schemaVersion: 1,
    description: 'A book got an approval policy: matching actions wait for the listed approvals.',
    schema: {
      type: 'object',
      required: ['policyId', 'book', 'name', 'action', 'steps'],
      additionalProperties: false,
      properties: {
        policyId: nonEmptyString,
        book: nonEmptyString,
        name: nonEmptyString,
        action: gatedAction,
        condition: {
          type: 'object',
          additionalProperties: false,
          properties: {
            minAmountMinor: minorUnits,
            currency: { type: 'string', pattern: '^[A-Z]{3}$' },
            accounts: { type: 'array', items: nonEmptyString },
          },
        },
        steps: { type: 'array', items: approvalStep, minItems: 1 },
        expiresAfter: { type: 'string', pattern: '^P' },
      },
    },
  },
  {
    type: 'ApprovalPolicyRetired',
    schemaVersion: 1,
    description: 'An approval policy was retired (it stays in the history).',
    schema: {
      type: 'object',
      required: ['policyId', 'book'],
      additionalProperties: false,
      properties: { policyId: nonEmptyString, book: nonEmptyString, reason: { type: 'string' } },
    },
  },
];
