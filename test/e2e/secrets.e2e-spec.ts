/**
 * No API key secret, webhook secret or Authorization header value ever reaches the logs (at
 * LOG_LEVEL=debug) or the stored events. Its own file: nestjs-pino builds one logger per process
 * (module registry) from the first app's settings, so the first app here must be the logging one.
 */
import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent, readBatchSizeMax } from '../../src/event-sourcing/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

async function allEvents(app: TestApp): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const after = events.at(-1)?.position;
    const page = await app.store.readAll({
      ...(after === undefined ? {} : { fromPosition: after + 1n }),
      limit: readBatchSizeMax,
    });
    events.push(...page);
    if (page.length < readBatchSizeMax) return events;
  }
}

/** A scenario touching every place a secret passes: issue, use, revoke, fail, register a webhook. */
async function scenario(app: TestApp): Promise<string[]> {
  const secrets = [app.adminKey];
  const accountant = await app.createKey('Ada', ['accountant']);
  const subscriber = await app.createKey('Hook', ['subscriber']);
  const revoked = await app.createKey('Gone', ['auditor']);
  secrets.push(accountant, subscriber, revoked);
  const listed = await app.request<{ items: { id: string; name: string }[] }>(
    'GET',
    '/v1/api-keys',
    { key: app.adminKey },
  );
  const goneId = listed.body.items.find((key) => key.name === 'Gone')!.id;
  expect(
    (await app.request('DELETE', `/v1/api-keys/${goneId}`, { key: app.adminKey })).status,
  ).toBe(200);
  expect((await app.request('GET', '/v1/books', { key: revoked })).status).toBe(401);
  await sseScenario(app, subscriber, secrets);
  const book = { id: 'acme', name: 'ACME', baseCurrency: 'EUR' };
  expect((await app.request('POST', '/v1/books', { key: accountant, body: book })).status).toBe(
    403,
  );
  expect((await app.request('POST', '/v1/books', { key: app.adminKey, body: book })).status).toBe(
    201,
  );
  for (const wrong of [
    'kontor_wrong_one_0123456789abcdef',
    `${accountant}x`,
    accountant.slice(0, -1),
    'not-even-a-key',
  ]) {
    secrets.push(wrong);
    expect([401, 429]).toContain((await app.request('GET', '/v1/books', { key: wrong })).status);
  }
  secrets.push('dXNlcjpwYXNzd29yZA==');
  expect([401, 429]).toContain(
    (
      await app.request('GET', '/v1/books', {
        headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' },
      })
    ).status,
  );
  const spec = await app.request<{ paths: Record<string, unknown> }>('GET', '/docs-json');
  if (spec.body.paths['/v1/webhooks']) {
    const hook = await app.request('POST', '/v1/webhooks', {
      key: subscriber,
      body: { url: 'https://hooks.example/kontor' },
    });
    expect(hook.status).toBe(201);
    secrets.push(hook.body.secret);
    expect((await app.request('GET', '/v1/webhooks', { key: subscriber })).status).toBe(200);
  }
  const served = await app.request('GET', `/v1/events?limit=${readBatchSizeMax}`, {
    key: app.adminKey,
  });
  expect(served.status).toBe(200);
  const servedText = JSON.stringify(served.body);
  expect(secrets.filter((secret) => servedText.includes(secret)).length).toBe(0);
  return secrets;
}

/** GET with a raw socket until the headers arrive, then hang up (as a browser's EventSource does). */
function openAndDrop(app: TestApp, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${app.baseUrl}${path}`, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on('error', reject);
    request.end();
  });
}

/** SSE keys in `?access_token=` (valid, revoked, wrong) and key-looking values in other query strings. */
async function sseScenario(app: TestApp, subscriber: string, secrets: string[]): Promise<void> {
  expect(await openAndDrop(app, `/v1/events/stream?access_token=${subscriber}`)).toBe(200);
  expect(
    await openAndDrop(app, `/v1/events/stream?fromPosition=0&access_token=${subscriber}&types=x`),
  ).toBe(200);
  const wrong = `kontor_${'w'.repeat(43)}`;
  secrets.push(wrong);
  expect(await openAndDrop(app, `/v1/events/stream?access_token=${wrong}`)).toBe(401);
  // A key pasted into another parameter, or into the path, of a normal call.
  const pasted = `${subscriber.slice(0, 7)}${'p'.repeat(43)}`;
  secrets.push(pasted);
  expect(
    (await app.request('GET', `/v1/books?token=${pasted}`, { key: app.adminKey })).status,
  ).toBe(400);
  expect((await app.request('GET', `/v1/events?api_key=${subscriber}&limit=1`)).status).toBe(401);
}

describe('no secrets in logs or events', () => {
  let logDir: string;
  let logFile: string;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'kontor-logs-'));
    logFile = join(logDir, 'kontor.log');
  });

  afterAll(async () => {
    await rm(logDir, { recursive: true, force: true });
  });

  it.each(stores)(
    'over %s: key secrets, webhook secrets and Authorization values appear nowhere',
    async (store) => {
      const app = await startTestApp({
        store,
        env: { LOG_LEVEL: 'debug', KONTOR_LOG_FILE: logFile, KONTOR_AUTH_FAILURES_PER_MINUTE: '3' },
      });
      let secrets: string[];
      let events: RecordedEvent[];
      try {
        secrets = await scenario(app);
        events = await allEvents(app);
      } finally {
        await app.close();
      }
      const logs = await readFile(logFile, 'utf8');
      // The requests were logged, Authorization headers among them (expectations on booleans: a
      // failure must not print the log, which would hold the secret).
      expect(logs.includes('"msg":"request completed"')).toBe(true);
      expect(logs.includes('"authorization":"[redacted]"')).toBe(true);
      expect(events.some((event) => event.type === 'ApiKeyIssued')).toBe(true);
      const stored = JSON.stringify(events, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      );
      const leaks = secrets.flatMap((secret, index) => [
        ...(logs.includes(secret) ? [`secret #${index} in the log`] : []),
        ...(stored.includes(secret) ? [`secret #${index} in the stored events`] : []),
      ]);
      expect(leaks).toEqual([]);
    },
  );
});
