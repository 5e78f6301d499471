import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];
const problemJson = /^application\/problem\+json/;

describe.each(stores)('platform over %s', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ store });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('health', () => {
    it('answers liveness without a key', async () => {
      const response = await app.request('GET', '/health');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('answers readiness without a key once the store answers: the status only', async () => {
      const response = await app.request('GET', '/health/ready');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready' });
    });

    it('shows each check to a caller with a valid key; an invalid key stays anonymous', async () => {
      const watcher = await app.createKey('Ready watcher', ['subscriber']);
      const response = await app.request('GET', '/health/ready', { key: watcher });
      expect(response.status).toBe(200);
      expect(response.body.checks).toContainEqual({ name: 'event-store', ok: true });
      const wrong = await app.request('GET', '/health/ready', { key: 'kontor_not_a_key' });
      expect(wrong.body).toEqual({ status: 'ready' });
    });

    it('reports not ready with 503 problem+json; the reason (a database address) only with a key', async () => {
      const { ReadinessRegistry } = await import('../../src/infrastructure/http/readiness.js');
      const readiness = app.app.get(ReadinessRegistry);
      readiness.register('test-check', () => {
        throw new Error('connect ECONNREFUSED 10.20.30.40:5432');
      });
      try {
        const anonymous = await app.request('GET', '/health/ready');
        expect(anonymous.status).toBe(503);
        expect(anonymous.headers.get('content-type')).toMatch(problemJson);
        expect(anonymous.body).toEqual({
          type: '/problems/not-ready',
          title: expect.any(String),
          status: 503,
          detail: 'failed: test-check; send an API key to see why',
        });
        const response = await app.request('GET', '/health/ready', { key: app.adminKey });
        expect(response.status).toBe(503);
        expect(response.body).toMatchObject({
          type: '/problems/not-ready',
          status: 503,
          detail: 'test-check: connect ECONNREFUSED 10.20.30.40:5432',
        });
        expect(response.body.checks).toContainEqual({
          name: 'test-check',
          ok: false,
          reason: 'connect ECONNREFUSED 10.20.30.40:5432',
        });
      } finally {
        readiness.unregister('test-check');
      }
    });
  });

  describe('problem details', () => {
    it('answers an unknown route with 404 not-found', async () => {
      const response = await app.request('GET', '/v1/no-such-thing', { key: app.adminKey });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(problemJson);
      expect(response.body).toEqual({
        type: '/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: 'no route GET /v1/no-such-thing',
      });
    });

    it('refuses an unknown field with 400 validation naming it', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'Ada', roles: ['auditor'], superpowers: true },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(problemJson);
      expect(response.body).toMatchObject({
        type: '/problems/validation',
        title: 'Invalid request',
        status: 400,
      });
      expect(response.body.errors).toEqual([
        { field: 'superpowers', message: 'is not a known field' },
      ]);
    });

    it('refuses a wrong type with 400 validation naming the field', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 42, roles: 'admin' },
      });
      expect(response.status).toBe(400);
      const fields = (response.body.errors as { field: string }[]).map((error) => error.field);
      expect(new Set(fields)).toEqual(new Set(['name', 'roles']));
    });

    it('refuses malformed JSON with 400 validation', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: '{"name": "Ada", ',
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        type: '/problems/validation',
        detail: 'the request body is not valid JSON',
      });
    });

    it('refuses an empty JSON body with 400 validation', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        headers: { 'content-type': 'application/json' },
        body: '',
      });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation');
    });

    it('refuses a body over 1 MiB with 413 payload-too-large', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'x'.repeat(1024 * 1024), roles: ['auditor'] },
      });
      expect(response.status).toBe(413);
      expect(response.headers.get('content-type')).toMatch(problemJson);
      expect(response.body).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    });

    it('refuses a body that is not JSON with 415 unsupported-media-type', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        headers: { 'content-type': 'text/plain' },
        body: 'name=Ada',
      });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({
        type: '/problems/unsupported-media-type',
        status: 415,
      });
    });

    it('explains a problem type to a person at its type URI, without a key', async () => {
      const response = await app.request('GET', '/problems/validation');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.body).toContain('Invalid request');
      expect(response.body).toContain('HTTP status 400');
      expect(response.body).toContain('lang="de"');
    });

    it('answers an unknown problem type with 404', async () => {
      const response = await app.request('GET', '/problems/no-such-problem');
      expect(response.status).toBe(404);
      expect(response.body.type).toBe('/problems/not-found');
    });
  });

  describe('correlation id', () => {
    it('echoes a given X-Correlation-Id', async () => {
      const response = await app.request('GET', '/health', {
        headers: { 'x-correlation-id': 'order-4711' },
      });
      expect(response.headers.get('x-correlation-id')).toBe('order-4711');
    });

    it('replaces an overlong one with a fresh UUID, also on errors', async () => {
      const response = await app.request('GET', '/v1/api-keys', {
        headers: { 'x-correlation-id': 'x'.repeat(129) },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-correlation-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });
  });

  describe('OpenAPI', () => {
    it('serves the document with the api-keys routes and the bearer scheme', async () => {
      const response = await app.request('GET', '/docs-json');
      expect(response.status).toBe(200);
      expect(response.body.paths['/v1/api-keys']).toHaveProperty('post');
      expect(response.body.paths['/v1/api-keys']).toHaveProperty('get');
      expect(response.body.paths['/v1/api-keys/{id}']).toHaveProperty('delete');
      expect(response.body.paths['/v1/api-keys'].post.security).toEqual([{ bearer: [] }]);
      expect(response.body.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      expect(
        response.body.components.schemas.CreateApiKeyRequest.properties.name.description,
      ).toEqual(expect.any(String));
    });

    it('serves the UI', async () => {
      const response = await app.request('GET', '/docs');
      expect(response.status).toBe(200);
      expect(response.body).toContain('swagger');
    });
  });

  describe('metrics', () => {
    it('exposes Prometheus text with the HTTP histogram by route pattern, without a key', async () => {
      await app.request('GET', '/health');
      const response = await app.request('GET', '/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(response.body).toContain('# TYPE kontor_http_request_duration_seconds histogram');
      expect(response.body).toMatch(
        /kontor_http_request_duration_seconds_count\{route="\/health",method="GET",status="200"\} [1-9]/,
      );
      expect(response.body).toContain('process_cpu_user_seconds_total');
    });
  });
});

describe.each(stores)('read-only replica over %s', (store) => {
  let writable: TestApp | undefined;
  let replica: TestApp;

  beforeAll(async () => {
    if (store === 'sqlite') {
      // A read-only SQLite store must exist: create it with a writable start first.
      writable = await startTestApp({ store });
      await writable.app.close();
    }
    replica = await startTestApp({
      store,
      env: { KONTOR_READ_ONLY: 'true' },
      ...(writable ? { dataDir: writable.dataDir } : {}),
    });
  });

  afterAll(async () => {
    await replica?.close();
    if (writable) {
      const { rm } = await import('node:fs/promises');
      await rm(writable.dataDir, { recursive: true, force: true });
    }
  });

  it('refuses writes with 403 forbidden before anything else', async () => {
    const response = await replica.request('POST', '/v1/api-keys', {
      key: replica.adminKey,
      body: { name: 'Ada', roles: ['auditor'] },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(problemJson);
    expect(response.body).toMatchObject({
      type: '/problems/forbidden',
      status: 403,
      detail: expect.stringContaining('read-only'),
    });
    const deletion = await replica.request('DELETE', '/v1/api-keys/key_x', {
      key: replica.adminKey,
    });
    expect(deletion.status).toBe(403);
  });

  it('still answers reads', async () => {
    expect((await replica.request('GET', '/health')).status).toBe(200);
  });
});
