/**
 * The bounds Kontor holds exactly, on SQLite and PostgreSQL: log positions given from outside
 * (above positionMax a 400 `validation`, never a driver RangeError and a 500), and money (an
 * account's debits and credits per currency up to accountTotalMinorMax, refused beyond with 422
 * `business-rule`, and every figure within it exact in the read models).
 */
import { randomUUID } from 'node:crypto';
import { newId, NewEvent, positionMax } from '../../src/event-sourcing/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];
const beyondBigint = '9999999999999999999';
const beyondPositionMax = (positionMax + 1n).toString();

describe.each(stores)('limits over %s', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ store });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('positions above positionMax', () => {
    const approvalsCursor = (position: string) =>
      Buffer.from(`a:${position}`, 'utf8').toString('base64url');

    it.each([beyondBigint, beyondPositionMax])(
      '%s: a 400 validation naming the field',
      async (position) => {
        const webhook = await app.request('POST', '/v1/webhooks', {
          key: app.adminKey,
          body: { url: 'https://example.com/hook' },
        });
        const queries: [string, string, Record<string, string>?][] = [
          [`/v1/events?fromPosition=${position}`, 'fromPosition'],
          [`/v1/events?cursor=${position}`, 'cursor'],
          [`/v1/events/stream?fromPosition=${position}`, 'fromPosition'],
          ['/v1/events/stream', 'Last-Event-ID', { 'last-event-id': position }],
          [`/v1/projections?consistentWith=${position}`, 'consistentWith'],
          [`/v1/audit?cursor=${position}`, 'cursor'],
          [`/v1/audit/verify?digest=${'0'.repeat(64)}@${position}`, 'digest'],
          [`/v1/approvals?cursor=${approvalsCursor(position)}`, 'cursor'],
        ];
        if (webhook.status === 201)
          queries.push([`/v1/webhooks/${webhook.body.id}/deliveries?cursor=${position}`, 'cursor']);
        for (const [path, field, headers] of queries) {
          const response = await app.request('GET', path, {
            key: app.adminKey,
            ...(headers ? { headers } : {}),
          });
          expect({ path, status: response.status, type: response.body.type }).toEqual({
            path,
            status: 400,
            type: '/problems/validation',
          });
          expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
        }
      },
    );

    it('accepts positionMax itself (nothing after it)', async () => {
      const response = await app.request('GET', `/v1/events?fromPosition=${positionMax}`, {
        key: app.adminKey,
      });
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
    });
  });

  describe('money up to the account total limit', () => {
    const huge = '9999999999999999.99';

    async function openBook(): Promise<string> {
      const id = `limits-${randomUUID().slice(0, 8)}`;
      const opened = await app.request('POST', '/v1/books', {
        key: app.adminKey,
        body: { id, name: 'Limits GmbH', baseCurrency: 'EUR' },
      });
      expect(opened.status).toBe(201);
      for (const [code, type] of [
        ['1200', 'asset'],
        ['1210', 'asset'],
        ['8400', 'revenue'],
        ['8401', 'revenue'],
      ]) {
        const account = await app.request('POST', `/v1/books/${id}/accounts`, {
          key: app.adminKey,
          body: { code, name: `Account ${code}`, type },
        });
        expect(account.status).toBe(201);
      }
      return id;
    }

    const sale = (book: string, amount: string, debit = '1200', credit = '8400') =>
      app.request('POST', `/v1/books/${book}/journal-entries`, {
        key: app.adminKey,
        body: {
          effectiveDate: '2026-03-31',
          description: 'Large sale',
          lines: [
            { account: debit, debit: amount },
            { account: credit, credit: amount },
          ],
        },
      });

    it('refuses the second 9999999999999999.99 on one account with 422 business-rule; the books stay exact and ready', async () => {
      const book = await openBook();
      expect((await sale(book, huge)).status).toBe(201);

      const refused = await sale(book, huge);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        type: '/problems/business-rule',
        detail: expect.stringContaining('over the limit of EUR 10000000000000000.00 per account'),
        errors: [{ field: 'lines[0].amount' }, { field: 'lines[1].amount' }],
      });

      // Up to the limit, exactly; other accounts take their own limit.
      const toTheLimit = await sale(book, '0.01');
      expect(toTheLimit.status).toBe(201);
      const otherAccounts = await sale(book, huge, '1210', '8401');
      expect(otherAccounts.status).toBe(201);
      const trial = await app.request(
        'GET',
        `/v1/books/${book}/trial-balance?consistentWith=${otherAccounts.body.position}`,
        { key: app.adminKey },
      );
      expect(trial.status).toBe(200);
      const [eur] = trial.body.currencies;
      expect(eur.lines.map((line: any) => [line.account, line.debit, line.credit])).toEqual([
        ['1200', '10000000000000000.00', '0.00'],
        ['1210', huge, '0.00'],
        ['8400', '0.00', '10000000000000000.00'],
        ['8401', '0.00', huge],
      ]);
      expect(eur.totals).toEqual({ debit: '19999999999999999.99', credit: '19999999999999999.99' });
      const balance = await app.request('GET', `/v1/books/${book}/accounts/1200/balance`, {
        key: app.adminKey,
      });
      expect(balance.body.balances).toEqual([
        expect.objectContaining({ currency: 'EUR', balance: '10000000000000000.00' }),
      ]);
      expect((await app.request('GET', '/health/ready')).status).toBe(200);
    });
  });

  describe('a book the ledger projection cannot apply', () => {
    it('is set aside alone: its reads answer 503 naming it, other books and readiness go on', async () => {
      const broken = `broken-${randomUUID().slice(0, 8)}`;
      const healthy = `healthy-${randomUUID().slice(0, 8)}`;
      for (const book of [broken, healthy]) {
        expect(
          (
            await app.request('POST', '/v1/books', {
              key: app.adminKey,
              body: { id: book, name: 'Old Log GmbH', baseCurrency: 'EUR' },
            })
          ).status,
        ).toBe(201);
        for (const [code, type] of [
          ['1200', 'asset'],
          ['8400', 'revenue'],
        ]) {
          const account = await app.request('POST', `/v1/books/${book}/accounts`, {
            key: app.adminKey,
            body: { code, name: `Account ${code}`, type },
          });
          expect(account.status).toBe(201);
        }
      }
      // What an older Kontor let through: ten entries of 9999999999999999.99 on one account,
      // appended to the log past the decider. Their sum leaves the read models' 64-bit integers.
      const hugeMinor = (10n ** 18n - 1n).toString();
      const oldEntries: NewEvent[] = Array.from({ length: 10 }, (_, index) => ({
        eventId: newId(),
        type: 'JournalEntryPosted',
        data: {
          entryId: `old-${index}`,
          effectiveDate: '2026-03-31',
          description: 'Posted by an older Kontor',
          lines: [
            { account: '1200', side: 'debit', amountMinor: hugeMinor, currency: 'EUR' },
            { account: '8400', side: 'credit', amountMinor: hugeMinor, currency: 'EUR' },
          ],
        },
        metadata: {
          actor: { id: 'old', name: 'Old Kontor' },
          correlationId: newId(),
          book: broken,
        },
      }));
      await app.store.append(`book-${broken}`, oldEntries);

      const posted = await app.request('POST', `/v1/books/${healthy}/journal-entries`, {
        key: app.adminKey,
        body: {
          effectiveDate: '2026-03-31',
          description: 'Sale',
          lines: [
            { account: '1200', debit: '10.00' },
            { account: '8400', credit: '10.00' },
          ],
        },
      });
      expect(posted.status).toBe(201);
      const healthyTrial = await app.request(
        'GET',
        `/v1/books/${healthy}/trial-balance?consistentWith=${posted.body.position}`,
        { key: app.adminKey },
      );
      expect(healthyTrial.status).toBe(200);
      expect(healthyTrial.body.currencies[0].totals).toEqual({ debit: '10.00', credit: '10.00' });
      expect((await app.request('GET', '/health/ready')).status).toBe(200);

      const brokenTrial = await app.request('GET', `/v1/books/${broken}/trial-balance`, {
        key: app.adminKey,
      });
      expect(brokenTrial.status).toBe(503);
      expect(brokenTrial.body).toMatchObject({
        type: '/problems/not-ready',
        detail: expect.stringContaining(`stopped applying book ${broken} at log position`),
      });
    });
  });
});
