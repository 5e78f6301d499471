import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';

/**
 * GET /v1/books/:book/reports/late-bookings (GoBD timeliness), on SQLite and on PostgreSQL. The
 * store records events at the manual clock's time, so "recorded 18 days after the effective
 * date" is real, not simulated; both stores must give the same answer (compared at the end).
 */
const stores: TestStore[] = ['sqlite', 'postgres'];
/** The answer of `days=3` per store, entry ids replaced by the entries' names. */
const answers = new Map<TestStore, unknown>();

describe.each(stores)('late bookings over %s', (store) => {
  let app: TestApp;
  let dataDir: string;
  let schema: TestSchema | undefined;
  let accountant: string;
  const clock = new ManualClock(new Date('2026-03-20T10:00:00.000Z'));
  let book: string;
  let position = 0;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-late-'));
    if (store === 'postgres') {
      // The event store and the read models in one schema, the store recording at the clock's time.
      schema = await createTestSchema();
      const eventStore = await PostgresEventStore.connect(schema.url, { clock });
      app = await startTestApp({
        store,
        clock,
        dataDir,
        eventStore,
        env: { DATABASE_URL: schema.url },
      });
    } else {
      const eventStore = await SqliteEventStore.open(join(dataDir, 'events.db'), { clock });
      app = await startTestApp({ store, clock, dataDir, eventStore });
    }
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    book = `book-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'Kasse GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    // Recorded on 2026-03-20: 18 days late, 5 days late, cash a day late, cash the same day.
    await post('late', '2026-03-02', '4930', '1200');
    await post('recent', '2026-03-15', '4930', '1200');
    await post('cash-late', '2026-03-19', '4930', '1000');
    await post('cash-same-day', '2026-03-20', '4930', '1000');
    clock.set('2026-04-01T08:00:00.000Z');
    await post('in-time-april', '2026-04-01', '4930', '1200');
  });

  afterAll(async () => {
    await app?.close();
    await schema?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function post(name: string, effectiveDate: string, debit: string, credit: string) {
    const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate,
        description: name,
        lines: [
          { account: debit, debit: '10.00' },
          { account: credit, credit: '10.00' },
        ],
      },
    });
    expect(response.status).toBe(201);
    ids[name] = response.body.id;
    position = Math.max(position, response.body.position);
  }

  const report = (query: string) =>
    app.request(
      'GET',
      `/v1/books/${book}/reports/late-bookings?consistentWith=${position}&${query}`,
      { key: accountant },
    );

  it('lists entries recorded more than `days` late and cash entries not booked the same day, with the delay', async () => {
    const response = await report('days=10');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ days: 10, cashAccounts: ['1000'], nextCursor: null });
    expect(
      response.body.items.map((item: any) => [item.description, item.delayDays, item.reasons]),
    ).toEqual([
      ['late', 18, ['late']],
      ['cash-late', 1, ['cash-not-same-day']],
    ]);
    expect(response.body.items[0]).toMatchObject({
      entryId: ids.late,
      effectiveDate: '2026-03-02',
      recordedDate: '2026-03-20',
    });
  });

  it('honours days, from/to and pages with a cursor', async () => {
    const strict = await report('days=3&from=2026-03-01&to=2026-03-31');
    const names = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
    answers.set(
      store,
      strict.body.items.map((item: any) => ({ ...item, entryId: names.get(item.entryId) })),
    );
    expect(strict.body.items.map((item: any) => item.description)).toEqual([
      'late',
      'recent',
      'cash-late',
    ]);
    const first = await report('days=3&limit=2');
    expect(first.body.items).toHaveLength(2);
    const rest = await report(`days=3&limit=2&cursor=${first.body.nextCursor}`);
    expect(rest.body.items.map((item: any) => item.description)).toEqual(['cash-late']);
    expect(rest.body.nextCursor).toBeNull();
    expect((await report('from=2026-03-10&to=2026-03-31')).body.items).toHaveLength(1);
  });

  it('refuses bad parameters with 400 and an unknown book with 404', async () => {
    for (const query of ['days=-1', 'days=ten', 'from=2026-02-30', 'cursor=bogus']) {
      const response = await report(query);
      expect(response.status).toBe(400);
    }
    const unknown = await app.request('GET', `/v1/books/nope/reports/late-bookings`, {
      key: app.adminKey,
    });
    expect(unknown.status).toBe(404);
  });
});

describe('late bookings on both stores', () => {
  it('gives the same answer on PostgreSQL as on SQLite', () => {
    expect(answers.get('sqlite')).toHaveLength(3);
    expect(answers.get('postgres')).toEqual(answers.get('sqlite'));
  });
});
