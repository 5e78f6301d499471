/**
 * Text no store can keep as it came: a lone UTF-16 surrogate (`"\ud800"`, valid JSON escape but
 * no character) is refused like NUL — 400 `validation` naming the field — wherever a string
 * enters, and nothing is appended. URLs and headers arrive as bytes, so they cannot carry one;
 * the last test shows that such bytes stay what they are.
 */
import { TestApp, startTestApp } from '../support/app.js';

const problemJson = /^application\/problem\+json/;

describe('unstorable text', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
    const book = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: 'acme', name: 'Acme GmbH', baseCurrency: 'EUR' },
    });
    expect(book.status).toBe(201);
    for (const [code, type] of [
      ['1200', 'asset'],
      ['8400', 'revenue'],
    ])
      await app.request('POST', '/v1/books/acme/accounts', {
        key: app.adminKey,
        body: { code, name: code, type },
      });
  });

  afterAll(async () => {
    await app?.close();
  });

  const line = (memo?: string) => [
    { account: '1200', debit: '10.00', ...(memo === undefined ? {} : { memo }) },
    { account: '8400', credit: '10.00' },
  ];

  it.each([
    [
      'a high surrogate in a book name',
      '/v1/books',
      { id: 'b1', name: '\ud800 GmbH', baseCurrency: 'EUR' },
      'name',
    ],
    [
      'a low surrogate at the end of a name',
      '/v1/books',
      { id: 'b2', name: 'GmbH \udfff', baseCurrency: 'EUR' },
      'name',
    ],
    [
      'a surrogate in a journal line memo',
      '/v1/books/acme/journal-entries',
      { effectiveDate: '2026-01-05', description: 'x', lines: line('Miete \udbff') },
      'lines[0].memo',
    ],
    [
      'a surrogate in a property name',
      '/v1/books/acme/journal-entries',
      {
        effectiveDate: '2026-01-05',
        description: 'x',
        lines: line(),
        metadata: { ['k\ud800']: 'v' },
      },
      'metadata',
    ],
    [
      'a NUL in an account name',
      '/v1/books/acme/accounts',
      { code: '1300', name: 'A\u0000', type: 'asset' },
      'name',
    ],
  ])('refuses %s with 400 validation naming the field', async (_case, path, body, field) => {
    const before = await app.store.headPosition();
    const response = await app.request('POST', path, { key: app.adminKey, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(problemJson);
    expect(response.body.type).toBe('/problems/validation');
    expect(response.body.errors).toEqual([{ field, message: expect.stringContaining(field) }]);
    expect(response.body.detail).toMatch(/NUL|lone UTF-16 surrogate/);
    expect(await app.store.headPosition()).toBe(before);
  });

  it('keeps a well-formed surrogate pair (an emoji) exactly, in the log and the read model', async () => {
    const response = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: 'emoji', name: 'Kontor 😀 GmbH', baseCurrency: 'EUR' },
    });
    expect(response.status).toBe(201);
    const read = await app.request(
      'GET',
      `/v1/books/emoji?consistentWith=${response.body.position}`,
      {
        key: app.adminKey,
      },
    );
    expect(read.body.name).toBe('Kontor 😀 GmbH');
  });

  it('leaves the bytes of a surrogate in a URL or a header as they are (no surrogate appears)', async () => {
    const query = await app.request('GET', '/v1/audit?actor=%ED%A0%80', { key: app.adminKey });
    expect(query.status).toBeLessThan(500);
    const path = await app.request('GET', '/v1/streams/%ED%A0%80', { key: app.adminKey });
    expect(path.status).toBeLessThan(500);
    const header = await app.request('POST', '/v1/books/acme/journal-entries', {
      key: app.adminKey,
      body: { effectiveDate: '2026-01-05', description: 'x', lines: line() },
      headers: { 'idempotency-key': '\u00ed\u00a0\u0080' },
    });
    expect(header.status).toBeLessThan(500);
  });
});
