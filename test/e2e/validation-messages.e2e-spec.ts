/**
 * Validation answers a person can act on: one error per field (the most specific), the field
 * named once as a path (`lines[0].debit`), the message saying what is expected and what came.
 * And a known path asked with a method it does not answer is a 405 with `Allow`, not a 404.
 */
import { TestApp, startTestApp } from '../support/app.js';

const problemJson = /^application\/problem\+json/;
/** `name`, `lines[0].debit`, `steps[1].role`, `__proto__`: one path style. */
const fieldPathPattern = /^[A-Za-z_$][\w$-]*(\[\d+\]|\.[A-Za-z_$][\w$-]*)*$/;
const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** A request per route × unanswered method: generous on a loaded machine. */
jest.setTimeout(60_000);

type Json = Record<string, any>;

describe('validation messages and unknown methods', () => {
  let app: TestApp;
  let document: Json;

  beforeAll(async () => {
    app = await startTestApp();
    document = (await app.request('GET', '/docs-json')).body;
    await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: 'acme', name: 'Acme GmbH', baseCurrency: 'EUR' },
    });
    for (const [code, type] of [
      ['6310', 'expense'],
      ['1200', 'asset'],
    ])
      await app.request('POST', '/v1/books/acme/accounts', {
        key: app.adminKey,
        body: { code, name: code, type },
      });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function errorsOf(method: string, path: string, body?: unknown): Promise<Json[]> {
    const response = await app.request(method, path, {
      key: app.adminKey,
      ...(body !== undefined ? { body } : {}),
    });
    expect([method, path, response.status]).toEqual([method, path, 400]);
    expect(response.headers.get('content-type')).toMatch(problemJson);
    return response.body.errors;
  }

  const entry = (lines: unknown[]) => ({ effectiveDate: '2026-03-31', description: 'Rent', lines });

  it.each([
    [
      'a JSON number as an amount',
      entry([
        { account: '6310', debit: 1200 },
        { account: '1200', credit: '1200.00' },
      ]),
      [
        {
          field: 'lines[0].debit',
          message:
            'expected a decimal string like "1200.00" (a JSON string, never a number), got the number 1200',
        },
      ],
    ],
    [
      'more decimals than the currency has',
      entry([
        { account: '6310', debit: '1200.001' },
        { account: '1200', credit: '1200.00' },
      ]),
      [
        {
          field: 'lines[0].debit',
          message:
            'expected a decimal string like "1200.00" with at most 2 decimals for EUR, got "1200.001"',
        },
      ],
    ],
    [
      'an amount in a currency without decimals',
      entry([
        { account: '6310', debit: '12.50', currency: 'JPY' },
        { account: '1200', credit: '12.50', currency: 'JPY' },
      ]),
      [
        {
          field: 'lines[0].debit',
          message: 'expected a decimal string like "1200" with no decimals for JPY, got "12.50"',
        },
        {
          field: 'lines[1].credit',
          message: 'expected a decimal string like "1200" with no decimals for JPY, got "12.50"',
        },
      ],
    ],
  ])('journal entries: %s', async (_case, body, expected) => {
    expect(await errorsOf('POST', '/v1/books/acme/journal-entries', body)).toEqual(expected);
  });

  it('names a bad date as a bad date, not as a length', async () => {
    expect(await errorsOf('GET', '/v1/audit?from=yesterday')).toEqual([
      {
        field: 'from',
        message:
          'expected an ISO 8601 time with a zone (e.g. 2026-03-01T00:00:00Z) or a date YYYY-MM-DD, got "yesterday"',
      },
    ]);
    expect(await errorsOf('GET', '/v1/books/acme/journal-entries?from=2026-13-01')).toEqual([
      { field: 'from', message: 'expected a calendar date YYYY-MM-DD, got "2026-13-01"' },
    ]);
  });

  it('reports one error per field: a wrong type, not also its length', async () => {
    expect(
      await errorsOf('POST', '/v1/books', { id: 'b', name: 42, baseCurrency: 'EURO', extra: 1 }),
    ).toEqual([
      { field: 'extra', message: 'is not a known field' },
      { field: 'name', message: 'expected a string, got the number 42' },
      {
        field: 'baseCurrency',
        message: 'expected exactly 3 characters, got "EURO" (4 characters)',
      },
    ]);
    expect(await errorsOf('POST', '/v1/books', { id: 'b', name: 'B' })).toEqual([
      { field: 'baseCurrency', message: 'is required: expected a string' },
    ]);
  });

  it('calls a __proto__ key what it is (refused), not "not valid JSON"', async () => {
    const response = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: '{"id":"x","name":"x","baseCurrency":"EUR","__proto__":{"admin":true}}',
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).not.toMatch(/not valid JSON/);
    expect(response.body.errors).toEqual([
      {
        field: '__proto__',
        message: 'is not an allowed property name (it could change object prototypes)',
      },
    ]);
    const malformed = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: '{"id": ',
    });
    expect(malformed.body.detail).toBe('the request body is not valid JSON');
  });

  it('keeps to one path style, one error per field and the field named once, over every write route', async () => {
    const checked: string[] = [];
    for (const [template, item] of Object.entries<Json>(document.paths)) {
      const path = template.replaceAll('{book}', 'acme').replace(/\{[^}]+\}/g, 'x');
      for (const method of ['post', 'delete'] as const) {
        const operation = item[method];
        if (!operation?.requestBody) continue;
        // Routes that take raw bytes (documents, incoming invoices) have no JSON body schema.
        const json = operation.requestBody.content['application/json'];
        if (!json) continue;
        const schema = resolve(json.schema);
        // Every property with the wrong type at once, plus an unknown one.
        const body = Object.fromEntries(
          Object.entries<Json>(schema.properties ?? {}).map(([name, property]) => [
            name,
            resolve(property).type === 'string' ? 12 : 'text',
          ]),
        );
        const response = await app.request(method.toUpperCase(), path, {
          key: app.adminKey,
          body: { ...body, unknownField: true },
        });
        expect([template, response.status]).toEqual([template, 400]);
        const errors = response.body.errors as { field: string; message: string }[];
        const fields = errors.map((error) => error.field);
        expect([template, new Set(fields).size]).toEqual([template, fields.length]);
        for (const { field, message } of errors) {
          expect([template, field]).toEqual([template, expect.stringMatching(fieldPathPattern)]);
          const leaf = field.split(/[.[]/).at(-1)!;
          expect([template, field, message.startsWith(leaf)]).toEqual([template, field, false]);
          expect(message).toMatch(/^(expected |is )/);
        }
        expect(response.body.detail).toBe(
          errors.map((error) => `${error.field}: ${error.message}`).join('; '),
        );
        checked.push(`${method.toUpperCase()} ${template}`);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(12);
  });

  it('answers a method a known path does not take with 405 method-not-allowed and Allow', async () => {
    let checked = 0;
    for (const [template, item] of Object.entries<Json>(document.paths)) {
      const path = template.replace(/\{[^}]+\}/g, 'x');
      const documented = methods.filter((method) => item[method]).map((m) => m.toUpperCase());
      const expectedAllow = [...documented, ...(documented.includes('GET') ? ['HEAD'] : [])];
      const unanswered = methods.map((m) => m.toUpperCase()).filter((m) => !documented.includes(m));
      for (const method of unanswered) {
        const response = await app.request(method, path, { key: app.adminKey });
        expect([method, template, response.status]).toEqual([method, template, 405]);
        expect(response.headers.get('content-type')).toMatch(problemJson);
        expect(response.body.type).toBe('/problems/method-not-allowed');
        expect(response.headers.get('allow')!.split(', ').sort()).toEqual(expectedAllow.sort());
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
    const unknown = await app.request('PUT', '/v1/nothing-here', { key: app.adminKey });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('allow')).toBeNull();
  });

  function resolve(schema: Json): Json {
    if (!schema.$ref) return schema;
    return document.components.schemas[schema.$ref.split('/').at(-1)];
  }
});
