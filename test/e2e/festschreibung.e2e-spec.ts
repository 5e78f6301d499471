import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { TestApp, startTestApp } from '../support/app.js';

/** Festschreibung over HTTP (docs/adr/0014-festschreibung-and-carry-forward.md). */
describe('Festschreibung: period locks over HTTP', () => {
  let app: TestApp;
  let accountant: string;
  const clock = new ManualClock(new Date('2026-12-03T10:00:00.000Z'));

  beforeAll(async () => {
    app = await startTestApp({ store: 'sqlite', clock });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `book-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    return id;
  }

  const post = (book: string, effectiveDate: string) =>
    app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate,
        description: 'Büromaterial',
        lines: [
          { account: '4930', debit: '10.00' },
          { account: '1200', credit: '10.00' },
        ],
      },
    });
  const close = (book: string, period: string) =>
    app.request('POST', `/v1/books/${book}/periods/${period}/close`, { key: accountant });
  const reopen = (book: string, period: string) =>
    app.request('POST', `/v1/books/${book}/periods/${period}/reopen`, {
      key: accountant,
      body: { reason: 'Nachbuchung' },
    });

  it('refuses a posting dated 2026-10 once 2026-11 is closed, naming the locking period', async () => {
    const book = await openBook();
    expect((await close(book, '2026-11')).status).toBe(200);
    const refused = await post(book, '2026-10-15');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      type: '/problems/period-closed',
      detail: expect.stringContaining('2026-11 is closed'),
    });
    expect((await post(book, '2026-12-01')).status).toBe(201);
  });

  it('refuses closing a month after the clock’s today (400, field period), nothing is recorded', async () => {
    const book = await openBook();
    const future = await close(book, '2027-01');
    expect(future.status).toBe(400);
    expect(future.body.errors).toEqual([
      { field: 'period', message: expect.stringContaining('today is 2026-12-03') },
    ]);
    expect((await post(book, '2027-01-05')).status).toBe(201);
    expect((await close(book, '2026-12')).status).toBe(200);
  });

  it('refuses reopening an earlier period while a later one is closed, until the later one is reopened', async () => {
    const book = await openBook();
    expect((await close(book, '2026-10')).status).toBe(200);
    expect((await close(book, '2026-11')).status).toBe(200);
    const refused = await reopen(book, '2026-10');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('reopen 2026-11 first');
    expect((await reopen(book, '2026-11')).status).toBe(200);
    expect((await reopen(book, '2026-10')).status).toBe(200);
    expect((await post(book, '2026-10-15')).status).toBe(201);
  });
});
