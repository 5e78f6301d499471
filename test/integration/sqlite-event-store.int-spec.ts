import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  ConflictError,
  EventStore,
  ForbiddenError,
  ManualClock,
  subscribeToAll,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { DatabaseStoreHarness, describeDatabaseImmutabilityContract, describeEventStoreContract, newEvent } from './event-store.contract.js';

interface SqliteHarness extends DatabaseStoreHarness {
  file: string;
  reopen: () => Promise<EventStore>;
  openAnother: () => Promise<EventStore>;
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
  const harness: SqliteHarness = {
    file,
    store: await open(),
    reopen: async () => {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    openAnother: open,
    rawUpdate: (position) => raw(`UPDATE events SET data = '{"changed":true}' WHERE position = ?`, position),
    rawDelete: (position) => raw('DELETE FROM events WHERE position = ?', position),
    tamper: async (position) => {
      const db = new Database(file);
      try {
        db.exec('DROP TRIGGER events_reject_update');
        db.prepare(`UPDATE events SET data = json_set(data, '$.tampered', 1) WHERE position = ?`).run(position);
      } finally {
        db.close();
      }
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

describeEventStoreContract('sqlite', sqliteHarness);
describeDatabaseImmutabilityContract('sqlite', sqliteHarness);

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
      const migrations = db.prepare("SELECT version FROM schema_migrations WHERE component = 'event-store'").all();
      expect(migrations).toEqual([{ version: 1 }]);
    } finally {
      db.close();
    }
  });

  describe('group commit', () => {
    it('coalesces appends issued together into one transaction', async () => {
      const before = store.groupCommitStats();
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => store.append(`stream-${index}`, [newEvent()])));

      expect(store.groupCommitStats()).toEqual({
        transactions: before.transactions + 1,
        appends: before.appends + 50,
        events: before.events + 50,
      });
      expect(results.map((result) => result.lastPosition)).toEqual(results.map((_, index) => BigInt(index + 1)));
    });

    it('decides appends of one batch in call order, each seeing the ones before it', async () => {
      const first = store.append('book-1', [newEvent()], { expectedRevision: 'no_stream' });
      const second = store.append('book-1', [newEvent()], { expectedRevision: 0 });
      const stale = store.append('book-1', [newEvent()], { expectedRevision: 0 });
      const duplicateEvent = newEvent();
      const original = store.append('book-2', [duplicateEvent]);
      const retry = store.append('book-2', [duplicateEvent], { expectedRevision: 'no_stream' });
      const elsewhere = store.append('book-3', [duplicateEvent]);

      await expect(first).resolves.toMatchObject({ lastRevision: 0, positions: [1n] });
      await expect(second).resolves.toMatchObject({ lastRevision: 1, positions: [2n] });
      await expect(stale).rejects.toThrow(WrongExpectedRevisionError);
      await expect(original).resolves.toMatchObject({ lastRevision: 0, positions: [3n] });
      await expect(retry).resolves.toEqual(await original);
      await expect(elsewhere).rejects.toThrow(ConflictError);
      expect(store.groupCommitStats().transactions).toBe(1);
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 3 });
    });

    it('stamps recordedAt from the injected clock at commit', async () => {
      const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
      const clocked = await SqliteEventStore.open(join(harness.file, '..', 'clocked.db'), { clock });
      try {
        const pending = clocked.append('s', [newEvent()]);
        clock.set('2026-03-01T10:00:05.000Z');
        await pending;
        const [event] = await clocked.readStream('s');
        expect(event!.recordedAt).toBe('2026-03-01T10:00:05.000Z');
      } finally {
        await clocked.close();
      }
    });

    it('commits what is queued when closed', async () => {
      const pending = store.append('s', [newEvent(), newEvent()]);
      await store.close();
      await expect(pending).resolves.toMatchObject({ lastPosition: 2n });
      const reopened = await harness.reopen();
      expect(await reopened.headPosition()).toBe(2n);
    });
  });

  it('keeps one chain when two connections write the same file in turns', async () => {
    const other = (await harness.openAnother()) as SqliteEventStore;
    for (let revision = 0; revision < 10; revision += 1) {
      const writer = revision % 2 === 0 ? store : other;
      await writer.append('shared', [newEvent()], { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 });
    }
    await expect(other.append('shared', [newEvent()], { expectedRevision: 3 })).rejects.toThrow(WrongExpectedRevisionError);

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
      await expect(readOnly.loadSnapshot('s')).resolves.toMatchObject({ revision: 1, state: { n: 2 } });
    });

    it('refuses appends and snapshots as forbidden', async () => {
      await expect(readOnly.append('s', [newEvent()])).rejects.toThrow(new ForbiddenError('store is read-only'));
      await expect(readOnly.saveSnapshot({ streamId: 's', revision: 2, state: {} })).rejects.toThrow(ForbiddenError);
      expect(await readOnly.headPosition()).toBe(2n);
    });

    it('refuses to open a store that does not exist', async () => {
      await expect(SqliteEventStore.open(join(harness.file, '..', 'missing.db'), { readOnly: true })).rejects.toThrow(/no event store/);
    });
  });

  it('keeps the newest snapshot when an older one is saved late', async () => {
    await store.saveSnapshot({ streamId: 's', revision: 9, state: { newest: true } });
    await store.saveSnapshot({ streamId: 's', revision: 4, state: { newest: false } });
    await expect(store.loadSnapshot('s')).resolves.toEqual({ streamId: 's', revision: 9, state: { newest: true } });
  });

  it('reports a deleted event as the first broken position', async () => {
    await store.append('s', [newEvent(), newEvent(), newEvent(), newEvent()]);
    const db = new Database(harness.file);
    try {
      db.exec('DROP TRIGGER events_reject_delete');
      db.prepare('DELETE FROM events WHERE position = 2').run();
    } finally {
      db.close();
    }
    await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBrokenPosition: 2n, checkedEvents: 1 });
  });

  it.each([
    ['rewritten to non-canonical JSON with the same values', `' ' || data`, /rewritten/],
    ['replaced by text that is not JSON', `'{"oops"'`, /not valid JSON/],
  ])('reports data %s as broken (verify hashes the stored text)', async (_, newData, reason) => {
    await store.append('s', [newEvent(), newEvent(), newEvent()]);
    const db = new Database(harness.file);
    try {
      db.exec('DROP TRIGGER events_reject_update');
      db.prepare(`UPDATE events SET data = ${newData} WHERE position = 2`).run();
    } finally {
      db.close();
    }
    await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBrokenPosition: 2n, checkedEvents: 1, reason: expect.stringMatching(reason) });
  });

  it('reports progress while verifying a long log in batches', async () => {
    for (let index = 0; index < 12; index += 1) {
      await store.append(`s-${index}`, Array.from({ length: 1000 }, () => newEvent()));
    }
    const progress: bigint[] = [];
    const result = await store.verify({ onProgress: (position) => progress.push(position) });
    expect(result).toMatchObject({ ok: true, checkedEvents: 12_000, headPosition: 12_000n });
    expect(progress).toEqual([5_000n, 10_000n, 12_000n]);
  });
});
