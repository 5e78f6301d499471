/**
 * GET /v1/events/stream over real HTTP on SQLite and PostgreSQL: catch-up then live across a
 * reconnect with no gap and no duplicate, server-side type filter, Last-Event-ID, auth,
 * heartbeats, and a slow consumer that is cut off (with `event: error`) without holding up writers.
 */
import { request as httpRequest, IncomingMessage } from 'node:http';
import { EventSource } from 'eventsource';
import { newId, NewEvent, RecordedEvent } from '../../src/event-sourcing/index.js';
import { startTestApp, TestApp, TestStore } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres', 'kurrentdb-fake'];
const sseBufferBytes = 64 * 1024;

interface Received {
  id: number;
  data: { position: number; type: string; eventId: string };
}

/** An EventSource with a bearer header; `until(n)` resolves once n events arrived. */
function openStream(app: TestApp, key: string, query = '', lastEventId?: string) {
  const received: Received[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  const source = new EventSource(`${app.baseUrl}/v1/events/stream${query}`, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: {
          ...init?.headers,
          authorization: `Bearer ${key}`,
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      }),
  });
  source.onmessage = (message) => {
    received.push({
      id: Number(message.lastEventId),
      data: JSON.parse(message.data) as Received['data'],
    });
    for (const waiter of [...waiters]) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  return {
    source,
    received,
    until(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
  };
}

/** A raw GET of the stream: the response object, not read until the test says so. */
function rawStream(
  app: TestApp,
  path: string,
  headers: Record<string, string>,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${app.baseUrl}${path}`, { headers }, resolve);
    request.on('error', reject);
    request.end();
  });
}

/** Reads a raw stream until `done(recent)` holds for the latest chunk (with some overlap) or it ends; returns the text. */
function readUntil(response: IncomingMessage, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const finish = () => {
      response.off('data', onData);
      resolve(text);
    };
    const onData = (chunk: Buffer) => {
      const piece = chunk.toString('utf8');
      const recent = text.slice(-100) + piece;
      text += piece;
      if (done(recent)) finish();
    };
    response.on('data', onData);
    response.on('end', finish);
    response.resume();
  });
}

function idsOf(text: string): number[] {
  return [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
}

function bigEvent(payloadBytes: number): NewEvent {
  return {
    eventId: newId(),
    type: 'LoadTestHappened',
    data: { blob: 'x'.repeat(payloadBytes) },
    metadata: { actor: { id: 'test', name: 'Test' }, correlationId: newId() },
  };
}

describe.each(stores)('SSE event stream over %s', (store) => {
  let app: TestApp;
  let reader: string;

  beforeAll(async () => {
    process.env.KONTOR_SSE_HEARTBEAT_MS = '100';
    process.env.KONTOR_SSE_BUFFER_BYTES = String(sseBufferBytes);
    app = await startTestApp({ store });
    reader = await app.createKey('Stream reader', ['subscriber']);
  });

  /** The log's events after `after` (positions are opaque: byte offsets with gaps on KurrentDB). */
  async function logEvents(after = 0n): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await app.store.readAll({ after: events.at(-1)?.position ?? after });
      events.push(...page);
      if (page.length === 0) return events;
    }
  }

  const positionsOf = (events: RecordedEvent[]) => events.map((event) => Number(event.position));

  afterAll(async () => {
    delete process.env.KONTOR_SSE_HEARTBEAT_MS;
    delete process.env.KONTOR_SSE_BUFFER_BYTES;
    await app.close();
  });

  it('catches up, goes live, and resumes after a reconnect with no gap and no duplicate', async () => {
    await app.createKey('Early 1', ['auditor']);
    await app.createKey('Early 2', ['auditor']);
    const countBefore = (await logEvents()).length;
    const first = openStream(app, reader, '?fromPosition=0');
    await first.until(countBefore);
    await app.createKey('Live 1', ['auditor']);
    await app.createKey('Live 2', ['auditor']);
    await first.until(countBefore + 2);
    first.source.close();
    const lastId = first.received[first.received.length - 1]!.id;
    await app.createKey('While away', ['auditor']);
    const missed = (await logEvents(BigInt(lastId))).length;
    const second = openStream(app, reader, '?fromPosition=0', String(lastId));
    await app.createKey('After reconnect', ['auditor']);
    await second.until(missed + 1);
    second.source.close();
    const ids = [...first.received, ...second.received].map((event) => event.id);
    expect(ids).toEqual(positionsOf(await logEvents()));
    expect(first.received.every((event) => event.data.position === event.id)).toBe(true);
  });

  it('filters types on the server and honours Last-Event-ID over fromPosition', async () => {
    const revokedKey = await app.request('POST', '/v1/api-keys', {
      key: app.adminKey,
      body: { name: 'Short-lived', roles: ['auditor'] },
    });
    const revoke = await app.request('DELETE', `/v1/api-keys/${revokedKey.body.id}`, {
      key: app.adminKey,
    });
    expect(revoke.status).toBe(200);
    const stream = openStream(app, reader, '?types=ApiKeyRevoked&fromPosition=999999', '0');
    await stream.until(1);
    stream.source.close();
    expect(stream.received.map((event) => event.data.type)).toEqual(['ApiKeyRevoked']);
  });

  it('needs events:read; takes the key from ?access_token= for browsers', async () => {
    const anonymous = await fetch(`${app.baseUrl}/v1/events/stream`);
    expect(anonymous.status).toBe(401);
    const approver = await app.createKey('Approver', ['approver']);
    const forbidden = await fetch(`${app.baseUrl}/v1/events/stream`, {
      headers: { authorization: `Bearer ${approver}` },
    });
    expect(forbidden.status).toBe(403);
    const response = await rawStream(
      app,
      `/v1/events/stream?access_token=${encodeURIComponent(reader)}`,
      {},
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const [firstEvent] = await app.store.readAll({ limit: 1 });
    const firstId = `id: ${firstEvent!.position}\n`;
    const text = await readUntil(response, (seen) => seen.includes(firstId));
    response.destroy();
    expect(text).toContain(firstId);
  });

  it('cuts a stream the moment its key is revoked; the key cannot reconnect', async () => {
    const created = await app.request('POST', '/v1/api-keys', {
      key: app.adminKey,
      body: { name: 'Dashboard', roles: ['subscriber'] },
    });
    const path = `/v1/events/stream?types=JournalEntryPosted&access_token=${created.body.key}`;
    const response = await rawStream(app, path, {});
    expect(response.statusCode).toBe(200);
    const ended = readUntil(response, () => false);
    const revoke = await app.request('DELETE', `/v1/api-keys/${created.body.id}`, {
      key: app.adminKey,
    });
    expect(revoke.status).toBe(200);
    const text = await ended;
    expect(text).toContain('event: error\n');
    expect(text).toContain('"type":"/problems/unauthorized"');
    expect((await rawStream(app, path, {})).statusCode).toBe(401);
  });

  it('sends heartbeat comments on an idle stream', async () => {
    const head = await app.store.headPosition();
    const response = await rawStream(app, `/v1/events/stream?fromPosition=${head}`, {
      authorization: `Bearer ${reader}`,
    });
    const text = await readUntil(response, (seen) => seen.includes(': heartbeat\n\n'));
    response.destroy();
    expect(text).toMatch(/^retry: \d+\n\n/);
    expect(text).toContain(': heartbeat\n\n');
  });

  it('ends a slow consumer with event: error without blocking writers; it resumes from its last id', async () => {
    const start = await app.store.headPosition();
    const response = await rawStream(
      app,
      `/v1/events/stream?fromPosition=${start}&types=LoadTestHappened`,
      { authorization: `Bearer ${reader}` },
    );
    response.pause();
    // Far more than the socket buffers and the session's 64 KiB can hold; appends finish while nobody reads.
    const eventBytes = 64 * 1024;
    const eventsWritten = 400;
    // Ten per append: 640 KiB, under KurrentDB's 1 MiB MaxAppendSize.
    for (let batch = 0; batch < eventsWritten / 10; batch++) {
      await app.store.append(
        `load-${batch}`,
        Array.from({ length: 10 }, () => bigEvent(eventBytes)),
      );
    }
    const head = Number(await app.store.headPosition());
    const loaded = positionsOf(
      (await logEvents(start)).filter((event) => event.type === 'LoadTestHappened'),
    );
    const text = await readUntil(response, () => false);
    expect(text).toContain('event: error\ndata: {"type":"/problems/slow-consumer"');
    const received = idsOf(text);
    expect(received.length).toBeLessThan(eventsWritten);
    expect(received).toEqual(loaded.slice(0, received.length));
    const lastId = received[received.length - 1]!;
    const resumed = await rawStream(app, '/v1/events/stream?types=LoadTestHappened', {
      authorization: `Bearer ${reader}`,
      'last-event-id': String(lastId),
    });
    const rest = await readUntil(resumed, (seen) => /^id: \d+$/m.test(seen));
    resumed.destroy();
    expect(idsOf(rest)[0]).toBe(loaded[received.length]);
    expect(lastId).toBeLessThan(head);
  }, 60_000);
});

describe('SSE and revocation across instances (postgres)', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({ store: 'postgres' });
    second = await startTestApp({
      store: 'postgres',
      env: {
        DATABASE_URL: first.config.databaseUrl!,
        KONTOR_ADMIN_KEY: first.adminKey,
        KONTOR_INSTANCE_ID: 'second',
      },
    });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('a key revoked on one instance loses its stream on the other at once', async () => {
    const created = await first.request('POST', '/v1/api-keys', {
      key: first.adminKey,
      body: { name: 'Wallboard', roles: ['subscriber'] },
    });
    const response = await rawStream(second, '/v1/events/stream', {
      authorization: `Bearer ${created.body.key}`,
    });
    expect(response.statusCode).toBe(200);
    const ended = readUntil(response, () => false);
    expect(
      (
        await first.request('DELETE', `/v1/api-keys/${created.body.id}`, {
          key: first.adminKey,
        })
      ).status,
    ).toBe(200);
    expect(await ended).toContain('"type":"/problems/unauthorized"');
  });
});
