import { randomUUID } from 'node:crypto';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { openHttpBook } from '../support/http-book.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

/** Below the 1,000 EUR the gate tests hold back. */
const smallRentLines = [
  { account: '6310', debit: '120.00' },
  { account: '1200', credit: '120.00' },
];
const rent = {
  effectiveDate: '2026-03-31',
  description: 'Office rent March',
  reference: 'INV-4711',
  lines: [
    { account: '6310', debit: '1200.00', memo: 'March' },
    { account: '1200', credit: '1200.00' },
  ],
  metadata: { costCenter: 'HQ' },
};

describe.each(stores)('ledger write API over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let auditor: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    auditor = await app.createKey('Anna Auditor', ['auditor']);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A fresh book with a bank (1200), rent expense (6310) and revenue (8400). */
  const openBook = () =>
    openHttpBook(app, accountant, [
      ['1200', 'asset'],
      ['6310', 'expense'],
      ['8400', 'revenue'],
    ]);

  function post(book: string, body: unknown, headers: Record<string, string> = {}) {
    return app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body,
      headers,
    });
  }

  async function bookEvents(
    book: string,
  ): Promise<{ type: string; data: any; position: number; metadata: any }[]> {
    const response = await app.request('GET', `/v1/streams/book-${book}?limit=1000`, {
      key: app.adminKey,
    });
    expect(response.status).toBe(200);
    return response.body.items;
  }

  describe('books and accounts', () => {
    it('opens a book (201) and refuses the same id again (409 conflict)', async () => {
      const id = `book-${randomUUID().slice(0, 8)}`;
      const body = { id, name: 'ACME GmbH', baseCurrency: 'EUR', fiscalYearStartMonth: 4 };
      const opened = await app.request('POST', '/v1/books', { key: app.adminKey, body });
      expect(opened.status).toBe(201);
      expect(opened.body).toEqual({ ...body, position: expect.any(Number) });
      const again = await app.request('POST', '/v1/books', { key: app.adminKey, body });
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('/problems/conflict');
    });

    it('lets only admins open books (403 forbidden for an accountant)', async () => {
      const response = await app.request('POST', '/v1/books', {
        key: accountant,
        body: { id: 'x-1', name: 'X', baseCurrency: 'EUR' },
      });
      expect(response.status).toBe(403);
      expect(response.body.type).toBe('/problems/forbidden');
    });

    it('refuses an invalid book with 400 validation naming the fields', async () => {
      const response = await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id: 'x 1', name: 'X', baseCurrency: 'XXY' },
      });
      expect(response.status).toBe(400);
      expect(response.body.type).toBe('/problems/validation');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(
        expect.arrayContaining(['id', 'baseCurrency']),
      );
    });

    it('opens an account (201), refuses a duplicate code (409) and an unknown book (404)', async () => {
      const book = await openBook();
      const body = {
        code: '1210',
        name: 'USD bank',
        type: 'asset',
        currency: 'USD',
        parent: '1200',
      };
      const opened = await app.request('POST', `/v1/books/${book}/accounts`, {
        key: accountant,
        body,
      });
      expect(opened.status).toBe(201);
      expect(opened.body).toEqual({ ...body, status: 'open', position: expect.any(Number) });
      const again = await app.request('POST', `/v1/books/${book}/accounts`, {
        key: accountant,
        body,
      });
      expect(again.status).toBe(409);
      expect(again.body.type).toBe('/problems/conflict');
      const unknownBook = await app.request('POST', '/v1/books/no-such-book/accounts', {
        key: accountant,
        body,
      });
      expect(unknownBook.status).toBe(404);
      expect(unknownBook.body.type).toBe('/problems/not-found');
    });

    it('refuses an unknown parent account with 422 unknown-account', async () => {
      const book = await openBook();
      const response = await app.request('POST', `/v1/books/${book}/accounts`, {
        key: accountant,
        body: { code: '1300', name: 'Receivables', type: 'asset', parent: '9999' },
      });
      expect(response.status).toBe(422);
      expect(response.body.type).toBe('/problems/unknown-account');
    });

    it('closes an account (200); a closed account takes no postings (422 account-closed)', async () => {
      const book = await openBook();
      const closed = await app.request('POST', `/v1/books/${book}/accounts/8400/close`, {
        key: accountant,
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toEqual({ code: '8400', status: 'closed', position: expect.any(Number) });
      const refused = await post(book, {
        ...rent,
        lines: [
          { account: '1200', debit: '5.00' },
          { account: '8400', credit: '5.00' },
        ],
      });
      expect(refused.status).toBe(422);
      expect(refused.body.type).toBe('/problems/account-closed');
      expect(refused.body.errors).toEqual([
        { field: 'lines[1].account', message: 'account 8400 is closed' },
      ]);
      const unknown = await app.request('POST', `/v1/books/${book}/accounts/7777/close`, {
        key: accountant,
      });
      expect(unknown.status).toBe(404);
    });

    it('refuses to close an account with a balance (422 business-rule)', async () => {
      const book = await openBook();
      expect((await post(book, rent)).status).toBe(201);
      const response = await app.request('POST', `/v1/books/${book}/accounts/1200/close`, {
        key: accountant,
      });
      expect(response.status).toBe(422);
      expect(response.body.type).toBe('/problems/business-rule');
    });
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

  describe('periods', () => {
    it('closes a period (200): postings dated in it are refused (422 period-closed); closing again is 409', async () => {
      const book = await openBook();
      const closed = await app.request('POST', `/v1/books/${book}/periods/2026-03/close`, {
        key: accountant,
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toEqual({
        period: '2026-03',
        status: 'closed',
        position: expect.any(Number),
      });
      const refused = await post(book, rent);
      expect(refused.status).toBe(422);
      expect(refused.body.type).toBe('/problems/period-closed');
      const again = await app.request('POST', `/v1/books/${book}/periods/2026-03/close`, {
        key: accountant,
      });
      expect(again.status).toBe(409);
      const invalid = await app.request('POST', `/v1/books/${book}/periods/2026-13/close`, {
        key: accountant,
      });
      expect(invalid.status).toBe(400);
    });

    it('reopens a closed period (200) so postings are taken again', async () => {
      const book = await openBook();
      await app.request('POST', `/v1/books/${book}/periods/2026-03/close`, { key: accountant });
      const reopened = await app.request('POST', `/v1/books/${book}/periods/2026-03/reopen`, {
        key: accountant,
        body: { reason: 'Late invoice' },
      });
      expect(reopened.status).toBe(200);
      expect(reopened.body).toEqual({
        period: '2026-03',
        status: 'open',
        reason: 'Late invoice',
        position: expect.any(Number),
      });
      expect((await post(book, rent)).status).toBe(201);
      const notClosed = await app.request('POST', `/v1/books/${book}/periods/2026-05/reopen`, {
        key: accountant,
        body: { reason: 'x' },
      });
      expect(notClosed.status).toBe(409);
      const noReason = await app.request('POST', `/v1/books/${book}/periods/2026-03/reopen`, {
        key: accountant,
        body: {},
      });
      expect(noReason.status).toBe(400);
    });
  });

  describe('approval gate (the real approvals module)', () => {
    let compliance: string;

    beforeAll(async () => {
      compliance = await app.createKey('Clara Compliance', ['compliance']);
    });

    /** Holds back posts of 1,000 EUR or more, closing 8400 and every period reopen. */
    async function gateBook(book: string): Promise<void> {
      for (const policy of [
        {
          action: 'journal-entry.post',
          condition: { minAmount: '1000.00', currency: 'EUR' },
        },
        { action: 'account.close', condition: { accounts: ['8400'] } },
        { action: 'period.reopen' },
      ]) {
        const defined = await app.request('POST', `/v1/books/${book}/approval-policies`, {
          key: compliance,
          body: { name: policy.action, ...policy, steps: [{ role: 'approver', approvals: 1 }] },
        });
        expect(defined.status).toBe(201);
      }
    }

    async function approval(approvalId: string, consistentWith: number): Promise<any> {
      const response = await app.request(
        'GET',
        `/v1/approvals/${approvalId}?consistentWith=${consistentWith}`,
        { key: app.adminKey },
      );
      expect(response.status).toBe(200);
      return response.body;
    }

    it('answers 202 pending_approval for a held post, requests its approval, and posts nothing', async () => {
      const book = await openBook();
      await gateBook(book);
      const response = await post(
        book,
        { ...rent, description: 'Big rent' },
        { 'idempotency-key': 'k-gated' },
      );
      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        id: expect.any(String),
        status: 'pending_approval',
        approvalId: expect.any(String),
        position: expect.any(Number),
      });
      expect(await approval(response.body.approvalId, response.body.position)).toMatchObject({
        book,
        action: 'journal-entry.post',
        status: 'pending',
        requestedBy: 'Erika Accountant',
      });
      expect(
        (await bookEvents(book)).filter((event) => event.type === 'JournalEntryPosted'),
      ).toHaveLength(0);
    });

    it('never requests an approval for a post that would fail now', async () => {
      const book = await openBook();
      await gateBook(book);
      const response = await post(book, {
        ...rent,
        lines: [
          { account: '6310', debit: '2000.00' },
          { account: '1200', credit: '1000.00' },
        ],
      });
      expect(response.status).toBe(422);
      // A held post after it: once the approvals read model has it, it is the book's only request.
      const held = await post(book, rent);
      expect(held.status).toBe(202);
      const listed = await app.request(
        'GET',
        `/v1/approvals?book=${book}&consistentWith=${held.body.position}`,
        { key: app.adminKey },
      );
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([
        held.body.approvalId,
      ]);
    });

    it('posts what no policy holds (201), and holds an account close and a period reopen (202)', async () => {
      const book = await openBook();
      await gateBook(book);
      expect((await post(book, { ...rent, lines: smallRentLines })).status).toBe(201);
      const close = await app.request('POST', `/v1/books/${book}/accounts/8400/close`, {
        key: accountant,
      });
      expect(close.status).toBe(202);
      expect(close.body).toEqual({
        status: 'pending_approval',
        approvalId: expect.any(String),
        position: expect.any(Number),
      });
      await app.request('POST', `/v1/books/${book}/periods/2026-01/close`, { key: accountant });
      const reopen = await app.request('POST', `/v1/books/${book}/periods/2026-01/reopen`, {
        key: accountant,
        body: { reason: 'Audit' },
      });
      expect(reopen.status).toBe(202);
      expect((await approval(close.body.approvalId, close.body.position)).action).toBe(
        'account.close',
      );
      expect((await approval(reopen.body.approvalId, reopen.body.position)).action).toBe(
        'period.reopen',
      );
      const types = (await bookEvents(book)).map((event) => event.type);
      expect(types).toContain('JournalEntryPosted');
      expect(types).not.toContain('AccountClosed');
      expect(types).not.toContain('PeriodReopened');
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
