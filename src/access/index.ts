/** The access module's public surface: API keys, roles, permissions and the route decorators. */
export { AccessModule } from './access.module.js';
export {
  CurrentActor,
  Public,
  RequestContext,
  RequirePermission,
  bearerSchemeName,
  canAccessBook,
} from './api/access.decorators.js';
export type {
  AuthenticatedActor,
  KontorRequest,
  RequestContextValue,
} from './api/access.decorators.js';
export { UnauthorizedError } from './api/auth.guard.js';
export { ApiKeyRegistry } from './application/api-key-registry.js';
export type { ApiKeyListing } from './application/api-key-registry.js';
export { ApiKeyService } from './application/api-key.service.js';
export type {
  CommandMetadata,
  IssueApiKeyInput,
  IssuedApiKey,
} from './application/api-key.service.js';
export { adminKeyFileName, bootstrapActor } from './application/bootstrap-admin-key.js';
export { generateApiKey, hashApiKey } from './application/api-key-secrets.js';
export { apiKeyEventTypes, apiKeysStreamId } from './domain/api-key.events.js';
export type { ApiKeyEvent, ApiKeyIssued, ApiKeyRevoked } from './domain/api-key.events.js';
export { isRole, permissions, rolePermissions, roles, rolesGrant } from './domain/permissions.js';
export type { Permission, Role } from './domain/permissions.js';
export { apiKeyEventSchemas } from './domain/api-key.schemas.js';
export { issueKeyOffline } from './application/issue-key-offline.js';
export { copyKeyPepper, loadKeyPepper } from './application/key-pepper.js';
