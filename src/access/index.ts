/**
 * The access module's pure public surface (no NestJS): roles, permissions, the API-key events
 * and schemas. Other modules' domains import it. The Nest wiring (AccessModule, the route
 * decorators, the key registry and service) is reached through access.module.ts.
 */
export { UnauthorizedError } from './domain/access.errors.js';
export { apiKeyEventTypes, apiKeysStreamId } from './domain/api-key.events.js';
export type { ApiKeyEvent, ApiKeyIssued, ApiKeyRevoked } from './domain/api-key.events.js';
export {
  canAccessBook,
  isRole,
  permissions,
  rolePermissions,
  roles,
  rolesGrant,
} from './domain/permissions.js';
export type { Permission, Role } from './domain/permissions.js';
export { personOf, samePerson } from './domain/person.js';
export { apiKeyEventSchemas } from './domain/api-key.schemas.js';
