/**
 * The OpenAPI document (`GET /docs-json`) tells the truth about real answers: many routes'
 * successes and errors match the schema it gives for their status and content type ($refs
 * resolved by ajv). The document itself: openapi-document.e2e-spec.ts.
 */
import { TestApp, TestResponse, TestStore } from '../support/app.js';
import { Contract, Json, startDocumentedApp } from '../support/openapi-contract.js';

/** About 80 requests per store: generous on a loaded machine. */
jest.setTimeout(60_000);

describe.each<TestStore>(['sqlite', 'postgres'])('the OpenAPI document (%s)', (store) => {
  let app: TestApp;
  let contract: Contract;

  beforeAll(async () => {
    const documented = await startDocumentedApp(store);
    app = documented.app;
    contract = new Contract(documented.document);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  /** The log position of the latest write answered: reads wait for it (`consistentWith`). */
  let written = 0;

  /** Sends a request and checks its answer against the document; returns it. */
  async function call(
    method: string,
    path: string,
    options: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {},
    expectedStatus?: number,
  ): Promise<TestResponse> {
    const key = options.key === null ? undefined : (options.key ?? app.adminKey);
    const url =
      method === 'GET' &&
      path.startsWith('/v1/') &&
      written > 0 &&
      !path.includes('consistentWith=')
        ? `${path}${path.includes('?') ? '&' : '?'}consistentWith=${written}`
        : path;
    const response = await app.request(method, url, {
      ...(key ? { key } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    if (expectedStatus !== undefined && response.status !== expectedStatus)
      throw new Error(
        `${method} ${url}: expected ${expectedStatus}, got ${response.status} ${JSON.stringify(response.body)}`,
      );
    contract.check(method, url, response);
    const position: unknown = response.body?.position;
    if (typeof position === 'number' && position > written) written = position;
    return response;
  }

  /** Policies, gated entries, decisions and delegations (approvals answers). */
  async function checkApprovals(): Promise<void> {
    const anna = await app.createKey('Anna Accountant', ['accountant']);
    const bob = await app.createKey('Bob Approver', ['approver']);
    const keys = (await app.request('GET', '/v1/api-keys', { key: app.adminKey })).body.items;
    const idOf = (name: string) => (keys as Json[]).find((key) => key.name === name)!.id as string;
    const policy = await call(
      'POST',
      '/v1/books/acme/approval-policies',
      {
        body: {
          name: 'Four eyes above 10,000 EUR',
          action: 'journal-entry.post',
          condition: { minAmount: '10000.00', currency: 'EUR' },
          steps: [{ role: 'approver', approvals: 1 }],
          expiresAfter: 'P7D',
        },
      },
      201,
    );
    await call('GET', '/v1/books/acme/approval-policies', {}, 200);
    const big = {
      effectiveDate: '2026-04-01',
      description: 'Machine',
      lines: [
        { account: '6310', debit: '20000.00' },
        { account: '1200', credit: '20000.00' },
      ],
    };
    const approvals: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const pending = await call(
        'POST',
        '/v1/books/acme/journal-entries',
        { key: anna, body: big },
        202,
      );
      approvals.push(pending.body.approvalId);
    }
    const [toApprove, toReject, toCancel] = approvals as [string, string, string];
    await call('GET', `/v1/approvals/${toApprove}`, {}, 200);
    await call('GET', '/v1/approvals?status=pending', {}, 200);
    await call('POST', `/v1/approvals/${toApprove}/approve`, { key: anna, body: {} }, 403);
    await call(
      'POST',
      `/v1/approvals/${toApprove}/approve`,
      { key: bob, body: { comment: 'ok' } },
      200,
    );
    await call('POST', `/v1/approvals/${toApprove}/approve`, { key: bob, body: {} }, 409);
    await call(
      'POST',
      `/v1/approvals/${toReject}/reject`,
      { key: bob, body: { reason: 'no' } },
      200,
    );
    await call('POST', `/v1/approvals/${toCancel}/cancel`, { key: anna, body: {} }, 200);
    const until = new Date(Date.now() + 7 * 24 * 3_600_000).toISOString();
    const delegated = await call(
      'POST',
      '/v1/approvals/delegations',
      {
        key: bob,
        body: { to: idOf('Anna Accountant'), until },
      },
      201,
    );
    await call('GET', '/v1/approvals/delegations', {}, 200);
    await call(
      'DELETE',
      `/v1/approvals/delegations/${delegated.body.delegationId}`,
      { key: bob },
      200,
    );
    await call('DELETE', `/v1/books/acme/approval-policies/${policy.body.id}`, {}, 200);
  }

  /** Customers, suppliers and the company data (parties answers). */
  async function checkParties(): Promise<void> {
    const address = { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };
    const customer = {
      kind: 'customer',
      name: 'Muster GmbH',
      address,
      vatId: 'DE123456789',
      iban: 'DE89370400440532013000',
      paymentTermsDays: 14,
    };
    const created = await call('POST', '/v1/books/acme/parties', { body: customer }, 201);
    await call(
      'POST',
      '/v1/books/acme/parties',
      { body: { ...customer, number: created.body.number } },
      409,
    );
    await call('POST', '/v1/books/acme/parties', { body: { ...customer, vatId: 'DE1' } }, 400);
    await call('POST', '/v1/books/nope/parties', { body: customer }, 404);
    await call(
      'POST',
      '/v1/books/acme/parties',
      {
        body: { kind: 'customer', name: 'Max', naturalPerson: true, address },
        headers: { 'idempotency-key': 'max-1' },
      },
      201,
    );
    await call(
      'POST',
      '/v1/books/acme/parties',
      { body: { ...customer, name: 'Other' }, headers: { 'idempotency-key': 'max-1' } },
      422,
    );
    const changed = await call(
      'PATCH',
      `/v1/books/acme/parties/${created.body.id}`,
      { body: { phone: '+49 30 1', paymentTermsDays: null } },
      200,
    );
    await call('PATCH', '/v1/books/acme/parties/nope', { body: { name: 'x' } }, 404);
    await call('GET', `/v1/books/acme/parties/${created.body.number}`, {}, 200);
    await call('GET', `/v1/books/acme/parties/${created.body.id}/history`, {}, 200);
    await call('GET', '/v1/books/acme/parties/nope', {}, 404);
    await call(
      'GET',
      `/v1/books/acme/parties?q=muster&limit=1&consistentWith=${changed.body.position}`,
      {},
      200,
    );
    await call('GET', '/v1/books/acme/parties?kind=boss', {}, 400);
    await call('GET', '/v1/books/acme/settings/company', {}, 404);
    const company = { name: 'Acme GmbH', address, taxNumber: '143/123/45678', email: 'a@acme.de' };
    await call('PUT', '/v1/books/acme/settings/company', { body: company }, 200);
    await call('PUT', '/v1/books/acme/settings/company', { body: { name: 'x' } }, 400);
    await call('GET', '/v1/books/acme/settings/company', {}, 200);
  }

  it('matches the real answers of the routes, successes and errors', async () => {
    const auditor = await app.createKey('Ingrid', ['auditor']);
    await call('GET', '/health', { key: null }, 200);
    await call('GET', '/health/ready', { key: null }, 200);
    await call('GET', '/v1/books', { key: null }, 401);
    await call('GET', '/v1/books', { key: 'kontor_not_a_key' }, 401);
    await call(
      'POST',
      '/v1/books',
      { key: auditor, body: { id: 'x', name: 'x', baseCurrency: 'EUR' } },
      403,
    );

    const book = { id: 'acme', name: 'Acme GmbH', baseCurrency: 'EUR' };
    await call('POST', '/v1/books', { body: book }, 201);
    await call('POST', '/v1/books', { body: book }, 409);
    await call('POST', '/v1/books', { body: { id: 'bad id!', name: '', baseCurrency: 12 } }, 400);
    await call('POST', '/v1/books', { body: '{"id": ' }, 400);
    await call('GET', '/v1/books', {}, 200);
    await call('GET', '/v1/books/acme', {}, 200);
    await call('GET', '/v1/books/nope', {}, 404);

    for (const [code, type] of [
      ['1200', 'asset'],
      ['6310', 'expense'],
      ['8400', 'revenue'],
      ['0800', 'equity'],
    ])
      await call(
        'POST',
        '/v1/books/acme/accounts',
        { body: { code, name: `Konto ${code}`, type } },
        201,
      );
    await call(
      'POST',
      '/v1/books/acme/accounts',
      { body: { code: '1200', name: 'x', type: 'asset' } },
      409,
    );
    await call(
      'POST',
      '/v1/books/nope/accounts',
      { body: { code: '1', name: 'x', type: 'asset' } },
      404,
    );
    await call('GET', '/v1/books/acme/accounts', {}, 200);
    await call('GET', '/v1/books/acme/accounts/1200', {}, 200);
    await call('GET', '/v1/books/acme/accounts/9999', {}, 404);

    const entry = {
      effectiveDate: '2026-03-31',
      description: 'Office rent March',
      reference: 'INV-4711',
      lines: [
        { account: '6310', debit: '1200.00', memo: 'March' },
        { account: '1200', credit: '1200.00' },
      ],
      metadata: { costCenter: 'HQ', items: 2 },
    };
    const posted = await call('POST', '/v1/books/acme/journal-entries', { body: entry }, 201);
    await call(
      'POST',
      '/v1/books/acme/journal-entries',
      {
        body: { ...entry, lines: [entry.lines[0], { account: '1200', credit: '1.00' }] },
      },
      422,
    );
    await call(
      'POST',
      '/v1/books/acme/journal-entries',
      {
        body: {
          ...entry,
          lines: [
            { account: '9999', debit: '1.00' },
            { account: '1200', credit: '1.00' },
          ],
        },
      },
      422,
    );
    await call('POST', '/v1/books/acme/journal-entries', { body: { ...entry, lines: [] } }, 400);
    await call(
      'POST',
      '/v1/books/acme/journal-entries',
      {
        body: entry,
        headers: { 'idempotency-key': 'rent-2026-03' },
      },
      201,
    );
    await call(
      'POST',
      '/v1/books/acme/journal-entries',
      {
        body: { ...entry, description: 'other' },
        headers: { 'idempotency-key': 'rent-2026-03' },
      },
      422,
    );
    const id = posted.body.id as string;
    await call(
      'GET',
      `/v1/books/acme/journal-entries/${id}?consistentWith=${posted.body.position}`,
      {},
      200,
    );
    await call('GET', '/v1/books/acme/journal-entries/unknown-entry', {}, 404);
    await call(
      'POST',
      `/v1/books/acme/journal-entries/${id}/reverse`,
      { body: { reason: 'wrong account' } },
      201,
    );
    await call(
      'POST',
      `/v1/books/acme/journal-entries/${id}/reverse`,
      { body: { reason: 'again' } },
      409,
    );
    const head = (await app.store.headPosition()).toString();
    await call('GET', `/v1/books/acme/journal-entries?consistentWith=${head}`, {}, 200);
    await call(
      'GET',
      `/v1/books/acme/journal-entries/${id}/events?consistentWith=${head}`,
      {},
      200,
    );
    await call('GET', '/v1/books/acme/journal-entries/unknown-entry/events', {}, 404);
    await call('GET', '/v1/books/acme/journal-entries?from=2026-13-01', {}, 400);
    await call('GET', '/v1/books/acme/trial-balance?asOf=2026-12-31', {}, 200);
    await call('GET', '/v1/books/acme/trial-balance?asOf=yesterday', {}, 400);
    await call('GET', '/v1/books/acme/balance-sheet?asOf=2026-12-31', {}, 200);
    await call('GET', '/v1/books/acme/income-statement?from=2026-01-01&to=2026-12-31', {}, 200);
    await call('GET', '/v1/books/acme/accounts/1200/balance', {}, 200);
    await call('GET', '/v1/books/acme/accounts/1200/ledger', {}, 200);
    await call('POST', '/v1/books/acme/periods/2026-01/close', {}, 200);
    await call('POST', '/v1/books/acme/periods/2026-01/close', {}, 409);
    await call(
      'POST',
      '/v1/books/acme/periods/2026-01/reopen',
      { body: { reason: 'late invoice' } },
      200,
    );
    await call('POST', '/v1/books/acme/accounts/0800/close', {}, 200);

    await call('POST', '/v1/api-keys', { body: { name: 'Ada', roles: ['accountant'] } }, 201);
    await call('POST', '/v1/api-keys', { body: { name: 'Ada', roles: ['boss'] } }, 400);
    const keys = await call('GET', '/v1/api-keys', {}, 200);
    const ada = (keys.body.items as Json[]).find((key) => key.name === 'Ada')!;
    await call('DELETE', `/v1/api-keys/${ada.id}`, {}, 200);

    await call('GET', '/v1/events?limit=5', {}, 200);
    await call('GET', '/v1/events?limit=5&format=cloudevents', {}, 200);
    await call('GET', '/v1/events?fromPosition=-1', {}, 400);
    await call('GET', '/v1/streams/book-acme?limit=3', {}, 200);
    await call('GET', '/v1/streams/book-nope', {}, 404);
    await call('GET', '/v1/events/schemas', {}, 200);

    const hook = await call(
      'POST',
      '/v1/webhooks',
      { body: { url: 'http://127.0.0.1:9/hook' } },
      201,
    );
    await call('POST', '/v1/webhooks', { body: { url: 'ftp://example.com' } }, 400);
    await call('GET', '/v1/webhooks', {}, 200);
    await call('GET', `/v1/webhooks/${hook.body.id}/deliveries`, {}, 200);
    await call('DELETE', `/v1/webhooks/${hook.body.id}`, {}, 200);

    await call('GET', '/v1/audit?limit=5', {}, 200);
    await call('GET', '/v1/audit?from=not-a-time', {}, 400);
    await call('GET', '/v1/audit/export?format=csv', {}, 200);
    await call('GET', '/v1/audit/export?format=jsonl', {}, 200);
    await call('GET', '/v1/audit/verify', {}, 200);
    await call('GET', '/v1/audit/digest', {}, 200);
    await call('GET', '/v1/projections', {}, 200);
    await call('POST', '/v1/projections/nope/rebuild', {}, 404);
    await call('GET', '/v1/cluster', {}, 200);
    await call('GET', '/v1/approvals', {}, 200);
    await call('GET', '/v1/approvals/nope', {}, 404);
    await checkApprovals();
    await checkParties();

    expect(contract.mismatches).toEqual([]);
    expect(contract.checked.size).toBeGreaterThanOrEqual(70);
  });
});
