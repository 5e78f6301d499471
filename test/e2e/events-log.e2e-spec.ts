/**
 * Reading the log over real HTTP (`GET /v1/events`, `GET /v1/streams/:streamId`), on SQLite,
 * PostgreSQL and KurrentDB.
 */
import { CloudEvent } from 'cloudevents';
import { newId, NewEvent } from '../../src/event-sourcing/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres', 'kurrentdb-fake'];

function bookEvent(type: string, book: string): NewEvent {
  return {
    eventId: newId(),
    type,
    data: { book },
    metadata: { actor: { id: 'test', name: 'Test' }, correlationId: newId(), book },
  };
}

describe.each(stores)('events, projections and audit API over %s', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ store });
  });

  afterAll(async () => {
    await app?.close();
  });

  const headPosition = async () => Number(await app.store.headPosition());

  describe('GET /v1/events', () => {
    beforeAll(async () => {
      await app.store.append('ledger-test-a', [
        bookEvent('TestPosted', 'book-a'),
        bookEvent('TestNoted', 'book-a'),
      ]);
      await app.store.append('ledger-test-b', [bookEvent('TestPosted', 'book-b')]);
    });

    it('pages the log in position order with fromPosition exclusive and a cursor', async () => {
      const head = await headPosition();
      // Positions are opaque (byte offsets with gaps on KurrentDB): compare with the store's own log.
      const log = await app.store.readAll();
      const logPositions = log.map((event) => Number(event.position));
      const first = await app.request('GET', '/v1/events?limit=2', { key: app.adminKey });
      expect(first.status).toBe(200);
      expect(first.body.items.map((event: { position: number }) => event.position)).toEqual(
        logPositions.slice(0, 2),
      );
      expect(first.body.items[0]).toEqual({
        position: logPositions[0],
        eventId: expect.any(String),
        streamId: expect.any(String),
        revision: 0,
        type: expect.any(String),
        schemaVersion: 2, // the bootstrap ApiKeyIssued (v2: a keyed verifier)
        data: expect.any(Object),
        metadata: expect.objectContaining({
          actor: expect.any(Object),
          correlationId: expect.any(String),
        }),
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        prevHash: '0'.repeat(64),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      if (store !== 'kurrentdb-fake')
        expect(first.body.items[1].prevHash).toBe(first.body.items[0].hash); // one chain (KurrentDB: per stream)
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const positions: number[] = [
        ...first.body.items.map((event: { position: number }) => event.position),
      ];
      let cursor: string | null = first.body.nextCursor;
      while (cursor !== null) {
        const page = await app.request('GET', `/v1/events?limit=2&cursor=${cursor}`, {
          key: app.adminKey,
        });
        positions.push(...page.body.items.map((event: { position: number }) => event.position));
        cursor = page.body.nextCursor;
      }
      expect(positions).toEqual(logPositions);
      expect(positions.at(-1)).toBe(head);
      const after = await app.request('GET', `/v1/events?fromPosition=${logPositions.at(-2)}`, {
        key: app.adminKey,
      });
      expect(after.body).toEqual({
        items: [expect.objectContaining({ position: head })],
        nextCursor: null,
      });
      if (store === 'kurrentdb-fake') {
        // A number between two events' positions is no position of this log: 400, nothing read.
        const between = await app.request('GET', `/v1/events?fromPosition=${head - 1}`, {
          key: app.adminKey,
        });
        expect(between.status).toBe(400);
        expect(between.body.detail).toMatch(/is not the position of an event/);
      }
    });

    it('filters by types, stream and book', async () => {
      const byType = await app.request('GET', '/v1/events?types=TestPosted,TestNoted', {
        key: app.adminKey,
      });
      expect(byType.body.items.map((event: { type: string }) => event.type)).toEqual([
        'TestPosted',
        'TestNoted',
        'TestPosted',
      ]);
      const byStream = await app.request('GET', '/v1/events?stream=ledger-test-a', {
        key: app.adminKey,
      });
      expect(byStream.body.items.map((event: { revision: number }) => event.revision)).toEqual([
        0, 1,
      ]);
      const byBook = await app.request('GET', '/v1/events?book=book-b&types=TestPosted', {
        key: app.adminKey,
      });
      expect(byBook.body.items).toEqual([
        expect.objectContaining({
          streamId: 'ledger-test-b',
          metadata: expect.objectContaining({ book: 'book-b' }),
        }),
      ]);
      expect(byBook.body.nextCursor).toBeNull();
    });

    it('serves CloudEvents 1.0 with format=cloudevents, valid by the cloudevents SDK', async () => {
      const plain = await app.request('GET', '/v1/events?book=book-b&types=TestPosted', {
        key: app.adminKey,
      });
      const response = await app.request(
        'GET',
        '/v1/events?book=book-b&types=TestPosted&format=cloudevents',
        { key: app.adminKey },
      );
      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(1);
      const [original] = plain.body.items;
      const cloudEvent = new CloudEvent(response.body.items[0] as Record<string, unknown>, true);
      expect(cloudEvent.validate()).toBe(true);
      expect(cloudEvent).toMatchObject({
        specversion: '1.0',
        id: original.eventId,
        source: '/kontor/books/book-b',
        type: 'kontor.TestPosted.v1',
        subject: 'ledger-test-b',
        time: original.recordedAt,
        kontorposition: String(original.position),
      });
      expect(cloudEvent.data).toEqual(original.data);
      expect(
        (await app.request('GET', '/v1/events?format=xml', { key: app.adminKey })).status,
      ).toBe(400);
    });

    it('shows a book-restricted key only its books', async () => {
      const key = await app.createKey('Restricted', ['subscriber'], ['book-a']);
      const response = await app.request('GET', '/v1/events?limit=1000', { key });
      expect(response.status).toBe(200);
      expect(response.body.items.map((event: { streamId: string }) => event.streamId)).toEqual([
        'ledger-test-a',
        'ledger-test-a',
      ]);
      const otherBook = await app.request('GET', '/v1/events?book=book-b', { key });
      expect(otherBook.status).toBe(403);
    });

    it('refuses bad parameters and keys without events:read', async () => {
      for (const query of [
        'limit=0',
        'limit=1001',
        'fromPosition=-3',
        'types=',
        'fromPosition=1&cursor=2',
        'unknown=1',
      ]) {
        const response = await app.request('GET', `/v1/events?${query}`, { key: app.adminKey });
        expect({ query, status: response.status, type: response.body.type }).toEqual({
          query,
          status: 400,
          type: '/problems/validation',
        });
      }
      expect((await app.request('GET', '/v1/events')).status).toBe(401);
      const approver = await app.createKey('Approver', ['approver']);
      expect((await app.request('GET', '/v1/events', { key: approver })).status).toBe(403);
    });
  });

  describe('GET /v1/streams/:streamId', () => {
    it("returns a stream's events in revision order", async () => {
      const response = await app.request('GET', '/v1/streams/ledger-test-a', { key: app.adminKey });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ streamId: 'ledger-test-a', nextCursor: null });
      expect(
        response.body.items.map((event: { revision: number; type: string }) => [
          event.revision,
          event.type,
        ]),
      ).toEqual([
        [0, 'TestPosted'],
        [1, 'TestNoted'],
      ]);
      const paged = await app.request('GET', '/v1/streams/ledger-test-a?limit=1', {
        key: app.adminKey,
      });
      expect(paged.body.items).toHaveLength(1);
      const rest = await app.request(
        'GET',
        `/v1/streams/ledger-test-a?limit=1&cursor=${paged.body.nextCursor}`,
        { key: app.adminKey },
      );
      expect(rest.body.items.map((event: { revision: number }) => event.revision)).toEqual([1]);
    });

    it('answers 404 for a stream without events', async () => {
      const response = await app.request('GET', '/v1/streams/no-such-stream', {
        key: app.adminKey,
      });
      expect(response.status).toBe(404);
      expect(response.body.type).toBe('/problems/not-found');
    });
  });
});
