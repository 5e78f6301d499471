import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WrongExpectedRevisionError, newId } from '../../event-sourcing/index.js';
import { ApiKeyRegistry } from './api-key-registry.js';
import { ApiKeyService } from './api-key.service.js';

export const adminKeyFileName = 'admin.key';
export const bootstrapActor = { id: 'system', name: 'bootstrap' };

export interface BootstrapSettings {
  dataDir: string;
  /** KONTOR_ADMIN_KEY (validated by loadConfig: 32 characters or more). */
  adminKey?: string;
  /** Where the generated key is shown once (stdout). */
  print: (line: string) => void;
}

export type BootstrapOutcome =
  'existing-keys' | 'registered-given-key' | 'generated-key' | 'other-instance-won';

/**
 * First start on an empty store: registers the admin key. A generated key is printed once and
 * written to `<dataDir>/admin.key` (mode 0600); only its hash is stored. When several instances
 * start at once, the append with `no_stream` lets exactly one of them register its key.
 */
export async function bootstrapAdminKey(
  registry: ApiKeyRegistry,
  service: ApiKeyService,
  settings: BootstrapSettings,
): Promise<BootstrapOutcome> {
  await registry.catchUp();
  if (registry.hasAnyKey()) return 'existing-keys';
  const metadata = { actor: bootstrapActor, correlationId: newId(), commandId: newId() };
  let issued;
  try {
    issued = await service.issue({ name: 'admin', roles: ['admin'] }, metadata, {
      ...(settings.adminKey ? { secret: settings.adminKey } : {}),
      expectedRevision: 'no_stream',
    });
  } catch (error) {
    // Another instance registered first: the append lost on `no_stream`, or — when the registry
    // had already caught up with that key (the same KONTOR_ADMIN_KEY) — the decider refused it.
    await registry.catchUp();
    if (error instanceof WrongExpectedRevisionError || registry.hasAnyKey())
      return 'other-instance-won';
    throw error;
  }
  if (settings.adminKey) return 'registered-given-key';
  const path = writeAdminKeyFile(settings.dataDir, issued.key);
  settings.print(`Kontor admin API key (shown once, also written to ${path}): ${issued.key}`);
  return 'generated-key';
}

function writeAdminKeyFile(dataDir: string, key: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, adminKeyFileName);
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
