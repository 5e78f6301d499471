/** The ledger write API's books, accounts and periods, and the approval gate before its commands. */
import { randomUUID } from 'node:crypto';
import { TestApp, TestStore } from '../support/app.js';
import { rent, useLedgerApi } from '../support/ledger-api.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

/** Below the 1,000 EUR the gate tests hold back. */
const smallRentLines = [
  { account: '6310', debit: '120.00' },
  { account: '1200', credit: '120.00' },
];

describe.each(stores)('ledger write API over %s', (store) => {
  const ledger = useLedgerApi(store);
  const { openBook, post, bookEvents } = ledger;
  let app: TestApp;
  let accountant: string;

  beforeAll(() => {
    ({ app, accountant } = ledger.api);
  });

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
});
