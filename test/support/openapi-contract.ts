/**
 * The OpenAPI suites' shared setup: an app with its document (`GET /docs-json`), the official
 * OpenAPI 3 check of a document, and the Contract that checks real answers against it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { TestApp, TestResponse, TestStore, startTestApp } from './app.js';

const repoRoot = resolve(__dirname, '..', '..');

const run = promisify(execFile);
export const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

export type Json = Record<string, any>;

/** The official OpenAPI schemas, checked by @seriousme/openapi-schema-validator (an ES module, run as its CLI). */
export async function validateOpenApiDocument(
  document: Json,
): Promise<{ valid: boolean; errors?: unknown }> {
  const dir = await mkdtemp(join(tmpdir(), 'kontor-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document));
    const cli = join(
      repoRoot,
      'node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js',
    );
    const { stdout } = await run(process.execPath, [cli, file]).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    return JSON.parse(stdout) as { valid: boolean; errors?: unknown };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Validates answers against the document: finds the operation, its response, its schema. */
export class Contract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; pattern: RegExp; template: string }[] = [];
  readonly checked = new Set<string>();
  /** Every answer the document does not describe truthfully, for one report at the end. */
  readonly mismatches: string[] = [];

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'kontor-openapi', components: document.components });
    for (const [template, item] of Object.entries<Json>(document.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of methods)
        if (item[method]) this.routes.push({ method, pattern, template });
    }
  }

  /** Records a mismatch unless the answer is documented and matches its schema. */
  check(method: string, url: string, response: TestResponse): void {
    try {
      this.checkOne(method, url, response);
    } catch (error) {
      this.mismatches.push((error as Error).message);
    }
  }

  private checkOne(method: string, url: string, response: TestResponse): void {
    const path = url.split('?')[0]!;
    // The most specific template wins (`/v1/events/stream` over `/v1/events/{id}`).
    const route = this.routes
      .filter(
        (candidate) => candidate.method === method.toLowerCase() && candidate.pattern.test(path),
      )
      .sort((a, b) => a.template.split('{').length - b.template.split('{').length)[0];
    const label = `${method} ${url} → ${response.status}`;
    if (!route) throw new Error(`${label}: no operation in the document`);
    const operation = this.document.paths[route.template][route.method];
    const documented = operation.responses[String(response.status)] ?? operation.responses.default;
    if (!documented) throw new Error(`${label}: status not documented`);
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = documented.content?.[mediaType];
    if (!content)
      throw new Error(
        `${label}: ${mediaType} not documented (${Object.keys(documented.content ?? {}).join(', ') || 'no content'})`,
      );
    this.checked.add(`${method} ${route.template} ${response.status}`);
    if (!content.schema || (mediaType !== 'application/json' && !mediaType.endsWith('+json')))
      return;
    const key = `${route.template} ${route.method} ${response.status} ${mediaType}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(withRefsTo('kontor-openapi', content.schema) as object);
      this.compiled.set(key, validate);
    }
    if (!validate(response.body))
      throw new Error(
        `${label}: the body does not match its schema: ${this.ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body).slice(0, 600)}`,
      );
  }
}

/** `#/components/…` → `kontor-openapi#/components/…` throughout an inline schema. */
function withRefsTo(id: string, schema: unknown): unknown {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"$ref":"#/components/', `"$ref":"${id}#/components/`),
  );
}

export interface DocumentedApp {
  app: TestApp;
  document: Json;
  /** What Nest's static Logger warned while the app was built and ran. */
  warnings: string[];
}

/** Starts the app and reads its document; restore the Logger spy with `jest.restoreAllMocks()`. */
export async function startDocumentedApp(store: TestStore): Promise<DocumentedApp> {
  const warnings: string[] = [];
  // @nestjs/swagger warns through Nest's static Logger when two DTO classes share a name.
  jest.spyOn(Logger, 'warn').mockImplementation((message: unknown) => {
    warnings.push(String(message));
  });
  const app = await startTestApp({ store, env: { KONTOR_WEBHOOK_ALLOW_PRIVATE: 'true' } });
  const document = (await app.request('GET', '/docs-json')).body;
  return { app, document, warnings };
}
