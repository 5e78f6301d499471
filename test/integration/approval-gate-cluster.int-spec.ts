/**
 * The approval gate keeps each book's policy stream folded in memory and shares one refresh
 * among concurrent postings (DecidedStream.current). A policy defined through another instance
 * must still gate the very next posting: two instances (createApp from src/main.ts, each with
 * its own pools) on one PostgreSQL schema.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/main.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';

jest.setTimeout(120_000);

const concurrentPostings = 16;

interface Instance {
  app: NestFastifyApplication;
  baseUrl: string;
}

describe('approval gate across two instances on one PostgreSQL schema', () => {
  const adminKey = `kontor_gate_admin_${randomBytes(16).toString('hex')}`;
  let schema: TestSchema;
  let dataDir: string;
  let instances: Instance[] = [];

  beforeAll(async () => {
    schema = await createTestSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-gate-cluster-'));
    instances = [await boot('gate-a'), await boot('gate-b')];
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    await schema?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function boot(name: string): Promise<Instance> {
    const config = loadConfig({
      KONTOR_STORE: 'postgres',
      DATABASE_URL: schema.url,
      KONTOR_ADMIN_KEY: adminKey,
      KONTOR_DATA_DIR: dataDir,
      KONTOR_INSTANCE_ID: name,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    const app = await createApp(config);
    await app.listen(config.port, config.host);
    return { app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  }

  async function request(
    instance: Instance,
    method: string,
    path: string,
    key: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${instance.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async function createKey(name: string, roles: string[]): Promise<string> {
    const created = await request(instances[0]!, 'POST', '/v1/api-keys', adminKey, { name, roles });
    expect(created.status).toBe(201);
    return created.body.key as string;
  }

  function entry(amount: string, description: string) {
    return {
      effectiveDate: '2026-03-31',
      description,
      lines: [
        { account: '6310', debit: amount },
        { account: '1200', credit: amount },
      ],
    };
  }

  it('gates the very next posting through instance A after a policy is defined through instance B, and every one of a burst after it', async () => {
    const [a, b] = instances as [Instance, Instance];
    const accountant = await createKey('Erika Accountant', ['accountant']);
    const compliance = await createKey('Clara Compliance', ['compliance']);
    const book = 'gate-cluster-gmbh';
    expect(
      (
        await request(a, 'POST', '/v1/books', adminKey, {
          id: book,
          name: 'Gate Cluster GmbH',
          baseCurrency: 'EUR',
        })
      ).status,
    ).toBe(201);
    for (const [code, type] of [
      ['1200', 'asset'],
      ['6310', 'expense'],
    ]) {
      expect(
        (
          await request(a, 'POST', `/v1/books/${book}/accounts`, accountant, {
            code,
            name: `Account ${code}`,
            type,
          })
        ).status,
      ).toBe(201);
    }
    // A folds the book's (empty) policy stream now, so the posting below must notice B's change.
    const ungated = await Promise.all(
      Array.from({ length: concurrentPostings }, (_, index) =>
        request(
          a,
          'POST',
          `/v1/books/${book}/journal-entries`,
          accountant,
          entry('10.00', `before ${index}`),
        ),
      ),
    );
    expect(ungated.map((response) => response.status)).toEqual(ungated.map(() => 201));

    const policy = await request(b, 'POST', `/v1/books/${book}/approval-policies`, compliance, {
      name: 'Everything',
      action: 'journal-entry.post',
      steps: [{ role: 'approver', approvals: 1 }],
    });
    expect(policy.status).toBe(201);

    const next = await request(
      a,
      'POST',
      `/v1/books/${book}/journal-entries`,
      accountant,
      entry('10.00', 'right after'),
    );
    expect(next).toMatchObject({ status: 202, body: { status: 'pending_approval' } });

    const burst = await Promise.all(
      Array.from({ length: concurrentPostings }, (_, index) =>
        request(
          a,
          'POST',
          `/v1/books/${book}/journal-entries`,
          accountant,
          entry('10.00', `after ${index}`),
        ),
      ),
    );
    expect(burst.map((response) => response.status)).toEqual(burst.map(() => 202));
  });
});
