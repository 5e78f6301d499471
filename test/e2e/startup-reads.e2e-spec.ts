/**
 * The first reads after start: the read-model tables are set up by the projections as they
 * start, and a read arriving before that waits for them instead of failing on a missing table.
 */
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('reads at once after start over %s', (store) => {
  let app: TestApp | undefined;

  afterEach(async () => {
    await app?.close();
  });

  it('answers the first read-model queries, sent before readiness, from tables that exist', async () => {
    app = await startTestApp({ store });
    const answers = await Promise.all(
      ['/v1/books', '/v1/approvals', '/v1/audit'].map((path) =>
        app!.request('GET', path, { key: app!.adminKey }),
      ),
    );
    expect(answers.map((answer) => [answer.status, answer.body?.detail])).toEqual([
      [200, undefined],
      [200, undefined],
      [200, undefined],
    ]);
    expect(await app.request('GET', '/health/ready')).toMatchObject({ status: 200 });
  });
});
