/**
 * The bounds Kontor holds exactly, on SQLite and PostgreSQL: log positions given from outside
 * (above positionMax a 400 `validation`, never a driver RangeError and a 500).
 */
import { positionMax } from '../../src/event-sourcing/index.js';
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

    it('accepts positionMax itself', async () => {
      const response = await app.request('GET', `/v1/events?fromPosition=${positionMax}`, {
        key: app.adminKey,
      });
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
    });
  });
});
