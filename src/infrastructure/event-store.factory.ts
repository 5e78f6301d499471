import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KontorConfig } from '../config.js';
import { EventStore } from '../event-sourcing/index.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store.js';

/** Opens the configured event store (server and CLI alike). */
export async function openEventStore(config: KontorConfig): Promise<EventStore> {
  switch (config.store) {
    case 'sqlite':
      mkdirSync(config.dataDir, { recursive: true });
      return SqliteEventStore.open(join(config.dataDir, 'events.db'), { readOnly: config.readOnly });
    case 'postgres':
      return PostgresEventStore.connect(config.databaseUrl!);
    case 'kurrentdb':
      return KurrentDbEventStore.connect(config.kurrentdbUrl!);
  }
}
