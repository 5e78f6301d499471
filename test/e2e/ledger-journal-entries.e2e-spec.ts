/** The ledger write API's journal entries: posting, refusals, idempotency and reversal. */
import { randomUUID } from 'node:crypto';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { rent, useLedgerApi } from '../support/ledger-api.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('ledger write API over %s', (store) => {
  const ledger = useLedgerApi(store);
  const { openBook, post, bookEvents } = ledger;
  let app: TestApp;
  let accountant: string;
  let auditor: string;

  beforeAll(() => {
    ({ app, accountant, auditor } = ledger.api);
  });

  describe('journal entries', () => {
    it('posts an entry (201) with decimal amounts, and records actor and correlation id on the event', async () => {
      const book = await openBook();
      const response = await post(book, rent, { 'x-correlation-id': 'corr-post-1' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        status: 'posted',
        position: expect.any(Number),
        effectiveDate: '2026-03-31',
        description: 'Office rent March',
        reference: 'INV-4711',
        lines: [
          { account: '6310', debit: '1200.00', currency: 'EUR', memo: 'March' },
          { account: '1200', credit: '1200.00', currency: 'EUR' },
        ],
        metadata: { costCenter: 'HQ' },
      });
      const events = await bookEvents(book);
      const posted = events.find((event) => event.type === 'JournalEntryPosted')!;
      expect(posted.data.entryId).toBe(response.body.id);
      expect(posted.position).toBe(response.body.position);
      expect(posted.metadata).toMatchObject({
        actor: { name: 'Erika Accountant' },
        correlationId: 'corr-post-1',
        book,
        commandId: expect.any(String),
      });
    });

    it('refuses an unbalanced entry with 422 unbalanced-entry', async () => {
      const book = await openBook();
      const response = await post(book, {
        ...rent,
        lines: [
          { account: '6310', debit: '1200.00' },
          { account: '1200', credit: '1100.00' },
        ],
      });
      expect(response.status).toBe(422);
      expect(response.body.type).toBe('/problems/unbalanced-entry');
    });

    it('refuses an unknown account with 422 unknown-account', async () => {
      const book = await openBook();
      const response = await post(book, {
        ...rent,
        lines: [
          { account: '6310', debit: '1.00' },
          { account: '9999', credit: '1.00' },
        ],
      });
      expect(response.status).toBe(422);
      expect(response.body.type).toBe('/problems/unknown-account');
      expect(response.body.errors).toEqual([
        { field: 'lines[1].account', message: 'account 9999 does not exist' },
      ]);
    });

    it.each([
      [
        'a JSON number amount',
        {
          lines: [
            { account: '6310', debit: 1200 },
            { account: '1200', credit: '1200.00' },
          ],
        },
        'lines[0].debit',
      ],
      [
        'too many decimals',
        {
          lines: [
            { account: '6310', debit: '1.001' },
            { account: '1200', credit: '1.001' },
          ],
        },
        'lines[0].debit',
      ],
      [
        'a negative amount',
        {
          lines: [
            { account: '6310', debit: '-1.00' },
            { account: '1200', credit: '-1.00' },
          ],
        },
        'lines[0].debit',
      ],
      [
        'an exponent',
        {
          lines: [
            { account: '6310', debit: '1e3' },
            { account: '1200', credit: '1000' },
          ],
        },
        'lines[0].debit',
      ],
      [
        'both debit and credit',
        {
          lines: [
            { account: '6310', debit: '1.00', credit: '1.00' },
            { account: '1200', credit: '1.00' },
          ],
        },
        'lines[0]',
      ],
      ['one line', { lines: [{ account: '6310', debit: '1.00' }] }, 'lines'],
      ['no date', { effectiveDate: undefined }, 'effectiveDate'],
      ['an impossible date', { effectiveDate: '2026-02-30' }, 'effectiveDate'],
      ['an unknown field', { extra: 1 }, 'extra'],
      [
        'an unknown line field',
        {
          lines: [
            { account: '6310', debit: '1.00', side: 'x' },
            { account: '1200', credit: '1.00' },
          ],
        },
        'lines[0].side',
      ],
    ])('refuses %s with 400 validation', async (_name, change, field) => {
      const book = await openBook();
      const response = await post(book, { ...rent, ...change });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('answers 404 not-found for an unknown book', async () => {
      const response = await post('no-such-book', rent);
      expect(response.status).toBe(404);
      expect(response.body.type).toBe('/problems/not-found');
    });

    it('forbids posting with an auditor key (403 forbidden)', async () => {
      const book = await openBook();
      const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
        key: auditor,
        body: rent,
      });
      expect(response.status).toBe(403);
      expect(response.body.type).toBe('/problems/forbidden');
    });

    it('answers a repeated Idempotency-Key with the original response and posts nothing twice', async () => {
      const book = await openBook();
      const headers = { 'idempotency-key': `key-${randomUUID()}` };
      const first = await post(book, rent, headers);
      expect(first.status).toBe(201);
      const second = await post(book, rent, headers);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      const concurrent = await Promise.all([post(book, rent, headers), post(book, rent, headers)]);
      for (const response of concurrent) expect(response.body).toEqual(first.body);
      const posted = (await bookEvents(book)).filter(
        (event) => event.type === 'JournalEntryPosted',
      );
      expect(posted).toHaveLength(1);
    });

    it('posts concurrent first uses of one Idempotency-Key once', async () => {
      const book = await openBook();
      const headers = { 'idempotency-key': `key-${randomUUID()}` };
      const responses = await Promise.all([
        post(book, rent, headers),
        post(book, rent, headers),
        post(book, rent, headers),
      ]);
      for (const response of responses) {
        expect(response.status).toBe(201);
        expect(response.body).toEqual(responses[0]!.body);
      }
      expect(
        (await bookEvents(book)).filter((event) => event.type === 'JournalEntryPosted'),
      ).toHaveLength(1);
    });

    it('refuses the same Idempotency-Key with another body (422 idempotency-mismatch)', async () => {
      const book = await openBook();
      const headers = { 'idempotency-key': `key-${randomUUID()}` };
      expect((await post(book, rent, headers)).status).toBe(201);
      const other = await post(book, { ...rent, description: 'Office rent April' }, headers);
      expect(other.status).toBe(422);
      expect(other.body.type).toBe('/problems/idempotency-mismatch');
    });

    it('reverses an entry (201, reversalOf) and refuses a second reversal (409) and an unknown entry (404)', async () => {
      const book = await openBook();
      const original = await post(book, rent);
      const reversal = await app.request(
        'POST',
        `/v1/books/${book}/journal-entries/${original.body.id}/reverse`,
        {
          key: accountant,
          body: { reason: 'Wrong month', effectiveDate: '2026-04-01' },
        },
      );
      expect(reversal.status).toBe(201);
      expect(reversal.body).toEqual({
        id: expect.any(String),
        status: 'posted',
        position: expect.any(Number),
        effectiveDate: '2026-04-01',
        description: 'Wrong month',
        lines: [
          { account: '6310', credit: '1200.00', currency: 'EUR' },
          { account: '1200', debit: '1200.00', currency: 'EUR' },
        ],
        // A reversal keeps the original's document reference.
        reference: 'INV-4711',
        reversalOf: original.body.id,
      });
      expect(reversal.body.id).not.toBe(original.body.id);
      const again = await app.request(
        'POST',
        `/v1/books/${book}/journal-entries/${original.body.id}/reverse`,
        { key: accountant, body: { reason: 'again' } },
      );
      expect(again.status).toBe(409);
      const unknown = await app.request(
        'POST',
        `/v1/books/${book}/journal-entries/${randomUUID()}/reverse`,
        { key: accountant, body: { reason: 'x' } },
      );
      expect(unknown.status).toBe(404);
    });
  });

  it('answers every one of many concurrent posts with its own entry and position', async () => {
    const book = await openBook();
    const count = 64;
    const started = performance.now();
    const responses = await Promise.all(Array.from({ length: count }, () => post(book, rent)));
    const elapsedMs = performance.now() - started;
    expect(responses.map((response) => response.status)).toEqual(Array(count).fill(201));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(count);
    expect(new Set(responses.map((response) => response.body.position)).size).toBe(count);
    const posted = (await bookEvents(book)).filter((event) => event.type === 'JournalEntryPosted');
    expect(posted).toHaveLength(count);
    process.stdout.write(
      `[${store}] ${count} concurrent HTTP posts in ${elapsedMs.toFixed(0)} ms (${((count / elapsedMs) * 1000).toFixed(0)}/s)\n`,
    );
  });
});

describe('ledger write API across a restart (sqlite)', () => {
  it('answers a repeated Idempotency-Key after a restart with the original response', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = await mkdtemp(join(tmpdir(), 'kontor-ledger-restart-'));
    try {
      let app = await startTestApp({ dataDir });
      const book = `book-${randomUUID().slice(0, 8)}`;
      await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR' },
      });
      for (const code of ['1200', '6310']) {
        await app.request('POST', `/v1/books/${book}/accounts`, {
          key: app.adminKey,
          body: { code, name: code, type: 'asset' },
        });
      }
      const headers = { 'idempotency-key': 'restart-key' };
      const first = await app.request('POST', `/v1/books/${book}/journal-entries`, {
        key: app.adminKey,
        body: rent,
        headers,
      });
      expect(first.status).toBe(201);
      await app.close();

      app = await startTestApp({ dataDir, env: { KONTOR_ADMIN_KEY: app.adminKey } });
      try {
        const again = await app.request('POST', `/v1/books/${book}/journal-entries`, {
          key: app.adminKey,
          body: rent,
          headers,
        });
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first.body);
        const other = await app.request('POST', `/v1/books/${book}/journal-entries`, {
          key: app.adminKey,
          body: { ...rent, reference: 'X' },
          headers,
        });
        expect(other.status).toBe(422);
        expect(other.body.type).toBe('/problems/idempotency-mismatch');
      } finally {
        await app.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
