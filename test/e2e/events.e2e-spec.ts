/**
 * Projections API, audit verify/digest and `?consistentWith=` over real HTTP, on SQLite,
 * PostgreSQL and KurrentDB; reading the log (events and streams): events-log.
 */
import { RecordedEvent } from '../../src/event-sourcing/index.js';
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
