import { randomUUID } from 'node:crypto';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { openHttpBook } from '../support/http-book.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

const rent = (amount = '120.00', description = 'Office rent') => ({
  effectiveDate: '2026-03-31',
  description,
  lines: [
    { account: '6310', debit: amount },
    { account: '1200', credit: amount },
  ],
});

describe.each(stores)('POST /v1/books/:book/journal-entries/batch over %s', (store) => {
  let app: TestApp;
  let accountant: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  const openBook = () =>
    openHttpBook(app, accountant, [
      ['1200', 'asset'],
      ['6310', 'expense'],
    ]);

  function batch(book: string, entries: unknown[]) {
    return app.request('POST', `/v1/books/${book}/journal-entries/batch`, {
      key: accountant,
      body: { entries },
    });
  }

  async function postedEntries(book: string): Promise<{ data: any; position: number }[]> {
    const events = await app.store.readStream(`book-${book}`);
    return events
      .filter((event) => event.type === 'JournalEntryPosted')
      .map((event) => ({ data: event.data, position: Number(event.position) }));
  }

  it('decides each entry on its own: the valid ones are posted in one append, the others answered with the single route’s problems', async () => {
    const book = await openBook();
    const appends = jest.spyOn(app.store, 'append');
    const entries = [
      rent('10.00', 'first'),
      {
        ...rent(),
        lines: [
          { account: '6310', debit: '10.00' },
          { account: '1200', credit: '9.00' },
        ],
      },
      {
        ...rent(),
        lines: [
          { account: '6310', debit: 10 },
          { account: '1200', credit: '10.00' },
        ],
      },
      {
        ...rent(),
        lines: [
          { account: '9999', debit: '1.00' },
          { account: '1200', credit: '1.00' },
        ],
      },
      'not an entry',
      { ...rent(), unknownField: true },
      rent('20.00', 'last'),
    ];
    const response = await batch(book, entries);
    const bookAppends = appends.mock.calls.filter(([streamId]) => streamId === `book-${book}`);
    appends.mockRestore();
    expect(response.status).toBe(200);
    const { results, position } = response.body;
    expect(results.map((result: { status: number }) => result.status)).toEqual([
      201, 422, 400, 422, 400, 400, 201,
    ]);
    expect(results.map((result: { index: number }) => result.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Exactly what the single route answers for the same body.
    for (const index of [1, 2, 3, 5]) {
      const single = await app.request('POST', `/v1/books/${book}/journal-entries`, {
        key: accountant,
        body: entries[index],
      });
      expect(results[index].problem).toEqual(single.body);
      expect(results[index].status).toBe(single.status);
    }
    expect(results[2].problem.errors).toEqual([
      { field: 'lines[0].debit', message: expect.stringContaining('got the number 10') },
    ]);
    expect(results[4].problem.errors).toEqual([
      { field: '(body)', message: 'expected a JSON object, got "not an entry"' },
    ]);
    expect(results[5].problem.errors).toEqual([
      { field: 'unknownField', message: 'is not a known field' },
    ]);
    expect(bookAppends).toHaveLength(1);
    const posted = await postedEntries(book);
    expect(posted.map((event) => event.data.description)).toEqual(['first', 'last']);
    expect(posted.map((event) => event.data.entryId)).toEqual([results[0].id, results[6].id]);
    expect(posted.map((event) => event.position)).toEqual([
      results[0].position,
      results[6].position,
    ]);
    expect(position).toBe(results[6].position);
    const trial = await app.request(
      'GET',
      `/v1/books/${book}/trial-balance?consistentWith=${position}`,
      { key: accountant },
    );
    expect(trial.status).toBe(200);
    expect(JSON.stringify(trial.body)).toContain('30.00');
  });

  it('answers a repeated idempotencyKey with the original result and posts nothing twice (also against the single route)', async () => {
    const book = await openBook();
    const entries = [
      { ...rent('1.00'), idempotencyKey: 'import-1' },
      { ...rent('2.00'), idempotencyKey: 'import-2' },
    ];
    const first = await batch(book, entries);
    expect(first.body.results.map((result: { status: number }) => result.status)).toEqual([
      201, 201,
    ]);
    const again = await batch(book, [...entries, { ...rent('3.00'), idempotencyKey: 'import-1' }]);
    expect(again.body.results.slice(0, 2)).toEqual(
      first.body.results.map((result: object) => ({ ...result, repeated: true })),
    );
    expect(again.body.results[2]).toMatchObject({
      status: 422,
      problem: { type: '/problems/idempotency-mismatch' },
    });
    const single = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: rent('2.00'),
      headers: { 'idempotency-key': 'import-2' },
    });
    expect(single.status).toBe(201);
    expect(single.body).toMatchObject({
      id: first.body.results[1].id,
      position: first.body.results[1].position,
    });
    expect(await postedEntries(book)).toHaveLength(2);
  });

  it('holds a gated entry back (202 with its approval) and posts the others', async () => {
    const book = await openBook();
    const compliance = await app.createKey('Clara Compliance', ['compliance']);
    const policy = await app.request('POST', `/v1/books/${book}/approval-policies`, {
      key: compliance,
      body: {
        name: 'big posts',
        action: 'journal-entry.post',
        condition: { minAmount: '1000.00', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
      },
    });
    expect(policy.status).toBe(201);
    const response = await batch(book, [rent('5000.00', 'big'), rent('5.00', 'small')]);
    expect(response.status).toBe(200);
    const [held, posted] = response.body.results;
    expect(held).toEqual({
      index: 0,
      status: 202,
      id: expect.any(String),
      approvalId: expect.any(String),
      position: expect.any(Number),
    });
    expect(posted).toMatchObject({ index: 1, status: 201 });
    const approval = await app.request(
      'GET',
      `/v1/approvals/${held.approvalId}?consistentWith=${response.body.position}`,
      { key: app.adminKey },
    );
    expect(approval.body).toMatchObject({ book, action: 'journal-entry.post', status: 'pending' });
    expect((await postedEntries(book)).map((event) => event.data.description)).toEqual(['small']);
  });

  it('takes 1,000 entries; refuses more, an empty batch and a non-array as a whole (400), posting nothing', async () => {
    const book = await openBook();
    const full = await batch(
      book,
      Array.from({ length: 1000 }, (_, index) => rent('1.00', `entry ${index}`)),
    );
    expect(full.status).toBe(200);
    expect(new Set(full.body.results.map((result: { status: number }) => result.status))).toEqual(
      new Set([201]),
    );
    const tooMany = await batch(
      book,
      Array.from({ length: 1001 }, () => rent()),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors).toEqual([
      { field: 'entries', message: 'expected at most 1000 items, got an array of 1001 items' },
    ]);
    expect((await batch(book, [])).status).toBe(400);
    const notArray = await app.request('POST', `/v1/books/${book}/journal-entries/batch`, {
      key: accountant,
      body: { entries: { 0: rent() } },
    });
    expect(notArray.status).toBe(400);
    expect(await postedEntries(book)).toHaveLength(1000);
  });

  it('answers an unknown book with 404 and a read-only key with 403', async () => {
    const unknown = await batch(`nobook-${randomUUID().slice(0, 8)}`, [rent(), rent()]);
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('/problems/not-found');
    const auditor = await app.createKey('Anna Auditor', ['auditor']);
    const book = await openBook();
    const forbidden = await app.request('POST', `/v1/books/${book}/journal-entries/batch`, {
      key: auditor,
      body: { entries: [rent()] },
    });
    expect(forbidden.status).toBe(403);
  });
});
