import { EventSchema } from '../../event-sourcing/index.js';
import { isoTime, keyHolder, nonEmptyString, role } from './approval-schema-parts.js';
import { ApprovalDelegationEvent } from './approval-delegation.events.js';

export const approvalDelegationEventSchemas: readonly (EventSchema & {
  type: ApprovalDelegationEvent['type'];
})[] = [
  {
    type: 'ApprovalDelegated',
    schemaVersion: 1,
    description: 'A person delegated one of their approval roles to another for a time window.',
    schema: {
      type: 'object',
      required: [
        'delegationId',
        'fromKeyId',
        'fromName',
        'toKeyId',
        'toName',
        'role',
        'from',
        'until',
        'at',
      ],
      additionalProperties: false,
      properties: {
        delegationId: nonEmptyString,
        fromKeyId: nonEmptyString,
        fromName: nonEmptyString,
        toKeyId: nonEmptyString,
        toName: nonEmptyString,
        role,
        from: isoTime,
        until: isoTime,
        at: isoTime,
      },
    },
  },
  {
    type: 'ApprovalDelegationRevoked',
    schemaVersion: 1,
    description: 'A delegation was revoked before its window ended.',
    schema: {
      type: 'object',
      required: ['delegationId', 'revokedBy', 'at'],
      additionalProperties: false,
      properties: {
        delegationId: nonEmptyString,
        revokedBy: keyHolder,
        reason: { type: 'string' },
        at: isoTime,
      },
    },
  },
];
