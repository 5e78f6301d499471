import { Client } from 'pg';
import {
  ConflictError,
  EventStore,
  ManualClock,
  subscribeToAll,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';
import { DatabaseStoreHarness, describeDatabaseImmutabilityContract, describeEventStoreContract, newEvent } from './event-store.contract.js';

jest.setTimeout(60_000);

interface PostgresHarness extends DatabaseStoreHarness {
  schema: TestSchema;
  sql(statement: string, params?: unknown[]): Promise<void>;
}

async function runSql(url: string, statement: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement, params);
  } finally {
    await client.end();
  }
}

async function postgresHarness(): Promise<PostgresHarness> {
  const schema = await createTestSchema();
  const opened: EventStore[] = [];
  const open = async () => {
    const store = await PostgresEventStore.connect(schema.url);
    opened.push(store);
    return store;
  };
  const sql = (statement: string, params?: unknown[]) => runSql(schema.url, statement, params);
  const harness: PostgresHarness = {
    schema,
    sql,
    store: await open(),
    reopen: async () => {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    openAnother: open,
    rawUpdate: (position) => sql(`UPDATE events SET data = '{"changed":true}' WHERE position = $1`, [position.toString()]),
    rawDelete: (position) => sql('DELETE FROM events WHERE position = $1', [position.toString()]),
    tamper: async (position) => {
      await sql('DROP TRIGGER events_reject_update_delete ON events');
      await sql(`UPDATE events SET data = (data::jsonb || '{"tampered":1}')::json WHERE position = $1`, [position.toString()]);
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      await schema.drop();
    },
  };
  return harness;
}

describeEventStoreContract('postgres', postgresHarness);
describeDatabaseImmutabilityContract('postgres', postgresHarness);

describe('PostgresEventStore', () => {
  let harness: PostgresHarness;
  let store: PostgresEventStore;

  beforeEach(async () => {
    harness = await postgresHarness();
    store = harness.store as PostgresEventStore;
  });

  afterEach(async () => {
    await harness?.cleanup();
  });

  it('migrates once when many instances start on an empty schema at the same time', async () => {
    const fresh = await createTestSchema();
    const instances = await Promise.all(Array.from({ length: 8 }, () => PostgresEventStore.connect(fresh.url, { poolSize: 1 })));
    try {
      await instances[3]!.append('s', [newEvent()]);
      const client = new Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const migrations = await client.query('SELECT version FROM kontor_migrations');
        expect(migrations.rows).toEqual([{ version: 1 }]);
        const tables = await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [fresh.schema]);
        expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toEqual(['events', 'kontor_migrations', 'snapshots']);
      } finally {
        await client.end();
      }
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await fresh.drop();
    }
  });

  it('rejects TRUNCATE of the events table', async () => {
    await store.append('s', [newEvent()]);
    await expect(harness.sql('TRUNCATE events')).rejects.toThrow(/append-only: TRUNCATE rejected/);
    expect(await store.headPosition()).toBe(1n);
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

    it('rejects only the append PostgreSQL refuses when it fails the whole transaction', async () => {
      const good = store.append('good-1', [newEvent()]);
      // schema_version is an integer column: the batch's INSERT fails, then each append is retried alone.
      const bad = store.append('bad', [{ ...newEvent(), schemaVersion: 2 ** 40 }]);
      const alsoGood = store.append('good-2', [newEvent()]);

      await expect(good).resolves.toMatchObject({ positions: [1n] });
      await expect(bad).rejects.toThrow(/out of range for type integer/);
      await expect(alsoGood).resolves.toMatchObject({ positions: [2n] });
      expect(store.groupCommitStats()).toMatchObject({ appends: 2, events: 2 });
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 2 });
    });

    it('refuses text PostgreSQL cannot store before queueing it', async () => {
      await expect(store.append('bad\u0000stream', [newEvent()])).rejects.toThrow(ValidationError);
      await expect(store.append('s', [{ ...newEvent(), type: 'Bad\u0000Type' }])).rejects.toThrow(ValidationError);
      expect(await store.headPosition()).toBe(0n);
    });

    it('stamps recordedAt from the injected clock at commit', async () => {
      const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
      const clocked = await PostgresEventStore.connect(harness.schema.url, { clock });
      try {
        const pending = clocked.append('s', [newEvent()]);
        clock.set('2026-03-01T10:00:05.123Z');
        await pending;
        const [event] = await clocked.readStream('s');
        expect(event!.recordedAt).toBe('2026-03-01T10:00:05.123Z');
        await expect(clocked.verify()).resolves.toMatchObject({ ok: true });
      } finally {
        await clocked.close();
      }
    });

    it('commits what is queued when closed', async () => {
      const pending = store.append('s', [newEvent(), newEvent()]);
      await store.close();
      await expect(pending).resolves.toMatchObject({ lastPosition: 2n });
      await expect(store.append('s', [newEvent()])).rejects.toThrow(/closed/);
      const reopened = await harness.reopen!();
      expect(await reopened.headPosition()).toBe(2n);
    });
  });

  it('wakes a subscriber through LISTEN/NOTIFY when another instance appends', async () => {
    const other = await harness.openAnother!();
    const abort = new AbortController();
    const received: bigint[] = [];
    const subscription = (async () => {
      for await (const event of subscribeToAll(store, { signal: abort.signal })) {
        received.push(event.position);
        if (received.length === 3) abort.abort();
      }
    })();

    await other.append('s', [newEvent()]);
    await other.append('s', [newEvent(), newEvent()]);

    await subscription;
    expect(received).toEqual([1n, 2n, 3n]);
  });

  it('keeps the newest snapshot when an older one is saved late', async () => {
    await store.saveSnapshot({ streamId: 's', revision: 9, state: { newest: true } });
    await store.saveSnapshot({ streamId: 's', revision: 4, state: { newest: false } });
    await expect(store.loadSnapshot('s')).resolves.toEqual({ streamId: 's', revision: 9, state: { newest: true } });
  });

  it('reports a deleted event as the first broken position', async () => {
    await store.append('s', [newEvent(), newEvent(), newEvent(), newEvent()]);
    await harness.sql('DROP TRIGGER events_reject_update_delete ON events');
    await harness.sql('DELETE FROM events WHERE position = 2');

    await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBrokenPosition: 2n, checkedEvents: 1, headPosition: 4n });
  });

  it('reports data rewritten to non-canonical JSON with the same values as broken (verify hashes the stored text)', async () => {
    await store.append('s', [newEvent(), newEvent(), newEvent()]);
    await harness.sql('DROP TRIGGER events_reject_update_delete ON events');
    await harness.sql(`UPDATE events SET data = (' ' || data::text)::json WHERE position = 2`);

    await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBrokenPosition: 2n, checkedEvents: 1, reason: expect.stringMatching(/rewritten/) });
  });

  it('round-trips JSON that jsonb would refuse or reformat, and verifies it', async () => {
    const data = { nul: 'a\u0000b', big: 1e21, small: 5e-324, unicode: '𝄞 \u2028', nested: { z: 1, a: [1.5, -0, null] } };
    await store.append('s', [{ ...newEvent(), data }]);
    const [event] = await store.readStream('s');
    expect(event!.data).toEqual(JSON.parse(JSON.stringify(data)));
    await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 1 });
  });

  it('verifies a long log in bounded batches, reporting progress', async () => {
    for (let index = 0; index < 12; index += 1) {
      await store.append(`s-${index}`, Array.from({ length: 1000 }, () => newEvent()));
    }
    const progress: bigint[] = [];
    const result = await store.verify({ onProgress: (position) => progress.push(position) });
    expect(result).toMatchObject({ ok: true, checkedEvents: 12_000, headPosition: 12_000n });
    expect(progress).toEqual([5_000n, 10_000n, 12_000n]);
  });

  describe('kontor verify (compiled CLI) on PostgreSQL', () => {
    beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

    it('exits 0 on an intact chain and 1 naming the exact position after tampering', async () => {
      await store.append('book-acme', [newEvent(), newEvent(), newEvent()]);
      await store.append('book-other', [newEvent(), newEvent()]);
      const digest = await store.digest();

      const intact = await runCli(['verify'], { KONTOR_STORE: 'postgres', DATABASE_URL: harness.schema.url });
      expect(intact).toMatchObject({ status: 0, stdout: `ok: 5 events, head 5 ${digest.hash}\n` });

      await harness.tamper(4n);
      const tampered = await runCli(['verify'], { KONTOR_STORE: 'postgres', DATABASE_URL: harness.schema.url });
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toMatch(/^BROKEN at position 4: /);
    });
  });
});
