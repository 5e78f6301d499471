/**
 * Several Kontor instances starting at the same moment on one empty PostgreSQL schema (a
 * deployment scaled to N, or all restarted together). Every instance creates the read-model
 * and webhook tables it needs on boot; PostgreSQL fails a `CREATE TABLE IF NOT EXISTS` that
 * races another session's (a unique violation on pg_type / pg_class), unless the DDL is
 * serialized (SqlDatabase.withSchemaLock).
 *
 * The instances run in process (createApp from src/main.ts), each with its own pools and its
 * own leader-election connection, so they race exactly as separate processes do on the server.
 * Each round boots them on a fresh schema; several rounds make the race likely to show.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '../../src/config.js';
import { PostgresDatabase } from '../../src/infrastructure/sql/index.js';
import { createApp } from '../../src/main.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';

jest.setTimeout(180_000);

const instanceCount = 4;
const rounds = 3;
const sessionsRacing = 8;

interface Instance {
  name: string;
  app: NestFastifyApplication;
  baseUrl: string;
}

describe('SqlDatabase.withSchemaLock on PostgreSQL', () => {
  let schema: TestSchema;

  beforeEach(async () => {
    schema = await createTestSchema();
  });

  afterEach(async () => {
    await schema.drop();
  });

  it(`lets ${sessionsRacing} sessions create the same tables and indexes at once`, async () => {
    const databases = Array.from({ length: sessionsRacing }, () =>
      PostgresDatabase.connect(schema.url, { poolSize: 1 }),
    );
    try {
      const created = await Promise.allSettled(
        databases.map((db) =>
          db.withSchemaLock(async (tx) => {
            for (let table = 0; table < 4; table++) {
              await tx.execute(
                `CREATE TABLE IF NOT EXISTS race_${table} (id TEXT PRIMARY KEY, n BIGINT NOT NULL)`,
              );
              await tx.execute(`CREATE INDEX IF NOT EXISTS race_${table}_n ON race_${table} (n)`);
            }
          }),
        ),
      );
      expect(
        created.flatMap((outcome) =>
          outcome.status === 'rejected' ? [String(outcome.reason)] : [],
        ),
      ).toEqual([]);
      const [tables] = await databases[0]!.query<{ count: unknown }>(
        `SELECT count(*) AS count FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'race_%'`,
      );
      expect(Number(tables!.count)).toBe(4);
    } finally {
      await Promise.all(databases.map((db) => db.close()));
    }
  });
});

describe(`${instanceCount} instances booting at once on an empty PostgreSQL schema`, () => {
  const adminKey = `kontor_boot_admin_${randomBytes(16).toString('hex')}`;
  let schema: TestSchema | undefined;
  let dataDir: string | undefined;
  let instances: Instance[] = [];

  afterEach(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    instances = [];
    await schema?.drop();
    schema = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function boot(name: string, url: string, dir: string): Promise<Instance> {
    const config = loadConfig({
      KONTOR_STORE: 'postgres',
      DATABASE_URL: url,
      KONTOR_ADMIN_KEY: adminKey,
      KONTOR_DATA_DIR: dir,
      KONTOR_INSTANCE_ID: name,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // The four instances share this process's event loop: booting them keeps it busy for
      // seconds on a loaded machine, and pg times a connect by a timer on that loop. The boot
      // race is what this tests, not the connect timeout (cli-store-unavailable tests that).
      KONTOR_DB_CONNECT_TIMEOUT_MS: '60000',
    });
    const app = await createApp(config);
    await app.listen(config.port, config.host);
    return { name, app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  }

  async function request(
    instance: Instance,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${instance.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  it.each(Array.from({ length: rounds }, (_, index) => index + 1))(
    'round %i: all boot, one leads, a posting through one is read through another',
    async () => {
      schema = await createTestSchema();
      dataDir = await mkdtemp(join(tmpdir(), 'kontor-concurrent-boot-'));
      const url = schema.url;
      const dir = dataDir;

      const booted = await Promise.allSettled(
        Array.from({ length: instanceCount }, (_, index) => boot(`i${index}`, url, dir)),
      );
      instances = booted.flatMap((outcome) =>
        outcome.status === 'fulfilled' ? [outcome.value] : [],
      );
      const failures = booted.flatMap((outcome) =>
        outcome.status === 'rejected' ? [String(outcome.reason)] : [],
      );
      expect(failures).toEqual([]);

      const clusters = await Promise.all(
        instances.map((instance) => request(instance, 'GET', '/v1/cluster')),
      );
      expect(clusters.map((cluster) => cluster.status)).toEqual(instances.map(() => 200));
      expect(clusters.filter((cluster) => cluster.body.leader === true)).toHaveLength(1);

      const [first, second, third, fourth] = instances as [Instance, Instance, Instance, Instance];
      const book = 'boot-gmbh';
      expect(
        (
          await request(first, 'POST', '/v1/books', {
            id: book,
            name: 'Boot GmbH',
            baseCurrency: 'EUR',
          })
        ).status,
      ).toBe(201);
      for (const account of [
        { code: '1000', name: 'Bank', type: 'asset' },
        { code: '4000', name: 'Revenue', type: 'revenue' },
      ]) {
        expect((await request(second, 'POST', `/v1/books/${book}/accounts`, account)).status).toBe(
          201,
        );
      }
      const posted = await request(third, 'POST', `/v1/books/${book}/journal-entries`, {
        effectiveDate: '2026-03-31',
        description: 'first sale',
        lines: [
          { account: '1000', debit: '12.34' },
          { account: '4000', credit: '12.34' },
        ],
      });
      expect(posted).toMatchObject({ status: 201, body: { status: 'posted' } });

      for (const reader of [fourth, first]) {
        const balance = await request(
          reader,
          'GET',
          `/v1/books/${book}/trial-balance?consistentWith=${posted.body.position}`,
        );
        expect(balance.status).toBe(200);
        const [eur] = balance.body.currencies as {
          lines: { account: string; debit: string; credit: string }[];
        }[];
        expect(eur!.lines).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ account: '1000', debit: '12.34', credit: '0.00' }),
            expect.objectContaining({ account: '4000', debit: '0.00', credit: '12.34' }),
          ]),
        );
      }
    },
  );
});
