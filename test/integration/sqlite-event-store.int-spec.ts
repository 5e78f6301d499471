import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  EventStore,
  ForbiddenError,
  subscribeToAll,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { DatabaseStoreHarness, newEvent } from '../support/event-store-harness.js';
import {
  describeDatabaseImmutabilityContract,
  describeDatabaseStoreContract,
} from './event-store-database.contract.js';
import { describeEventStoreContract } from './event-store.contract.js';

interface SqliteHarness extends DatabaseStoreHarness {
  file: string;
}

async function sqliteHarness(): Promise<SqliteHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-sqlite-store-'));
  const file = join(dir, 'events.db');
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await SqliteEventStore.open(file);
    opened.push(store);
    return store;
  };
  const raw = async (sql: string, position: bigint) => {
    const db = new Database(file);
    try {
      db.prepare(sql).run(position);
    } finally {
      db.close();
    }
  };
  /** Drops the immutability `trigger` and runs `sql` on the event at `position`, as an attacker with file access could. */
  const unguarded = async (trigger: string, sql: string, position: bigint) => {
    const db = new Database(file);
    try {
      db.exec(`DROP TRIGGER ${trigger}`);
      db.prepare(sql).run(position);
    } finally {
      db.close();
    }
  };
  const harness: SqliteHarness = {
    file,
    store: await open(),
    reopen: async () => {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    openAnother: open,
    rawUpdate: (position) =>
      raw(`UPDATE events SET data = '{"changed":true}' WHERE position = ?`, position),
    rawDelete: (position) => raw('DELETE FROM events WHERE position = ?', position),
    tamper: (position) =>
      unguarded(
        'events_reject_update',
        `UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE position = ?`,
        position,
      ),
    forceDelete: (position) =>
      unguarded('events_reject_delete', 'DELETE FROM events WHERE position = ?', position),
    reformatData: (position) =>
      unguarded(
        'events_reject_update',
        `UPDATE events SET data = ' ' || data WHERE position = ?`,
        position,
      ),
    openWithClock: (clock) => SqliteEventStore.open(join(dir, 'clocked.db'), { clock }),
    cleanup: async () => {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

describeEventStoreContract('sqlite', sqliteHarness);
describeDatabaseImmutabilityContract('sqlite', sqliteHarness);
describeDatabaseStoreContract('sqlite', sqliteHarness);

describe('SqliteEventStore', () => {
  let harness: SqliteHarness;
  let store: SqliteEventStore;

  beforeEach(async () => {
    harness = await sqliteHarness();
    store = harness.store as SqliteEventStore;
  });

  afterEach(async () => {
    await harness.cleanup();
  });

  it('runs in WAL mode with the schema migrated once', async () => {
    await harness.reopen();
    const db = new Database(harness.file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const migrations = db
        .prepare("SELECT version FROM schema_migrations WHERE component = 'event-store'")
        .all();
      expect(migrations).toEqual([{ version: 1 }]);
    } finally {
      db.close();
    }
  });

  it('keeps one chain when two connections write the same file in turns', async () => {
    const other = (await harness.openAnother()) as SqliteEventStore;
    for (let revision = 0; revision < 10; revision += 1) {
      const writer = revision % 2 === 0 ? store : other;
      await writer.append('shared', [newEvent()], {
        expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
      });
    }
    await expect(other.append('shared', [newEvent()], { expectedRevision: 3 })).rejects.toThrow(
      WrongExpectedRevisionError,
    );

    await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 10 });
    await expect(other.digest()).resolves.toEqual(await store.digest());
  });

  it('wakes subscribers of every instance on the same file in this process', async () => {
    const other = await harness.openAnother();
    const abort = new AbortController();
    const received = (async () => {
      for await (const event of subscribeToAll(store, { signal: abort.signal })) {
        abort.abort();
        return event.position;
      }
      return undefined;
    })();

    await other.append('s', [newEvent()]);

    await expect(received).resolves.toBe(1n);
  });

  describe('read-only', () => {
    let readOnly: SqliteEventStore;

    beforeEach(async () => {
      await store.append('s', [newEvent(), newEvent()]);
      await store.saveSnapshot({ streamId: 's', revision: 1, state: { n: 2 } });
      await store.close();
      readOnly = await SqliteEventStore.open(harness.file, { readOnly: true });
    });

    afterEach(async () => {
      await readOnly.close();
    });

    it('reads, verifies and loads snapshots', async () => {
      expect(await readOnly.readStream('s')).toHaveLength(2);
      await expect(readOnly.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 2 });
      await expect(readOnly.loadSnapshot('s')).resolves.toMatchObject({
        revision: 1,
        state: { n: 2 },
      });
    });

    it('refuses appends and snapshots as forbidden', async () => {
      await expect(readOnly.append('s', [newEvent()])).rejects.toThrow(
        new ForbiddenError('store is read-only'),
      );
      await expect(
        readOnly.saveSnapshot({ streamId: 's', revision: 2, state: {} }),
      ).rejects.toThrow(ForbiddenError);
      expect(await readOnly.headPosition()).toBe(2n);
    });

    it('refuses to open a store that does not exist', async () => {
      await expect(
        SqliteEventStore.open(join(harness.file, '..', 'missing.db'), { readOnly: true }),
      ).rejects.toThrow(/no event store/);
    });
  });

  it('reports data replaced by text that is not JSON as broken (verify hashes the stored text)', async () => {
    await store.append('s', [newEvent(), newEvent(), newEvent()]);
    const db = new Database(harness.file);
    try {
      db.exec('DROP TRIGGER events_reject_update');
      db.prepare(`UPDATE events SET data = '{"oops"' WHERE position = 2`).run();
    } finally {
      db.close();
    }
    await expect(store.verify()).resolves.toMatchObject({
      ok: false,
      firstBrokenPosition: 2n,
      checkedEvents: 1,
      reason: expect.stringMatching(/not valid JSON/),
    });
  });
});
