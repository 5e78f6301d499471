/**
 * Webhooks over real HTTP on SQLite and PostgreSQL: registration, signed CloudEvents deliveries
 * (verified by a local receiver with the `standardwebhooks` library), retries in order, the
 * deliveries log, manual retry, deletion, a restart in the middle of retries; and the event
 * catalog against every event the app stored.
 */
import { CloudEvent } from 'cloudevents';
import { readBatchSizeMax, RecordedEvent } from '../../src/event-sourcing/index.js';
import { EventCatalog } from '../../src/subscriptions/subscriptions.module.js';
import { startTestApp, TestApp, TestStore } from '../support/app.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const stores: TestStore[] = ['sqlite', 'postgres', 'kurrentdb-fake'];
const fastRetries = { KONTOR_WEBHOOK_RETRY_BASE_MS: '2', KONTOR_WEBHOOK_RETRY_MAX_MS: '20' };

async function allEvents(app: TestApp): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const batch = await app.store.readAll({
      after: events[events.length - 1]?.position ?? 0n,
      limit: readBatchSizeMax,
    });
    events.push(...batch);
    if (batch.length < readBatchSizeMax) return events;
  }
}

describe.each(stores)('webhooks over %s', (store) => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let subscriber: string;

  beforeAll(async () => {
    Object.assign(process.env, fastRetries);
    app = await startTestApp({ store, env: { KONTOR_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    subscriber = await app.createKey('Integration', ['subscriber']);
  });

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    await receiver.close();
  });

  afterAll(async () => {
    for (const name of Object.keys(fastRetries)) delete process.env[name];
    await app.close();
  });

  async function register(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const response = await app.request('POST', '/v1/webhooks', {
      key: subscriber,
      body: { url: receiver.url, ...body },
    });
    expect(response.status).toBe(201);
    receiver.verifyWith(response.body.secret);
    return response.body;
  }

  it('registers, lists and validates webhooks; only webhooks:manage may', async () => {
    const { id, secret } = await register({ types: ['ApiKeyIssued'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const listed = await app.request('GET', '/v1/webhooks', { key: subscriber });
    expect(listed.body.items).toContainEqual(
      expect.objectContaining({ id, url: receiver.url, types: ['ApiKeyIssued'], books: null }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const accountant = await app.createKey('Accountant', ['accountant']);
    expect((await app.request('GET', '/v1/webhooks', { key: accountant })).status).toBe(403);
    const ftp = await app.request('POST', '/v1/webhooks', {
      key: subscriber,
      body: { url: 'ftp://example.com/x' },
    });
    expect(ftp.status).toBe(400);
    expect(ftp.body.type).toBe('/problems/validation');
    expect((await app.request('DELETE', `/v1/webhooks/${id}`, { key: subscriber })).status).toBe(
      200,
    );
  });

  it('delivers signed CloudEvents in order, once each, through three failed calls; logs attempts; redelivers on request', async () => {
    const { id } = await register({ types: ['ApiKeyIssued'] });
    receiver.failNext(3);
    const names = ['First', 'Second', 'Third'];
    for (const name of names) await app.createKey(name, ['auditor']);
    await receiver.waitForReceived(3);
    expect(receiver.verificationFailures).toBe(0);
    expect(receiver.calls).toBe(6);
    const events = receiver.received.map(
      (delivery) => new CloudEvent(delivery.event as Record<string, unknown>, true),
    );
    expect(events.map((event) => (event.data as unknown as { name: string }).name)).toEqual(names);
    expect(
      events.every(
        (event) =>
          event.type === 'kontor.ApiKeyIssued.v2' &&
          event.source === '/kontor' &&
          event.subject === 'api-keys',
      ),
    ).toBe(true);
    const positions = events.map((event) => Number(event['kontorposition']));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    // The chain links travel with every body (docs/audit.md), equal to the log's.
    for (const event of events) {
      // Positions are opaque (byte offsets on KurrentDB): read the event at it, no `- 1`.
      const [stored] = await app.store.readAll({
        from: BigInt(event['kontorposition'] as string),
        limit: 1,
      });
      expect(event['kontorhash']).toBe(stored!.hash);
      expect(event['kontorprevhash']).toBe(stored!.prevHash);
    }
    expect(receiver.received.map((delivery) => delivery.headers['webhook-id'])).toEqual(
      events.map((event) => event.id),
    );

    // The receiver answers before Kontor has recorded the attempt: read the log until the
    // delivery is final (then its attempts no longer change).
    let log = await app.request('GET', `/v1/webhooks/${id}/deliveries`, { key: subscriber });
    while (log.body.items?.[0]?.status === 'pending') {
      log = await app.request('GET', `/v1/webhooks/${id}/deliveries`, { key: subscriber });
    }
    expect(log.status).toBe(200);
    const first = log.body.items[0];
    expect(first).toMatchObject({ eventId: events[0]!.id, status: 'delivered', attempts: 4 });
    expect(first.attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
      500, 500, 500, 204,
    ]);

    const retry = await app.request('POST', `/v1/webhooks/${id}/deliveries/${first.id}/retry`, {
      key: subscriber,
    });
    expect(retry.status).toBe(202);
    await receiver.waitForReceived(4);
    expect(receiver.received[3]!.headers['webhook-id']).toBe(events[0]!.id);
    const unknown = await app.request('POST', `/v1/webhooks/${id}/deliveries/nope/retry`, {
      key: subscriber,
    });
    expect(unknown.status).toBe(404);
    await app.request('DELETE', `/v1/webhooks/${id}`, { key: subscriber });
  });

  it('keeps webhooks to their owner and its books; an admin sees all', async () => {
    const acmeKey = await app.createKey('Acme sync', ['subscriber'], ['acme']);
    const betaKey = await app.createKey('Beta sync', ['subscriber'], ['beta']);
    const other = await app.createKey('Other integration', ['subscriber']);
    const registerAs = async (key: string) => {
      const response = await app.request('POST', '/v1/webhooks', {
        key,
        body: { url: receiver.url, types: ['BookOpened'] },
      });
      expect(response.status).toBe(201);
      return response.body.id as string;
    };
    const acmeHook = await registerAs(acmeKey);
    const betaHook = await registerAs(betaKey);
    const ids = async (key: string) =>
      (await app.request('GET', '/v1/webhooks', { key })).body.items.map(
        (item: { id: string }) => item.id,
      );
    expect(await ids(acmeKey)).toEqual([acmeHook]);
    expect(await ids(betaKey)).toEqual([betaHook]);
    expect(await ids(other)).toEqual([]);
    expect(await ids(app.adminKey)).toEqual(expect.arrayContaining([acmeHook, betaHook]));
    const asAdmin = await app.request('GET', `/v1/webhooks/${betaHook}`, { key: app.adminKey });
    expect(asAdmin.body).toMatchObject({
      id: betaHook,
      books: ['beta'],
      createdBy: { name: 'Beta sync' },
    });
    expect((await app.request('GET', `/v1/webhooks/${acmeHook}`, { key: acmeKey })).status).toBe(
      200,
    );
    // Book B's webhook, and another integration's, are out of reach on every route.
    for (const [key, hook] of [
      [acmeKey, betaHook],
      [other, acmeHook],
    ] as const) {
      expect((await app.request('GET', `/v1/webhooks/${hook}`, { key })).status).toBe(404);
      expect((await app.request('GET', `/v1/webhooks/${hook}/deliveries`, { key })).status).toBe(
        404,
      );
      expect(
        (await app.request('POST', `/v1/webhooks/${hook}/deliveries/any/retry`, { key })).status,
      ).toBe(404);
      expect((await app.request('DELETE', `/v1/webhooks/${hook}`, { key })).status).toBe(404);
    }
    expect(await ids(betaKey)).toEqual([betaHook]);
    expect((await app.request('DELETE', `/v1/webhooks/${betaHook}`, { key: betaKey })).status).toBe(
      200,
    );
    expect(
      (await app.request('DELETE', `/v1/webhooks/${acmeHook}`, { key: app.adminKey })).status,
    ).toBe(200);
  });

  it("keeps a URL's query string out of the events; deliveries still go to the full URL", async () => {
    const url = `${receiver.url}?token=s3cr3t-in-query`;
    const response = await app.request('POST', '/v1/webhooks', {
      key: subscriber,
      body: { url, types: ['ApiKeyIssued'] },
    });
    expect(response.status).toBe(201);
    receiver.verifyWith(response.body.secret);
    const listed = await app.request('GET', `/v1/webhooks/${response.body.id}`, {
      key: subscriber,
    });
    expect(listed.body.url).toBe(`${receiver.url}?***`);
    await app.createKey('Query reader', ['auditor']);
    await receiver.waitForReceived(1);
    expect(receiver.received[0]!.path).toBe('/hooks/kontor?token=s3cr3t-in-query');
    const reader = await app.createKey('Events reader', ['auditor']);
    const events = await app.request('GET', '/v1/events?types=WebhookRegistered&limit=1000', {
      key: reader,
    });
    expect(events.status).toBe(200);
    expect(JSON.stringify(events.body)).not.toContain('s3cr3t-in-query');
    expect(JSON.stringify(events.body)).toContain(`${receiver.url}?***`);
    await app.request('DELETE', `/v1/webhooks/${response.body.id}`, { key: subscriber });
  });

  it('stops after deletion: no longer listed, its log still readable', async () => {
    const { id } = await register({ types: ['ApiKeyRevoked'] });
    const deleted = await app.request('DELETE', `/v1/webhooks/${id}`, { key: subscriber });
    expect(deleted.body).toMatchObject({ id, deleted: true });
    expect(typeof deleted.body.position).toBe('number');
    const listed = await app.request('GET', '/v1/webhooks', { key: subscriber });
    expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
    expect(
      (await app.request('GET', `/v1/webhooks/${id}/deliveries`, { key: subscriber })).status,
    ).toBe(200);
    expect(
      (await app.request('DELETE', '/v1/webhooks/wh_unknown', { key: subscriber })).status,
    ).toBe(404);
  });

  it('serves the event catalog, and every event the app stored validates against it', async () => {
    const response = await app.request('GET', '/v1/events/schemas', { key: subscriber });
    expect(response.status).toBe(200);
    const types = response.body.items.map((item: { type: string }) => item.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'ApiKeyIssued',
        'JournalEntryPosted',
        'WebhookRegistered',
        'ApprovalRequested',
      ]),
    );
    const { id } = await register({ books: ['acme'] });
    await app.request('DELETE', `/v1/webhooks/${id}`, { key: subscriber });
    const issued = await app.request('POST', '/v1/api-keys', {
      key: app.adminKey,
      body: { name: 'Temp', roles: ['auditor'], books: ['acme'] },
    });
    await app.request('DELETE', `/v1/api-keys/${issued.body.id}`, { key: app.adminKey });
    const catalog = new EventCatalog();
    const events = await allEvents(app);
    const stored = [...new Set(events.map((event) => event.type))];
    expect(stored).toEqual(
      expect.arrayContaining([
        'ApiKeyIssued',
        'ApiKeyRevoked',
        'WebhookRegistered',
        'WebhookDeleted',
      ]),
    );
    const failures = events
      .map((event) => ({ position: event.position, type: event.type, check: catalog.check(event) }))
      .filter(({ check }) => !check.ok);
    expect(failures).toEqual([]);
  });
});

describe('webhooks across a server restart (SQLite data dir reused)', () => {
  it('delivers what was pending when the server stopped in the middle of retries', async () => {
    Object.assign(process.env, fastRetries);
    const receiver = await WebhookReceiver.start();
    const first = await startTestApp({ env: { KONTOR_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    let second: TestApp | undefined;
    try {
      const created = await first.request('POST', '/v1/webhooks', {
        key: first.adminKey,
        body: { url: receiver.url, types: ['ApiKeyIssued'] },
      });
      receiver.verifyWith(created.body.secret);
      receiver.failForever(true);
      await first.createKey('Before restart 1', ['auditor']);
      await first.createKey('Before restart 2', ['auditor']);
      await receiver.waitForCalls(3);
      await first.app.close();
      receiver.failForever(false);
      second = await startTestApp({
        dataDir: first.dataDir,
        env: { KONTOR_WEBHOOK_ALLOW_PRIVATE: 'true', KONTOR_ADMIN_KEY: first.adminKey },
      });
      await receiver.waitForReceived(2);
      expect(
        receiver.received.map(
          (delivery) => (delivery.event.data as unknown as { name: string }).name,
        ),
      ).toEqual(['Before restart 1', 'Before restart 2']);
    } finally {
      await second?.close();
      await first.close().catch(() => undefined);
      await receiver.close();
      for (const name of Object.keys(fastRetries)) delete process.env[name];
    }
  });
});
