import { EventSchema } from '../../event-sourcing/index.js';
import { ApiKeyEvent } from './api-key.events.js';
import { roles } from './permissions.js';

export const apiKeyEventSchemas: readonly (EventSchema & { type: ApiKeyEvent['type'] })[] = [
  {
    type: 'ApiKeyIssued',
    schemaVersion: 1,
    description:
      'An API key was issued (written until v2): the unkeyed sha256 of its secret is stored.',
    schema: {
      type: 'object',
      required: ['keyId', 'name', 'roles', 'keyHash'],
      additionalProperties: false,
      properties: {
        keyId: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        roles: { type: 'array', items: { enum: [...roles] }, minItems: 1 },
        books: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
  {
    type: 'ApiKeyIssued',
    schemaVersion: 2,
    description:
      'An API key was issued; only a verifier keyed with a server secret outside the log (HMAC-SHA256) is stored.',
    schema: {
      type: 'object',
      required: ['keyId', 'name', 'roles', 'keyVerifier'],
      additionalProperties: false,
      properties: {
        keyId: { type: 'string', minLength: 1 },
        name: { type: 'string', minLength: 1 },
        roles: { type: 'array', items: { enum: [...roles] }, minItems: 1 },
        books: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
        keyVerifier: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
  {
    type: 'ApiKeyRevoked',
    schemaVersion: 1,
    description: 'An API key was revoked: it is refused from now on.',
    schema: {
      type: 'object',
      required: ['keyId'],
      additionalProperties: false,
      properties: { keyId: { type: 'string', minLength: 1 } },
    },
  },
];
