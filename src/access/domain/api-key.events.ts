import { DomainEvent } from '../../event-sourcing/index.js';
import { Role } from './permissions.js';

/** All API keys live on one stream: the registry is small and read whole at boot. */
export const apiKeysStreamId = 'api-keys';

interface ApiKeyIssuedFields {
  keyId: string;
  name: string;
  roles: Role[];
  books?: string[];
}

/**
 * v2 (written now): `keyVerifier`, HMAC-SHA256 hex of the secret under the store's pepper (an ops
 * table, never the log: docs/adr/0007), useless for guessing the key offline. v1 (older
 * events, immutable): `keyHash`, the unkeyed sha256 hex. The secret itself is never stored.
 */
export type ApiKeyIssued =
  | (DomainEvent<'ApiKeyIssued', ApiKeyIssuedFields & { keyVerifier: string }> & {
      schemaVersion: 2;
    })
  | (DomainEvent<'ApiKeyIssued', ApiKeyIssuedFields & { keyHash: string }> & {
      schemaVersion?: 1;
    });
export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', { keyId: string }>;

export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

export const apiKeyEventTypes: readonly ApiKeyEvent['type'][] = ['ApiKeyIssued', 'ApiKeyRevoked'];
