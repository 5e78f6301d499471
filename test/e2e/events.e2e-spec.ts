/**
 * Events API, projections API, audit verify/digest and `?consistentWith=` over real HTTP, on
 * SQLite and PostgreSQL.
 */
import { CloudEvent } from 'cloudevents';
import { newId, NewEvent, RecordedEvent } from '../../src/event-sourcing/index.js';
import { Projection, ProjectionsService } from '../../src/infrastructure/projections/index.js';
import { SqlDatabase } from '../../src/infrastructure/sql/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres', 'kurrentdb-fake'];
// Short enough that the 503 case does not slow the suite, long enough that eleven projections on
// PostgreSQL catch up with a write on a loaded CI machine (300 ms did not, under load).
const consistencyTimeoutMilliseconds = 2000;

/** Counts ApiKeyIssued events; `apply` waits while the gate is closed (to prove that reads wait). */
class GatedKeyCount implements Projection {
  readonly name = 'test-key-count';
  readonly version = 1;
  readonly handles = ['ApiKeyIssued'];
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;

  close(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  open(): void {
    this.openGate();
  }

  async setup(db: SqlDatabase): Promise<void> {
    await db.execute(
      'CREATE TABLE IF NOT EXISTS test_key_count (id TEXT PRIMARY KEY, n INTEGER NOT NULL)',
    );
  }

  async reset(db: SqlDatabase): Promise<void> {
    await db.execute('DROP TABLE IF EXISTS test_key_count');
  }

  async apply(_event: RecordedEvent, tx: SqlDatabase): Promise<void> {
    await this.gate;
    await tx.execute(
      `INSERT INTO test_key_count (id, n) VALUES ('keys', 1) ON CONFLICT (id) DO UPDATE SET n = test_key_count.n + 1`,
    );
  }
}

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
  let projections: ProjectionsService;
  let keyCount: GatedKeyCount;

  beforeAll(async () => {
    process.env.KONTOR_CONSISTENCY_TIMEOUT_MS = String(consistencyTimeoutMilliseconds);
    app = await startTestApp({ store });
    projections = app.app.get(ProjectionsService);
    keyCount = new GatedKeyCount();
    projections.register(keyCount);
  });

  afterAll(async () => {
    keyCount?.open();
    await app?.close();
    delete process.env.KONTOR_CONSISTENCY_TIMEOUT_MS;
  });

  async function headPosition(): Promise<number> {
    return Number(await app.store.headPosition());
  }

  describe('consistentWith', () => {
    it('answers a read only once the read models have the write', async () => {
      keyCount.close();
      const created = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'Reader', roles: ['auditor'] },
      });
      expect(created.status).toBe(201);
      const position: number = created.body.position;
      const waitForAll = projections.waitForAll.bind(projections);
      const spy = jest.spyOn(projections, 'waitForAll').mockImplementation((target, timeout) => {
        const waiting = waitForAll(target, timeout);
        keyCount.open(); // only now may the projection proceed: a read that did not wait sees it behind
        return waiting;
      });
      try {
        const response = await app.request('GET', `/v1/projections?consistentWith=${position}`, {
          key: app.adminKey,
        });
        expect(response.status).toBe(200);
        expect(spy).toHaveBeenCalledWith(BigInt(position));
        const state = response.body.find(
          (entry: { name: string }) => entry.name === 'test-key-count',
        );
        expect(state.position).toBeGreaterThanOrEqual(position);
      } finally {
        spy.mockRestore();
        keyCount.open();
      }
    });

    it('makes the write visible to GET /v1/events and does not trip the query DTO whitelist', async () => {
      const before = await headPosition();
      const created = await app.request('POST', '/v1/api-keys', {
        key: app.adminKey,
        body: { name: 'Visible', roles: ['subscriber'] },
      });
      const position: number = created.body.position;
      const response = await app.request(
        'GET',
        `/v1/events?fromPosition=${before}&limit=5&consistentWith=${position}`,
        {
          key: app.adminKey,
        },
      );
      expect(response.status).toBe(200);
      expect(response.body.items[0]).toMatchObject({
        position,
        type: 'ApiKeyIssued',
        streamId: 'api-keys',
      });
    });

    it('answers 503 not-ready when the read models do not reach the position in time', async () => {
      const tooHigh = (await headPosition()) + 1000;
      const started = performance.now();
      const response = await app.request('GET', `/v1/projections?consistentWith=${tooHigh}`, {
        key: app.adminKey,
      });
      const elapsed = performance.now() - started;
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ type: '/problems/not-ready', status: 503 });
      expect(elapsed).toBeGreaterThanOrEqual(consistencyTimeoutMilliseconds - 20);
    });

    it.each(['-1', 'abc', '1.5', ''])(
      'refuses consistentWith=%s with 400 validation',
      async (value) => {
        const response = await app.request('GET', `/v1/events?consistentWith=${value}`, {
          key: app.adminKey,
        });
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({
          type: '/problems/validation',
          errors: [{ field: 'consistentWith' }],
        });
      },
    );
  });

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

  describe('projections', () => {
    it('lists each projection with position, lag and status', async () => {
      const auditor = await app.createKey('Auditor', ['auditor']);
      const head = await headPosition();
      const response = await app.request('GET', `/v1/projections?consistentWith=${head}`, {
        key: auditor,
      });
      expect(response.status).toBe(200);
      expect(response.body).toContainEqual({
        name: 'test-key-count',
        position: expect.any(Number),
        lag: expect.any(Number),
        status: 'running',
      });
      const state = response.body.find(
        (entry: { name: string }) => entry.name === 'test-key-count',
      );
      expect(state.position).toBeGreaterThanOrEqual(head);
    });

    it('rebuilds a projection in the background (admin only) and 404s an unknown one', async () => {
      const auditor = await app.createKey('Auditor 2', ['auditor']);
      expect(
        (await app.request('POST', '/v1/projections/test-key-count/rebuild', { key: auditor }))
          .status,
      ).toBe(403);
      const response = await app.request('POST', '/v1/projections/test-key-count/rebuild', {
        key: app.adminKey,
      });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({ name: 'test-key-count', status: 'rebuilding' });
      const head = await headPosition();
      await projections.runner('test-key-count').waitFor(BigInt(head), 5_000);
      const db = app.app.get<SqlDatabase>('READ_MODEL_DB');
      const issued = (await app.store.readStream('api-keys')).filter(
        (event) => event.type === 'ApiKeyIssued',
      ).length;
      const [row] = await db.query<{ n: number }>(`SELECT n FROM test_key_count WHERE id = 'keys'`);
      expect(Number(row!.n)).toBe(issued);
      const unknown = await app.request('POST', '/v1/projections/no-such-projection/rebuild', {
        key: app.adminKey,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.type).toBe('/problems/not-found');
    });
  });

  describe('operations', () => {
    it('documents consistentWith on read operations in the OpenAPI document', async () => {
      const response = await app.request('GET', '/docs-json');
      expect(response.status).toBe(200);
      for (const path of [
        '/v1/events',
        '/v1/streams/{streamId}',
        '/v1/projections',
        '/v1/audit/verify',
      ]) {
        const names = response.body.paths[path].get.parameters.map(
          (parameter: { name: string }) => parameter.name,
        );
        expect({ path, hasConsistentWith: names.includes('consistentWith') }).toEqual({
          path,
          hasConsistentWith: true,
        });
      }
      expect(response.body.paths['/v1/api-keys'].post.parameters ?? []).not.toContainEqual(
        expect.objectContaining({ name: 'consistentWith' }),
      );
    });

    it('exports the projection lag and reports projections in readiness', async () => {
      await projections.waitForAll(BigInt(await headPosition()));
      const metrics = await app.request('GET', '/metrics');
      expect(metrics.body).toMatch(
        /^kontor_projection_lag_events\{projection="test-key-count"\} 0$/m,
      );
      const ready = await app.request('GET', '/health/ready', { key: app.adminKey });
      expect(ready.status).toBe(200);
      expect(ready.body.checks).toContainEqual({ name: 'projections', ok: true });
    });
  });

  describe('audit verify and digest', () => {
    it('verifies the chain and hands out a digest of its head', async () => {
      const auditor = await app.createKey('Verifier', ['auditor']);
      const verify = await app.request('GET', '/v1/audit/verify', { key: auditor });
      expect(verify.status).toBe(200);
      const digest = await app.request('GET', '/v1/audit/digest', { key: auditor });
      expect(digest.status).toBe(200);
      expect(verify.body).toEqual({
        ok: true,
        // positions are dense on SQLite/PostgreSQL; byte offsets on KurrentDB
        checkedEvents:
          store === 'kurrentdb-fake'
            ? (await app.store.readAll()).length
            : verify.body.headPosition,
        headPosition: digest.body.position,
        headHash: digest.body.hash,
      });
      expect(digest.body.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(digest.body.at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      const subscriber = await app.createKey('No audit', ['subscriber']);
      expect((await app.request('GET', '/v1/audit/verify', { key: subscriber })).status).toBe(403);
    });
  });
});
