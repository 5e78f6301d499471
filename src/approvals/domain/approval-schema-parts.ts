import { roles } from '../../access/index.js';
import { gatedActions } from './gated-action.js';

/** JSON Schema pieces shared by the approvals module's event schemas. */
export const nonEmptyString = { type: 'string', minLength: 1 };
export const isoTime = { type: 'string', format: 'date-time' };
export const role = { enum: [...roles] };
export const gatedAction = { enum: [...gatedActions] };
export const keyHolder = {
  type: 'object',
  required: ['keyId', 'name'],
  additionalProperties: false,
  properties: { keyId: nonEmptyString, name: nonEmptyString },
};
export const approvalStep = {
  type: 'object',
  required: ['role', 'approvals'],
  additionalProperties: false,
  properties: { role, approvals: { type: 'integer', minimum: 1 } },
};
export const minorUnits = { type: 'string', pattern: '^[0-9]+$' };
