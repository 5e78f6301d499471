import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KontorConfig } from '../config.js';
import { EventStore } from '../event-sourcing/index.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store.js';

/** The store could not be opened: one clear line for the operator, no stack. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

/**
 * Opens the configured event store (server and CLI alike). A failure (unreachable or refusing
 * server, PostgreSQL connect timeout, unreadable data dir) is a StoreUnavailableError naming
 * the store, where it is (password redacted) and the first line of the reason.
 */
export async function openEventStore(config: KontorConfig): Promise<EventStore> {
  try {
    return await openConfiguredStore(config);
  } catch (error) {
    const where =
      config.store === 'sqlite'
        ? config.dataDir
        : redactUrl(config.databaseUrl ?? config.kurrentdbUrl ?? '');
    throw new StoreUnavailableError(
      `cannot open the ${config.store} event store at ${where}: ${reasonOf(error)}`,
    );
  }
}

function openConfiguredStore(config: KontorConfig): Promise<EventStore> {
  switch (config.store) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return SqliteEventStore.open(join(config.dataDir, 'events.db'), {
        readOnly: config.readOnly,
      });
    case 'postgres':
      return PostgresEventStore.connect(config.databaseUrl!, {
        connectTimeoutMilliseconds: config.dbConnectTimeoutMilliseconds,
      });
    case 'kurrentdb':
      return KurrentDbEventStore.connect(config.kurrentdbUrl!);
  }
}

/** The first line of the message; a connection error without one (AggregateError) by its code. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nested =
    error instanceof AggregateError
      ? error.errors.find((inner): inner is Error => inner instanceof Error)
      : undefined;
  const code =
    (error as { code?: unknown }).code ?? (nested as { code?: unknown } | undefined)?.code;
  const message =
    error.message || nested?.message || (typeof code === 'string' ? code : error.name);
  return message.split('\n')[0]!;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
