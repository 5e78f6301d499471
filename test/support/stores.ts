/**
 * An event store and its read-model database, fresh for each test, on either backend as Kontor
 * runs them: SQLite (events.db and readmodels.db in a new temp dir) or PostgreSQL (one new schema
 * holding the log and the read models).
 *
 *   describe.each(storeBackends)('… on %s', (backend) => {
 *     let stores: TestStores;
 *     beforeEach(async () => (stores = await openStores(backend, { clock })));
 *     afterEach(() => stores.dispose());
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, EventStore } from '../../src/event-sourcing/index.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import {
  PostgresDatabase,
  SqlDatabase,
  SqliteDatabase,
} from '../../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { createTestSchema } from './postgres.js';

export const storeBackends = ['sqlite', 'postgres'] as const;
export type StoreBackend = (typeof storeBackends)[number];

export interface TestStores {
  store: EventStore;
  /** The read-model database, open. */
  db: SqlDatabase;
  /** Another connection to the same read-model database (a restarted process, a second instance). */
  openDb(): SqlDatabase;
  /** Closes every database connection opened here and the store, then removes the storage. */
  dispose(): Promise<void>;
}

export interface TestStoresOptions {
  /** Stamps recordedAt of appended events. */
  clock?: Clock;
}

export async function openStores(
  backend: StoreBackend,
  options: TestStoresOptions = {},
): Promise<TestStores> {
  const storage =
    backend === 'sqlite' ? await sqliteStorage(options) : await postgresStorage(options);
  const opened: SqlDatabase[] = [];
  const openDb = () => {
    const db = storage.openDb();
    opened.push(db);
    return db;
  };
  return {
    store: storage.store,
    db: openDb(),
    openDb,
    dispose: async () => {
      await Promise.all(opened.map((db) => db.close()));
      await storage.store.close();
      await storage.remove();
    },
  };
}

interface Storage {
  store: EventStore;
  openDb(): SqlDatabase;
  remove(): Promise<void>;
}

async function sqliteStorage(options: TestStoresOptions): Promise<Storage> {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-stores-'));
  return {
    store: await SqliteEventStore.open(join(dir, 'events.db'), options),
    openDb: () => SqliteDatabase.open(join(dir, 'readmodels.db')),
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresStorage(options: TestStoresOptions): Promise<Storage> {
  const schema = await createTestSchema();
  return {
    store: await PostgresEventStore.connect(schema.url, options),
    openDb: () => PostgresDatabase.connect(schema.url),
    remove: () => schema.drop(),
  };
}
