import { DomainEvent } from '../../event-sourcing/index.js';
import { Role } from './permissions.js';

/** All API keys live on one stream: the registry is small and read whole at boot. */
export const apiKeysStreamId = 'api-keys';

/** `keyHash`: sha256 hex of the secret. The secret itself is never stored. */
export type ApiKeyIssued = DomainEvent<
  'ApiKeyIssued',
  { keyId: string; name: string; roles: Role[]; books?: string[]; keyHash: string }
>;
export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', { keyId: string }>;

export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

export const apiKeyEventTypes: readonly ApiKeyEvent['type'][] = ['ApiKeyIssued', 'ApiKeyRevoked'];
