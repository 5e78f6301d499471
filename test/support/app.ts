/**
 * Boots the real Kontor app over real HTTP for e2e tests.
 *
 *   const app = await startTestApp({ store: 'postgres' });
 *   const key = await app.createKey('Ada', ['accountant']);
 *   const res = await app.request('POST', '/v1/books', { key: app.adminKey, body: { ... } });
 *   expect(res.status).toBe(201);
 *   await app.close();
 *
 * SQLite runs in a fresh temp data dir; PostgreSQL in a fresh schema (test/support/postgres.ts).
 * Logs are silent unless `env.LOG_LEVEL` says otherwise.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { KontorConfig, loadConfig } from '../../src/config.js';
import { Clock, EventStore } from '../../src/event-sourcing/index.js';
import { EVENT_STORE } from '../../src/infrastructure/tokens.js';
import { createApp } from '../../src/main.js';
import { KurrentDbEventStore } from '../../src/infrastructure/kurrentdb/kurrentdb-event-store.js';
import { FakeKurrentServer } from '../../src/infrastructure/kurrentdb/testing/fake-kurrentdb.js';
import { createTestSchema } from './postgres.js';

/** `kurrentdb-fake`: the KurrentDB adapter over the in-process fake server (byte-offset positions, no kinder than the server). */
export type TestStore = 'sqlite' | 'postgres' | 'kurrentdb-fake';

export interface TestAppOptions {
  store?: TestStore;
  /** Extra environment (KONTOR_READ_ONLY, KONTOR_ADMIN_KEY: '' to have one generated, LOG_LEVEL …). */
  env?: Record<string, string>;
  clock?: Clock;
  /** An already opened store to run on (e.g. a KurrentDB store over the in-process fake). */
  eventStore?: EventStore;
  /** Reuse a data dir (SQLite) instead of a fresh one, e.g. to restart on the same data. Not removed on close. */
  dataDir?: string;
}

export interface TestRequestOptions {
  /** API key sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** Sent as JSON unless it is a string (sent as it is). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestResponse<Body = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON for JSON and problem+json answers, else the text. */
  body: Body;
}

export interface TestApp {
  baseUrl: string;
  /** The bootstrap admin key (read from admin.key when the app generated it). */
  adminKey: string;
  config: KontorConfig;
  dataDir: string;
  /** The app's own event store (read events and metadata in assertions). */
  store: EventStore;
  app: NestFastifyApplication;
  request<Body = any>(
    method: string,
    path: string,
    options?: TestRequestOptions,
  ): Promise<TestResponse<Body>>;
  /** Issues a key through POST /v1/api-keys as admin; returns the secret. */
  createKey(name: string, roles: string[], books?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const store = options.store ?? 'sqlite';
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'kontor-e2e-')));
  const schema = store === 'postgres' ? await createTestSchema() : undefined;
  const givenAdminKey = `kontor_test_admin_${randomBytes(24).toString('base64url')}`;
  const kurrent = store === 'kurrentdb-fake';
  const eventStore =
    options.eventStore ??
    (kurrent ? KurrentDbEventStore.withClient(new FakeKurrentServer().client()) : undefined);
  const env: Record<string, string> = {
    KONTOR_STORE: kurrent ? 'kurrentdb' : store,
    ...(kurrent ? { KURRENTDB_URL: 'kurrentdb://fake:2113?tls=false' } : {}),
    KONTOR_DATA_DIR: dataDir,
    KONTOR_ADMIN_KEY: givenAdminKey,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...(schema ? { DATABASE_URL: schema.url } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(eventStore ? { eventStore } : {}),
    });
    await app.listen(config.port, config.host);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const adminKey = config.adminKey ?? (await readAdminKeyFile(dataDir));

  async function cleanUp(): Promise<void> {
    if (schema) await schema.drop();
    if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
  }

  async function request<Body>(
    method: string,
    path: string,
    requestOptions: TestRequestOptions = {},
  ): Promise<TestResponse<Body>> {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.key !== undefined) headers.authorization = `Bearer ${requestOptions.key}`;
    let body: string | undefined;
    if (requestOptions.body !== undefined) {
      body =
        typeof requestOptions.body === 'string'
          ? requestOptions.body
          : JSON.stringify(requestOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    const isJson = /[/+]json\b/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (isJson && text ? JSON.parse(text) : text) as Body,
    };
  }

  return {
    baseUrl,
    adminKey,
    config,
    dataDir,
    store: app.get<EventStore>(EVENT_STORE),
    app,
    request,
    async createKey(name, roles, books) {
      const response = await request<{ key: string }>('POST', '/v1/api-keys', {
        key: adminKey,
        body: { name, roles, ...(books ? { books } : {}) },
      });
      if (response.status !== 201)
        throw new Error(
          `creating key ${name} failed: ${response.status} ${JSON.stringify(response.body)}`,
        );
      return response.body.key;
    },
    async close() {
      await app.close();
      await cleanUp();
    },
  };
}

async function readAdminKeyFile(dataDir: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile(join(dataDir, 'admin.key'), 'utf8')).trim();
}
