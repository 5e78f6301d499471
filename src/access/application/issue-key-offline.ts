import { userInfo } from 'node:os';
import { EventStore, newId } from '../../event-sourcing/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { loadKeyPepper } from './key-pepper.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { ApiKeyService, IssueApiKeyInput, IssuedApiKey } from './api-key.service.js';

/** `kontor keys create`: issues a key straight against the store, as the operator at the console. */
export async function issueKeyOffline(
  store: EventStore,
  opsDb: SqlDatabase,
  input: IssueApiKeyInput,
): Promise<IssuedApiKey> {
  const registry = new ApiKeyRegistry(store, await loadKeyPepper(opsDb, { create: true }));
  const service = new ApiKeyService(store, registry);
  const actor = { id: 'cli', name: `kontor keys create (${operatorName()})` };
  return service.issue(input, { actor, correlationId: newId(), commandId: newId() });
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}
