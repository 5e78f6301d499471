/**
 * Hostile-input fuzzer over every write endpoint (discovered from /docs-json, so new routes are
 * included automatically; a write route without a generator in test/support/hostile-endpoints.ts
 * fails the run). For each generated request — a plausible body with one hostile change, a
 * wholly hostile body, malformed JSON, a wrong content type, hostile path parameters and
 * headers — the answer must be below 500, every 4xx must be problem+json, and a refused request
 * appends nothing.
 *
 * KONTOR_FUZZ_RUNS sets the cases per endpoint and store (default 100; `npm run test:fuzz` runs more).
 */
import fc from 'fast-check';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { endpoints } from '../support/hostile-endpoints.js';
import { Fixtures } from '../support/hostile-fields.js';
import { HostileRequest, requestArbitrary } from '../support/hostile-request.js';

const stores: TestStore[] = ['sqlite', 'postgres'];
const runsPerEndpoint = Number(process.env.KONTOR_FUZZ_RUNS ?? 100);
/** Generous: a shrinking failure replays many requests. */
const fuzzTimeoutMs = 120_000 + runsPerEndpoint * 25 * 100;
const writeMethods = new Set(['post', 'put', 'patch', 'delete']);
const problemJson = /^application\/problem\+json/;

describe.each(stores)('hostile input over %s', (store) => {
  let app: TestApp;
  let fixtures: Fixtures;
  let writeRoutes: [method: string, route: string][];
  let tried = 0;

  beforeAll(async () => {
    app = await startTestApp({ store });
    fixtures = await makeFixtures(app);
    const spec = await app.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/docs-json',
    );
    writeRoutes = Object.entries(spec.body.paths).flatMap(([route, operations]) =>
      Object.keys(operations)
        .filter((method) => writeMethods.has(method))
        .map((method) => [method.toUpperCase(), route] as [string, string]),
    );
  });

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `hostile input over ${store}: ${tried} requests tried against ${writeRoutes?.length ?? 0} write endpoints (${runsPerEndpoint} runs each)`,
    );
    await app?.close();
  });

  it('has a generator for every write endpoint', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(10);
    expect(
      writeRoutes.map(([method, route]) => `${method} ${route}`).filter((name) => !endpoints[name]),
    ).toEqual([]);
  });

  it(
    'never answers 5xx, answers every 4xx with problem+json, appends nothing when refusing',
    async () => {
      for (const [method, route] of writeRoutes) {
        const spec = endpoints[`${method} ${route}`];
        if (!spec) continue; // reported by the test above
        await fc.assert(
          fc.asyncProperty(requestArbitrary(method, route, spec, fixtures), async (request) => {
            tried += 1;
            await expectHandled(app, method, request);
          }),
          { numRuns: runsPerEndpoint },
        );
      }
    },
    fuzzTimeoutMs,
  );
});

async function expectHandled(app: TestApp, method: string, request: HostileRequest): Promise<void> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.key === 'admin') headers.authorization = `Bearer ${app.adminKey}`;
  if (request.key === 'hostile')
    headers.authorization = `Bearer ${request.headers['x-correlation-id'] ?? 'kontor_'}`;
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const before = await app.store.headPosition();
  const response = await fetch(`${app.baseUrl}${request.path}`, {
    method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  const after = await app.store.headPosition();
  const what = `${method} ${request.path} → ${response.status} ${text.slice(0, 300)}`;
  expect({ what, serverError: response.status >= 500 }).toEqual({ what, serverError: false });
  if (response.status >= 400) {
    expect({ what, contentType: response.headers.get('content-type') }).toEqual({
      what,
      contentType: expect.stringMatching(problemJson),
    });
    const problem = JSON.parse(text) as { type?: unknown; status?: unknown };
    expect({ what, status: problem.status, type: typeof problem.type }).toEqual({
      what,
      status: response.status,
      type: 'string',
    });
    expect({ what, appended: after - before }).toEqual({ what, appended: 0n });
  }
}

async function makeFixtures(app: TestApp): Promise<Fixtures> {
  const admin = { key: app.adminKey };
  const book = 'fuzz';
  const ok = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(method, path, {
      ...admin,
      ...(body === undefined ? {} : { body }),
    });
    if (response.status >= 300)
      throw new Error(
        `fixture ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`,
      );
    return response.body;
  };
  await ok('POST', '/v1/books', { id: book, name: 'Fuzz GmbH', baseCurrency: 'EUR' });
  const accounts = ['1000', '1100', '4000', '6000'];
  for (const [code, type] of [
    ['1000', 'asset'],
    ['1100', 'asset'],
    ['4000', 'revenue'],
    ['6000', 'expense'],
  ]) {
    await ok('POST', `/v1/books/${book}/accounts`, { code, name: `Account ${code}`, type });
  }
  const entry = await ok('POST', `/v1/books/${book}/journal-entries`, {
    effectiveDate: '2026-03-31',
    description: 'fixture',
    lines: [
      { account: '1000', debit: '10.00' },
      { account: '4000', credit: '10.00' },
    ],
  });
  await ok('POST', `/v1/books/${book}/periods/2020-01/close`);
  const spare = await ok('POST', '/v1/api-keys', { name: 'spare', roles: ['auditor'] });
  const spec = await app.request<{ paths: Record<string, unknown> }>('GET', '/docs-json');
  const fixtures: Fixtures = {
    book,
    accounts,
    entryId: entry.id,
    closedPeriod: '2020-01',
    openPeriod: '2026-05',
    spareKeyId: spare.id,
    projection: ((await ok('GET', '/v1/projections')) as { name: string }[])[0]?.name ?? 'ledger',
  };
  if (spec.body.paths['/v1/books/{book}/approval-policies']) {
    const policy = await ok('POST', `/v1/books/${book}/approval-policies`, {
      name: 'reopen needs approval',
      action: 'period.reopen',
      steps: [{ role: 'approver', approvals: 1 }],
    });
    fixtures.policyId = policy.id;
    await ok('POST', `/v1/books/${book}/periods/2020-02/close`);
    const pending = await ok('POST', `/v1/books/${book}/periods/2020-02/reopen`, {
      reason: 'fixture',
    });
    fixtures.approvalId = pending.approvalId;
  }
  if (spec.body.paths['/v1/books/{book}/parties']) {
    const party = await ok('POST', `/v1/books/${book}/parties`, {
      kind: 'customer',
      name: 'Fixture GmbH',
      address: { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    });
    fixtures.partyId = party.id;
  }
  return fixtures;
}
