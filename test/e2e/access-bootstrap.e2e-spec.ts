/**
 * How keys come to be outside the API — the admin key at bootstrap, a second instance on one
 * PostgreSQL, `kontor keys create` offline — and that every route declares its permission.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { ApiKeyRegistry, issueKeyOffline } from '../../src/access/access.module.js';
import { KontorConfig } from '../../src/config.js';
import { AssertionFailed } from '../../src/event-sourcing/index.js';
import { openEventStore } from '../../src/infrastructure/event-store.factory.js';
import { openReadModelDatabase } from '../../src/infrastructure/sql/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { issuedEvents, keyFormat } from '../support/api-keys.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('bootstrap over %s', (store) => {
  it('generates an admin key when KONTOR_ADMIN_KEY is unset: printed once, admin.key with mode 0600', async () => {
    const printed: string[] = [];
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk: string | Uint8Array) => {
        printed.push(String(chunk));
        return true;
      });
    let app: TestApp | undefined;
    try {
      app = await startTestApp({ store, env: { KONTOR_ADMIN_KEY: '' } });
    } finally {
      write.mockRestore();
    }
    try {
      const file = join(app.dataDir, 'admin.key');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const key = (await readFile(file, 'utf8')).trim();
      expect(key).toMatch(keyFormat);
      expect(printed.filter((line) => line.includes(key))).toHaveLength(1);
      expect((await app.request('GET', '/v1/api-keys', { key })).status).toBe(200);
      const issued = await issuedEvents(app.store);
      expect(issued).toHaveLength(1);
      expect(issued[0]!.data).toMatchObject({ name: 'admin', roles: ['admin'] });
      expect(issued[0]!.metadata.actor).toEqual({ id: 'system', name: 'bootstrap' });
    } finally {
      await app.close();
    }
  });

  it('registers KONTOR_ADMIN_KEY when set, and writes no key file', async () => {
    const adminKey = `my-own-admin-key-${'x'.repeat(32)}`;
    const app = await startTestApp({ store, env: { KONTOR_ADMIN_KEY: adminKey } });
    try {
      expect(app.adminKey).toBe(adminKey);
      expect((await app.request('GET', '/v1/api-keys', { key: adminKey })).status).toBe(200);
      await expect(stat(join(app.dataDir, 'admin.key'))).rejects.toThrow();
    } finally {
      await app.close();
    }
  });
});

describe('bootstrap on a second start (sqlite)', () => {
  it('registers no further admin key', async () => {
    const first = await startTestApp({ env: { KONTOR_ADMIN_KEY: '' } });
    const dataDir = first.dataDir;
    const firstKey = first.adminKey;
    await first.app.close();
    const second = await startTestApp({ dataDir, env: { KONTOR_ADMIN_KEY: '' } });
    try {
      expect(second.adminKey).toBe(firstKey);
      expect(await issuedEvents(second.store)).toHaveLength(1);
      expect((await second.request('GET', '/v1/api-keys', { key: firstKey })).status).toBe(200);
    } finally {
      await second.close();
      const { rm } = await import('node:fs/promises');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('API keys on two instances of one PostgreSQL', () => {
  it('a key issued on one instance works on the other: both read the pepper from the ops database', async () => {
    const first = await startTestApp({ store: 'postgres' });
    const second = await startTestApp({
      store: 'postgres',
      env: { DATABASE_URL: first.config.databaseUrl!, KONTOR_ADMIN_KEY: first.adminKey },
    });
    try {
      const key = await first.createKey('Shared', ['auditor']);
      const position = (await first.store.headPosition()) as bigint;
      const [event] = await second.store.readAll({ from: position, limit: 1 });
      await second.app.get(ApiKeyRegistry).waitForRevision(event!.revision);
      expect((await second.request('GET', '/v1/audit?limit=1', { key })).status).toBe(200);
      expect(second.app.get(ApiKeyRegistry).pepper).toEqual(first.app.get(ApiKeyRegistry).pepper);
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('kontor keys create (sqlite)', () => {
  it('refuses an unknown role, naming the valid ones (what the CLI prints)', async () => {
    const first = await startTestApp();
    await first.app.close();
    const offlineStore = await openEventStore(first.config);
    const offlineOpsDb = openReadModelDatabase(first.config);
    try {
      await expect(
        issueKeyOffline(offlineStore, offlineOpsDb, { name: 'Boss', roles: ['boss'] }),
      ).rejects.toThrow(
        'unknown role boss; the roles are admin, accountant, approver, auditor, compliance, subscriber',
      );
    } finally {
      await offlineOpsDb.close();
      await offlineStore.close();
      const { rm } = await import('node:fs/promises');
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });

  it('issues a key offline that the server accepts', async () => {
    const first = await startTestApp();
    const { dataDir, config } = first;
    await first.app.close();
    const offlineStore = await openEventStore(config);
    const offlineOpsDb = openReadModelDatabase(config);
    const issued = await issueKeyOffline(offlineStore, offlineOpsDb, {
      name: 'Night batch',
      roles: ['auditor'],
      books: ['acme'],
    }).finally(async () => {
      await offlineOpsDb.close();
      await offlineStore.close();
    });
    expect(issued.key).toMatch(keyFormat);
    const second = await startTestApp({ dataDir, env: { KONTOR_ADMIN_KEY: config.adminKey! } });
    try {
      const listed = await second.request('GET', '/v1/api-keys', { key: second.adminKey });
      expect(listed.body.items.at(-1)).toMatchObject({
        id: issued.id,
        name: 'Night batch',
        books: ['acme'],
        createdBy: { id: 'cli' },
      });
      expect((await second.request('GET', '/v1/api-keys', { key: issued.key })).status).toBe(403);
    } finally {
      await second.close();
      const { rm } = await import('node:fs/promises');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a route without @Public() or @RequirePermission()', () => {
  @Controller('forgotten')
  class ForgottenController {
    @Get()
    open() {
      return 'anyone';
    }
  }

  @Module({ controllers: [ForgottenController] })
  class ForgottenModule {}

  it('stops the app from starting', async () => {
    const { AppModule } = await import('../../src/app.module.js');
    const { NestFactory } = await import('@nestjs/core');
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { loadConfig } = await import('../../src/config.js');
    const dataDir = await mkdtemp(join(tmpdir(), 'kontor-forgotten-'));
    const config: KontorConfig = loadConfig({ KONTOR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const root = AppModule.forRoot({ config });
    root.imports = [...(root.imports ?? []), ForgottenModule];
    const app = await NestFactory.create(root, new FastifyAdapter(), {
      logger: false,
      abortOnError: false,
    });
    try {
      const failure = await app.init().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(AssertionFailed);
      expect((failure as Error).message).toContain('ForgottenController.open');
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
