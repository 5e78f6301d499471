import { Client } from 'pg';
import { EventStore, subscribeToAll, ValidationError } from '../../src/event-sourcing/index.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';
import { DatabaseStoreHarness, newEvent } from '../support/event-store-harness.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';
import {
  describeDatabaseImmutabilityContract,
  describeDatabaseStoreContract,
} from './event-store-database.contract.js';
import { describeEventStoreContract } from './event-store.contract.js';

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
  /** Drops the immutability trigger and runs `statement` on the event at `position`, as a database owner could. */
  const unguarded = async (statement: string, position: bigint) => {
    await sql('DROP TRIGGER events_reject_update_delete ON events');
    await sql(statement, [position.toString()]);
  };
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
    rawUpdate: (position) =>
      sql(`UPDATE events SET data = '{"changed":true}' WHERE position = $1`, [position.toString()]),
    rawDelete: (position) => sql('DELETE FROM events WHERE position = $1', [position.toString()]),
    tamper: (position) =>
      unguarded(
        `UPDATE events SET data = (data::jsonb || '{"tampered":1}')::json WHERE position = $1`,
        position,
      ),
    forceDelete: (position) => unguarded('DELETE FROM events WHERE position = $1', position),
    reformatData: (position) =>
      unguarded(`UPDATE events SET data = (' ' || data::text)::json WHERE position = $1`, position),
    openWithClock: (clock) => PostgresEventStore.connect(schema.url, { clock }),
    cleanup: async () => {
      for (const store of opened) await store.close();
      await schema.drop();
    },
  };
  return harness;
}

describeEventStoreContract('postgres', postgresHarness);
describeDatabaseImmutabilityContract('postgres', postgresHarness);
describeDatabaseStoreContract('postgres', postgresHarness);

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
    const instances = await Promise.all(
      Array.from({ length: 8 }, () => PostgresEventStore.connect(fresh.url, { poolSize: 1 })),
    );
    try {
      await instances[3]!.append('s', [newEvent()]);
      const client = new Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const migrations = await client.query('SELECT version FROM kontor_migrations');
        expect(migrations.rows).toEqual([{ version: 1 }]);
        const tables = await client.query(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
          [fresh.schema],
        );
        expect(tables.rows.map((row: { table_name: string }) => row.table_name)).toEqual([
          'events',
          'kontor_migrations',
          'snapshots',
        ]);
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
      await expect(store.append('s', [{ ...newEvent(), type: 'Bad\u0000Type' }])).rejects.toThrow(
        ValidationError,
      );
      expect(await store.headPosition()).toBe(0n);
    });
  });

  it('wakes a subscriber through LISTEN/NOTIFY when another instance appends', async () => {
    const other = await harness.openAnother();
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

  it('round-trips JSON that jsonb would refuse or reformat, and verifies it', async () => {
    const data = {
      nul: 'a\u0000b',
      big: 1e21,
      small: 5e-324,
      unicode: '𝄞 \u2028',
      nested: { z: 1, a: [1.5, -0, null] },
    };
    await store.append('s', [{ ...newEvent(), data }]);
    const [event] = await store.readStream('s');
    expect(event!.data).toEqual(JSON.parse(JSON.stringify(data)));
    await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 1 });
  });

  describe('kontor verify (compiled CLI) on PostgreSQL', () => {
    beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

    it('exits 0 on an intact chain and 1 naming the exact position after tampering', async () => {
      await store.append('book-acme', [newEvent(), newEvent(), newEvent()]);
      await store.append('book-other', [newEvent(), newEvent()]);
      const digest = await store.digest();

      const intact = await runCli(['verify'], {
        KONTOR_STORE: 'postgres',
        DATABASE_URL: harness.schema.url,
      });
      expect(intact).toMatchObject({
        status: 0,
        stdout: `ok: 5 events, head 5 ${digest.hash}\nok: 0 documents match their sha256 ids\n`,
      });

      await harness.tamper(4n);
      const tampered = await runCli(['verify'], {
        KONTOR_STORE: 'postgres',
        DATABASE_URL: harness.schema.url,
      });
      expect(tampered.status).toBe(1);
      expect(tampered.stdout).toMatch(/^BROKEN at position 4: /);
    });
  });
});
