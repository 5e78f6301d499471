/**
 * The OpenAPI document (`GET /docs-json`) itself: built without duplicate DTO names, valid
 * OpenAPI 3 with problem+json errors everywhere, SSE and journal line examples documented right.
 * Real answers checked against it: openapi-answers.e2e-spec.ts.
 */
import { TestApp, TestStore } from '../support/app.js';
import {
  Json,
  methods,
  startDocumentedApp,
  validateOpenApiDocument,
} from '../support/openapi-contract.js';

describe.each<TestStore>(['sqlite', 'postgres'])('the OpenAPI document (%s)', (store) => {
  let app: TestApp;
  let document: Json;
  let warnings: string[];

  beforeAll(async () => {
    ({ app, document, warnings } = await startDocumentedApp(store));
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  it('is built without a duplicate DTO name (each schema name means one shape)', () => {
    expect(warnings.filter((warning) => warning.includes('Duplicate DTO'))).toEqual([]);
  });

  it('is valid OpenAPI 3 with servers, a non-JWT bearer scheme and problem+json errors on every operation', async () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(await validateOpenApiDocument(document)).toEqual({ valid: true });
    expect(document.servers.length).toBeGreaterThan(0);
    const bearer = document.components.securitySchemes.bearer;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(bearer.bearerFormat).not.toBe('JWT');
    const undocumented: string[] = [];
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      for (const method of methods) {
        const operation = item[method];
        if (!operation) continue;
        const errors = Object.entries<Json>(operation.responses).filter(
          ([status]) => status === 'default' || Number(status) >= 400,
        );
        const documentsProblems =
          errors.some(([status]) => status === 'default') &&
          errors.every(
            ([, response]) =>
              response.content?.['application/problem+json']?.schema?.$ref ===
              '#/components/schemas/ProblemDetails',
          );
        if (!documentsProblems) undocumented.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(document.components.schemas.ProblemDetails.required).toEqual([
      'type',
      'title',
      'status',
      'detail',
    ]);
  });

  it('documents the SSE route as text/event-stream', () => {
    const stream = document.paths['/v1/events/stream'].get;
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
  });

  it('gives journal line examples with exactly one of debit and credit', () => {
    const schemas = document.components.schemas;
    for (const name of ['JournalLineRequest', 'PostedJournalLineResponse', 'EntryLineResponse']) {
      const properties = schemas[name].properties;
      const example = Object.fromEntries(
        Object.entries<Json>(properties)
          .filter(([, property]) => property.example !== undefined)
          .map(([field, property]) => [field, property.example]),
      );
      expect([name, 'debit' in example !== 'credit' in example]).toEqual([name, true]);
    }
    const lines = schemas.PostJournalEntryRequest.properties.lines.example as Json[];
    expect(lines.every((line) => 'debit' in line !== 'credit' in line)).toBe(true);
  });
});
