/**
 * What the book worker suites (test/integration/book-worker-*.int-spec.ts) share: the stores they
 * run on (SQLite and PostgreSQL, several instances on one database) and the commands they send.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, newId } from '../../src/event-sourcing/index.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import {
  BookWorker,
  BookWorkerSettings,
  bookWorkerSettingsDefault,
} from '../../src/ledger/application/book-worker.js';
import {
  BookCommand,
  BookState,
  PostJournalEntry,
  toBookSnapshot,
} from '../../src/ledger/index.js';
import { createTestSchema } from './postgres.js';

/** Opens stores on one database: several instances of one "Kontor" (or a restart) share it. */
export interface StoreHarness {
  open(): Promise<EventStore>;
  cleanUp(): Promise<void>;
}

async function sqliteHarness(): Promise<StoreHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'kontor-book-worker-'));
  const opened: EventStore[] = [];
  return {
    open: async () => {
      const store = await SqliteEventStore.open(join(dir, 'events.db'));
      opened.push(store);
      return store;
    },
    cleanUp: async () => {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresHarness(): Promise<StoreHarness> {
  const schema = await createTestSchema();
  const opened: EventStore[] = [];
  return {
    open: async () => {
      const store = await PostgresEventStore.connect(schema.url);
      opened.push(store);
      return store;
    },
    cleanUp: async () => {
      for (const store of opened) await store.close();
      await schema.drop();
    },
  };
}

export const harnesses: [string, () => Promise<StoreHarness>][] = [
  ['sqlite', sqliteHarness],
  ['postgres', postgresHarness],
];

const actor = { id: 'key_test', name: 'Test Accountant' };

export function meta(commandId: string = newId()) {
  return { actor, correlationId: `corr-${commandId}`, commandId };
}

export function rent(bookId: string, overrides: Partial<PostJournalEntry> = {}): PostJournalEntry {
  return {
    type: 'PostJournalEntry',
    bookId,
    entryId: newId(),
    effectiveDate: '2026-03-31',
    description: 'Office rent',
    lines: [
      { account: '6310', debit: '100.00' },
      { account: '1200', credit: '100.00' },
    ],
    ...overrides,
  };
}

export const setUpCommands = (bookId: string): BookCommand[] => [
  { type: 'OpenBook', bookId, name: 'ACME GmbH', baseCurrency: 'EUR' },
  { type: 'OpenAccount', bookId, code: '1200', name: 'Bank', accountType: 'asset' },
  { type: 'OpenAccount', bookId, code: '6310', name: 'Rent', accountType: 'expense' },
];

export async function openBook(worker: BookWorker): Promise<void> {
  for (const command of setUpCommands(worker.bookId)) await worker.execute(command, meta());
}

export function settings(overrides: Partial<BookWorkerSettings> = {}): BookWorkerSettings {
  return { ...bookWorkerSettingsDefault, ...overrides };
}

export const snapshotOf = (worker: BookWorker) =>
  worker.inspect((state: BookState) => toBookSnapshot(state));

/**
 * Before each test of the describe block it is called in: a fresh harness and a store opened on
 * it, handed to `opened`; the harness is cleaned up after the test.
 */
export function freshStoreEachTest(
  makeHarness: () => Promise<StoreHarness>,
  opened: (harness: StoreHarness, store: EventStore) => void,
): void {
  let harness: StoreHarness;

  beforeEach(async () => {
    harness = await makeHarness();
    opened(harness, await harness.open());
  });

  afterEach(async () => {
    await harness.cleanUp();
  });
}
