/**
 * API keys over HTTP: authentication, issuing, listing and revoking, and the events they leave.
 * Bootstrap, the CLI and the routes' declared permissions: access-bootstrap.
 */
import { createHash, randomBytes } from 'node:crypto';
import { apiKeysStreamId } from '../../src/access/index.js';
import { ApiKeyRegistry, ApiKeyService } from '../../src/access/access.module.js';
import { newId } from '../../src/event-sourcing/index.js';
import { openEventStore } from '../../src/infrastructure/event-store.factory.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { issuedEvents, keyFormat } from '../support/api-keys.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

const bigintAsString = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? String(value) : value;

describe.each(stores)('API keys over %s', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ store });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('authentication', () => {
    it('refuses a request without a key with 401 unauthorized', async () => {
      const response = await app.request('GET', '/v1/api-keys');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        type: '/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
      });
    });

    it('refuses an unknown key with 401', async () => {
      const response = await app.request('GET', '/v1/api-keys', {
        key: `kontor_${'A'.repeat(43)}`,
      });
      expect(response.status).toBe(401);
      expect(response.body.type).toBe('/problems/unauthorized');
    });

    it('refuses another authorization scheme with 401', async () => {
      const response = await app.request('GET', '/v1/api-keys', {
        headers: { authorization: `Basic ${app.adminKey}` },
      });
      expect(response.status).toBe(401);
    });

    it('refuses a key whose roles lack the permission with 403 forbidden', async () => {
      const subscriber = await app.createKey('Webhook robot', ['subscriber']);
      const response = await app.request('POST', '/v1/api-keys', {
        key: subscriber,
        body: { name: 'Eve', roles: ['admin'] },
      });
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ type: '/problems/forbidden', status: 403 });
      expect(response.body.detail).toContain('keys:manage');
    });
  });

  describe('issue, list, revoke', () => {
    it('issues a key shown once, lists it without its secret, and the key works', async () => {
      const created = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'Erika Mustermann', roles: ['admin', 'auditor'], books: ['acme-gmbh'] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^key_[0-9a-f]{20}$/),
        key: expect.stringMatching(keyFormat),
        name: 'Erika Mustermann',
        roles: ['admin', 'auditor'],
        books: ['acme-gmbh'],
        position: expect.any(Number),
      });

      const listed = await app.request('GET', '/v1/api-keys', { key: created.body.key });
      expect(listed.status).toBe(200);
      const item = listed.body.items.find((entry: { id: string }) => entry.id === created.body.id);
      expect(item).toEqual({
        id: created.body.id,
        name: 'Erika Mustermann',
        roles: ['admin', 'auditor'],
        books: ['acme-gmbh'],
        status: 'active',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        createdBy: { id: expect.stringMatching(/^key_/), name: 'admin' },
      });
      const listedText = JSON.stringify(listed.body);
      expect(listedText).not.toContain(created.body.key);
      expect(listedText).not.toContain(createHash('sha256').update(created.body.key).digest('hex'));
      expect(listed.body.nextCursor).toBeNull();
    });

    it('refuses a revoked key at once with 401', async () => {
      const key = await app.createKey('Temporary admin', ['admin']);
      const id = (await app.request('GET', '/v1/api-keys', { key })).body.items.at(-1).id as string;
      expect((await app.request('GET', '/v1/api-keys', { key })).status).toBe(200);

      const revoked = await app.request('DELETE', `/v1/api-keys/${id}`, { key: app.adminKey });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ id, revoked: true, position: expect.any(Number) });

      const refused = await app.request('GET', '/v1/api-keys', { key });
      expect(refused.status).toBe(401);
      const listed = await app.request('GET', '/v1/api-keys', { key: app.adminKey });
      expect(listed.body.items.find((entry: { id: string }) => entry.id === id)).toMatchObject({
        status: 'revoked',
        revokedAt: expect.any(String),
      });
    });

    it('answers revoking twice with 409 conflict and an unknown key with 404', async () => {
      const key = await app.createKey('Short-lived', ['auditor']);
      const id = (await app.request('GET', '/v1/api-keys', { key: app.adminKey })).body.items.at(-1)
        .id as string;
      expect(
        (await app.request('DELETE', `/v1/api-keys/${id}`, { key: app.adminKey })).status,
      ).toBe(200);
      const again = await app.request('DELETE', `/v1/api-keys/${id}`, { key: app.adminKey });
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('/problems/conflict');
      const unknown = await app.request('DELETE', '/v1/api-keys/key_doesnotexist', {
        key: app.adminKey,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.type).toBe('/problems/not-found');
      expect((await app.request('GET', '/v1/api-keys', { key })).status).toBe(401);
    });

    it('refuses an unknown role with 400 validation', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'Ada', roles: ['superuser'] },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        {
          field: 'roles',
          message:
            'expected every item to be one of "admin", "accountant", "approver", "auditor", "compliance", "subscriber", got ["superuser"]',
        },
      ]);
    });

    it('pages the list with limit and an opaque cursor', async () => {
      const first = await app.request('GET', '/v1/api-keys?limit=1', { key: app.adminKey });
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await app.request(
        'GET',
        `/v1/api-keys?limit=1&cursor=${first.body.nextCursor}`,
        { key: app.adminKey },
      );
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      const invalid = await app.request('GET', '/v1/api-keys?cursor=bogus', { key: app.adminKey });
      expect(invalid.status).toBe(400);
      const tooMany = await app.request('GET', '/v1/api-keys?limit=1001', { key: app.adminKey });
      expect(tooMany.status).toBe(400);
    });
  });

  describe('events', () => {
    it('records the actor and the X-Correlation-Id in the ApiKeyIssued metadata, and only a keyed verifier', async () => {
      const created = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        headers: { 'x-correlation-id': 'onboarding-erika-42' },
        body: { name: 'Audited', roles: ['auditor'] },
      });
      expect(created.headers.get('x-correlation-id')).toBe('onboarding-erika-42');
      const event = (await issuedEvents(app.store)).find(
        (candidate) => (candidate.data as { keyId: string }).keyId === created.body.id,
      );
      const admin = (await issuedEvents(app.store))[0]!;
      expect(event).toBeDefined();
      expect(event!.position).toBe(BigInt(created.body.position));
      expect(event!.metadata).toMatchObject({
        correlationId: 'onboarding-erika-42',
        commandId: expect.any(String),
        actor: { id: (admin.data as { keyId: string }).keyId, name: 'admin' },
      });
      // v2: a verifier keyed with the store's pepper, not the bare sha256 a reader could test guesses against.
      expect(event!.schemaVersion).toBe(2);
      expect(event!.data).toEqual({
        keyId: created.body.id,
        name: 'Audited',
        roles: ['auditor'],
        keyVerifier: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const sha256 = createHash('sha256').update(created.body.key).digest('hex');
      expect(JSON.stringify(await issuedEvents(app.store), bigintAsString)).not.toContain(sha256);
      expect(
        JSON.stringify(event, (_, value: unknown) =>
          typeof value === 'bigint' ? String(value) : value,
        ),
      ).not.toContain(created.body.key);
    });

    it('still accepts a key of an older store: ApiKeyIssued v1 with the bare sha256', async () => {
      const secret = `kontor_${randomBytes(32).toString('base64url')}`;
      const keyId = `key_${randomBytes(10).toString('hex')}`;
      const appended = await app.store.append(apiKeysStreamId, [
        {
          eventId: newId(),
          type: 'ApiKeyIssued',
          data: {
            keyId,
            name: 'Issued before v2',
            roles: ['auditor'],
            keyHash: createHash('sha256').update(secret).digest('hex'),
          },
          metadata: { actor: { id: 'system', name: 'bootstrap' }, correlationId: newId() },
        },
      ]);
      const registry = app.app.get(ApiKeyRegistry);
      const [event] = await app.store.readAll({ from: appended.lastPosition, limit: 1 });
      await registry.waitForRevision(event!.revision);
      expect((await app.request('GET', '/v1/audit?limit=1', { key: secret })).status).toBe(200);
      expect(
        (await app.request('DELETE', `/v1/api-keys/${keyId}`, { key: app.adminKey })).status,
      ).toBe(200);
      expect((await app.request('GET', '/v1/audit?limit=1', { key: secret })).status).toBe(401);
    });

    it('refuses a key revoked by another writer as soon as the store reports the append', async () => {
      const key = await app.createKey('Revoked elsewhere', ['admin']);
      const keyId = (await app.request('GET', '/v1/api-keys', { key: app.adminKey })).body.items.at(
        -1,
      ).id as string;
      expect((await app.request('GET', '/v1/api-keys', { key })).status).toBe(200);

      // Another process: its own store connection, its own registry.
      const otherStore = await openEventStore(app.config);
      try {
        const otherRegistry = new ApiKeyRegistry(otherStore, app.app.get(ApiKeyRegistry).pepper);
        const revoked = await new ApiKeyService(otherStore, otherRegistry).revoke(keyId, {
          actor: { id: 'other-process', name: 'other process' },
          correlationId: newId(),
          commandId: newId(),
        });
        const revision = (await otherStore.readStream(apiKeysStreamId)).find(
          (event) => event.position === revoked.position,
        )!.revision;
        await app.app.get(ApiKeyRegistry).waitForRevision(revision);
      } finally {
        await otherStore.close();
      }
      expect((await app.request('GET', '/v1/api-keys', { key })).status).toBe(401);
    });
  });
});
