import { authFailuresPerMinuteDefault, loadConfig } from '../../src/config.js';
import { jsonLimits } from '../../src/infrastructure/http/security/json-limits.js';
import { TestApp, startTestApp } from '../support/app.js';

const problemJson = /^application\/problem\+json/;

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { next: value };
  return value;
}

describe('hardening', () => {
  describe('security headers and JSON limits (defaults)', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp();
    });

    afterAll(async () => {
      await app?.close();
    });

    it('sends helmet security headers on answers, errors and the OpenAPI UI', async () => {
      for (const [path, status] of [
        ['/health', 200],
        ['/v1/books', 401],
        ['/docs', 200],
      ] as const) {
        const response = await app.request('GET', path);
        expect(response.status).toBe(status);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
      const ui = await app.request('GET', '/docs');
      expect(ui.body).toContain('swagger-ui');
      // The UI's scripts are served from Kontor itself, which the CSP allows.
      const script = /src="([^"]*swagger-ui-init\.js)"/.exec(String(ui.body))?.[1];
      expect(script).toBeDefined();
      expect(
        (await app.request('GET', new URL(script!, `${app.baseUrl}/docs/`).pathname)).status,
      ).toBe(200);
    });

    it('sends no CORS headers unless origins are configured', async () => {
      const preflight = await fetch(`${app.baseUrl}/v1/books`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const simple = await app.request('GET', '/health', {
        headers: { origin: 'https://evil.example' },
      });
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    });

    it.each([
      ['nested deeper than the limit', nested(jsonLimits.depthMax + 1)],
      [
        'an array over the limit',
        { name: 'x', roles: Array.from({ length: jsonLimits.arrayLengthMax + 1 }, () => 0) },
      ],
      [
        'a string over the limit',
        { name: 'x'.repeat(jsonLimits.stringLengthMax + 1), roles: ['auditor'] },
      ],
      ['a NUL character in a string', { name: 'Ada\u0000', roles: ['auditor'] }],
      ['a NUL character in a property name', { name: 'Ada', roles: ['auditor'], ['a\u0000']: 1 }],
    ])('refuses a body %s with 400 validation at parse time', async (_case, body) => {
      const response = await app.request('POST', '/v1/api-keys', { key: app.adminKey, body });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(problemJson);
      expect(response.body).toMatchObject({
        type: '/problems/validation',
        detail: expect.stringMatching(/^the request body is refused: /),
      });
    });

    it('lets a body within the limits through to validation', async () => {
      const response = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: nested(jsonLimits.depthMax),
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({
        field: 'next',
        message: 'is not a known field',
      });
    });

    it('refuses prototype poisoning, a body over 1 MiB and form bodies', async () => {
      const poisoned = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: '{"name":"x","roles":["auditor"],"__proto__":{"admin":true}}',
      });
      expect(poisoned.status).toBe(400);
      expect(poisoned.headers.get('content-type')).toMatch(problemJson);
      const huge = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.body.type).toBe('/problems/payload-too-large');
      const form = await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: 'id=form-book&name=Form&baseCurrency=EUR',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      expect(form.body.type).toBe('/problems/unsupported-media-type');
      expect((await app.request('GET', '/v1/books/form-book', { key: app.adminKey })).status).toBe(
        404,
      );
    });

    it('refuses a URL carrying a NUL character with 400 validation (PostgreSQL text cannot hold one)', async () => {
      for (const path of [
        '/v1/streams/%00',
        '/v1/audit?actor=a%00b',
        '/v1/books/acme/journal-entries/%00',
      ]) {
        const response = await app.request('GET', path, { key: app.adminKey });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(problemJson);
      }
    });

    it('answers an over-long path parameter with problem+json', async () => {
      const response = await app.request('POST', `/v1/projections/${'x'.repeat(500)}/rebuild`, {
        key: app.adminKey,
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(problemJson);
    });

    it('does not limit requests per key when KONTOR_RATE_LIMIT_PER_MINUTE is unset', async () => {
      const response = await app.request('GET', '/v1/api-keys', { key: app.adminKey });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit')).toBeNull();
    });
  });

  describe('failed-authentication brake', () => {
    const failuresPerMinute = 5;
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        env: { KONTOR_AUTH_FAILURES_PER_MINUTE: String(failuresPerMinute) },
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('is on by default', () => {
      expect(loadConfig({}).authFailuresPerMinute).toBe(authFailuresPerMinuteDefault);
      expect(loadConfig({ KONTOR_AUTH_FAILURES_PER_MINUTE: '0' }).authFailuresPerMinute).toBe(0);
    });

    it('answers 429 with Retry-After once an address failed too often; valid keys keep working', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < failuresPerMinute; attempt += 1) {
        statuses.push(
          (await app.request('GET', '/v1/books', { key: `kontor_guess_${attempt}` })).status,
        );
      }
      expect(statuses).toEqual(Array(failuresPerMinute).fill(401));
      const braked = await app.request('GET', '/v1/books', { key: 'kontor_guess_again' });
      expect(braked.status).toBe(429);
      expect(braked.headers.get('content-type')).toMatch(problemJson);
      expect(braked.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
      expect(Number(braked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(braked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await app.request('GET', '/v1/books')).status).toBe(429);
      expect((await app.request('GET', '/v1/books', { key: app.adminKey })).status).toBe(200);
      expect((await app.request('GET', '/health')).status).toBe(200);
    });
  });

  describe('failed-authentication brake behind a reverse proxy', () => {
    const failuresPerMinute = 3;
    const clientA = '203.0.113.7';
    const clientB = '198.51.100.23';
    let behindProxy: TestApp;
    let direct: TestApp;

    beforeAll(async () => {
      const brake = { KONTOR_AUTH_FAILURES_PER_MINUTE: String(failuresPerMinute) };
      // The test's requests come from 127.0.0.1: here that is the proxy.
      [behindProxy, direct] = await Promise.all([
        startTestApp({ env: { ...brake, KONTOR_TRUST_PROXY: '127.0.0.1' } }),
        startTestApp({ env: brake }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([behindProxy?.close(), direct?.close()]);
    });

    function failFrom(app: TestApp, client: string, attempt: number): Promise<number> {
      return app
        .request('GET', '/v1/books', {
          key: `kontor_guess_${client}_${attempt}`,
          headers: { 'x-forwarded-for': client },
        })
        .then((response) => response.status);
    }

    it('reads KONTOR_TRUST_PROXY as true, hops or addresses, and refuses anything else with one clear error', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ KONTOR_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
      expect(loadConfig({ KONTOR_TRUST_PROXY: '2' }).trustProxy).toBe(2);
      expect(
        loadConfig({ KONTOR_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8,loopback' })
          .trustProxy,
      ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', 'loopback']);
      for (const bad of [
        'yes',
        '0',
        '33',
        '10.0.0.0/33',
        '10.0.0.300',
        'proxy.internal',
        '127.0.0.1,',
        '10.0.0.0/8/1',
      ]) {
        expect(() => loadConfig({ KONTOR_TRUST_PROXY: bad })).toThrow(
          /^KONTOR_TRUST_PROXY must be true, false, a number of proxy hops/,
        );
      }
    });

    it('with KONTOR_TRUST_PROXY, brakes each X-Forwarded-For client on its own', async () => {
      const fromA: number[] = [];
      for (let attempt = 0; attempt < failuresPerMinute; attempt += 1)
        fromA.push(await failFrom(behindProxy, clientA, attempt));
      expect(fromA).toEqual(Array(failuresPerMinute).fill(401));
      expect(await failFrom(behindProxy, clientA, failuresPerMinute)).toBe(429);

      // Another client behind the same proxy still has its whole budget.
      const fromB: number[] = [];
      for (let attempt = 0; attempt < failuresPerMinute; attempt += 1)
        fromB.push(await failFrom(behindProxy, clientB, attempt));
      expect(fromB).toEqual(Array(failuresPerMinute).fill(401));
      expect(await failFrom(behindProxy, clientB, failuresPerMinute)).toBe(429);
      // The proxy's own address (no X-Forwarded-For) was never counted.
      expect(
        (await behindProxy.request('GET', '/v1/books', { key: 'kontor_guess_direct' })).status,
      ).toBe(401);
    });

    it('without it, ignores X-Forwarded-For: every client shares the address budget', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < failuresPerMinute; attempt += 1)
        statuses.push(await failFrom(direct, attempt % 2 === 0 ? clientA : clientB, attempt));
      expect(statuses).toEqual(Array(failuresPerMinute).fill(401));
      expect(await failFrom(direct, clientB, failuresPerMinute)).toBe(429);
      expect(await failFrom(direct, '192.0.2.99', 0)).toBe(429);
    });
  });

  describe('per-key rate limit', () => {
    const perMinute = 5;
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ env: { KONTOR_RATE_LIMIT_PER_MINUTE: String(perMinute) } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('answers 429 rate-limited with Retry-After beyond the limit, per key across routes', async () => {
      const first = await app.createKey('first', ['auditor']); // one admin request
      const second = await app.createKey('second', ['auditor']); // two
      const statuses: number[] = [];
      for (const path of [
        '/v1/books',
        '/v1/events',
        '/v1/audit/verify',
        '/v1/books',
        '/v1/events',
      ]) {
        statuses.push((await app.request('GET', path, { key: first })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = await app.request('GET', '/v1/books', { key: first });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(problemJson);
      expect(limited.body).toMatchObject({ type: '/problems/rate-limited', status: 429 });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await app.request('GET', '/v1/books', { key: second })).status).toBe(200);
      expect((await app.request('GET', '/health')).status).toBe(200);
    });
  });

  describe('CORS for configured origins', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ env: { KONTOR_CORS_ORIGINS: 'https://books.example' } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('allows only the configured origin', async () => {
      const preflight = (origin: string) =>
        fetch(`${app.baseUrl}/v1/books`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
      const allowed = await preflight('https://books.example');
      expect(allowed.status).toBeLessThan(300);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://books.example');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
        'authorization',
      );
      expect(
        (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
      ).toBeNull();
      const read = await app.request('GET', '/v1/books', {
        key: app.adminKey,
        headers: { origin: 'https://books.example' },
      });
      expect(read.headers.get('access-control-allow-origin')).toBe('https://books.example');
    });
  });
});
