/**
 * The permissions table of docs/security.md against the running app: every route has a row (the
 * table is generated from the routes' declared permissions and src/access/domain/permissions.ts),
 * and every row holds: a denied caller gets 401/403, an allowed one never does.
 *
 * Regenerate the table after adding or changing a route:
 *   KONTOR_WRITE_PERMISSIONS_TABLE=1 npx jest test/e2e/permissions.e2e-spec.ts   (npm run docs:permissions)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Caller,
  RouteEntry,
  callers,
  expectedOutcome,
  parsePermissionsTable,
  permissionsTableEnd,
  permissionsTableStart,
  renderPermissionsTable,
  routeInventory,
} from '../../src/access/api/route-inventory.js';
import { roles } from '../../src/access/index.js';
import { TestApp, startTestApp } from '../support/app.js';

const securityDoc = join(__dirname, '..', '..', 'docs', 'security.md');
const book = 'perm-book';
/** Values for path parameters: the book exists, everything else is made up (404 is fine). */
const pathValues: Record<string, string> = {
  book,
  period: '2031-01',
  code: '9999',
  slug: 'validation',
};

/** Valid bodies where the handler checks the permission after the body is validated. */
const sampleBodies: Record<string, unknown> = {
  'POST /v1/approvals/:id/approve': { comment: 'permissions walk' },
  'POST /v1/approvals/:id/reject': { reason: 'permissions walk' },
};

function concretePath(path: string): string {
  return path.replace(/:(\w+)/g, (_match, name: string) => pathValues[name] ?? `no-such-${name}`);
}

describe('permissions table (docs/security.md)', () => {
  let app: TestApp;
  let routes: RouteEntry[];
  const keyOf = new Map<Caller, string | undefined>();

  beforeAll(async () => {
    // Dozens of deliberate 401s from one address: no failed-authentication brake here.
    app = await startTestApp({ env: { KONTOR_AUTH_FAILURES_PER_MINUTE: '0' } });
    routes = routeInventory(app.app);
    for (const role of roles) keyOf.set(role, await app.createKey(`perm-${role}`, [role]));
    const revoked = await app.createKey('perm-revoked', ['admin']);
    const listed = await app.request<{ items: { id: string; name: string }[] }>(
      'GET',
      '/v1/api-keys?limit=1000',
      { key: app.adminKey },
    );
    const revokedId = listed.body.items.find((key) => key.name === 'perm-revoked')!.id;
    expect(
      (await app.request('DELETE', `/v1/api-keys/${revokedId}`, { key: app.adminKey })).status,
    ).toBe(200);
    keyOf.set('revoked key', revoked);
    keyOf.set('no key', undefined);
    expect(
      (
        await app.request('POST', '/v1/books', {
          key: app.adminKey,
          body: { id: book, name: 'Permissions', baseCurrency: 'EUR' },
        })
      ).status,
    ).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('finds every documented OpenAPI operation among the routes', async () => {
    const spec = await app.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/docs-json',
    );
    const known = new Set(routes.map((route) => `${route.method} ${route.path}`));
    const documented = Object.entries(spec.body.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(documented.filter((operation) => !known.has(operation))).toEqual([]);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('has a row for every route of the app, as generated from the declared permissions', async () => {
    const rendered = renderPermissionsTable(routes);
    let doc = await readFile(securityDoc, 'utf8');
    if (process.env.KONTOR_WRITE_PERMISSIONS_TABLE === '1') {
      const start = doc.indexOf(permissionsTableStart);
      const end = doc.indexOf(permissionsTableEnd);
      expect(start).toBeGreaterThanOrEqual(0);
      doc = doc.slice(0, start) + rendered + doc.slice(end + permissionsTableEnd.length);
      await writeFile(securityDoc, doc);
    }
    const rows = parsePermissionsTable(doc);
    const missing = routes
      .filter((route) => !rows.has(`${route.method} ${route.path}`))
      .map((route) => `${route.method} ${route.path}`);
    expect({ routesWithoutRow: missing }).toEqual({ routesWithoutRow: [] });
    const stale = [...rows.keys()].filter(
      (row) => !routes.some((route) => `${route.method} ${route.path}` === row),
    );
    expect({ rowsWithoutRoute: stale }).toEqual({ rowsWithoutRoute: [] });
    // Same cells too: run the regeneration command from the header of this file when this fails.
    expect(doc).toContain(rendered);
  });

  it('holds for every route and caller against the running app', async () => {
    const rows = parsePermissionsTable(await readFile(securityDoc, 'utf8'));
    const mismatches: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const cells = rows.get(`${route.method} ${route.path}`);
      if (!cells) continue; // reported by the test above
      for (const [index, caller] of callers.entries()) {
        const expected = cells[index];
        expect(expected).toBe(String(expectedOutcome(route, caller)));
        const status = await statusOf(app, route, keyOf.get(caller));
        checked += 1;
        const denied = status === 401 || status === 403;
        const holds = expected === 'allowed' ? !denied : status === Number(expected);
        if (!holds)
          mismatches.push(
            `${route.method} ${route.path} as ${caller}: expected ${expected}, got ${status}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(routes.length * callers.length);
    // Every route × every caller, one request each: past jest's 5 s default once wave 2 added its routes.
  }, 60_000);
});

/** The status only: streamed answers (SSE, exports) are cancelled once their head arrives. */
async function statusOf(app: TestApp, route: RouteEntry, key: string | undefined): Promise<number> {
  const headers: Record<string, string> =
    key === undefined ? {} : { authorization: `Bearer ${key}` };
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  if (hasBody) headers['content-type'] = 'application/json';
  const abort = new AbortController();
  const response = await fetch(`${app.baseUrl}${concretePath(route.path)}`, {
    method: route.method,
    headers,
    signal: abort.signal,
    ...(hasBody
      ? { body: JSON.stringify(sampleBodies[`${route.method} ${route.path}`] ?? {}) }
      : {}),
  });
  abort.abort();
  await response.body?.cancel().catch(() => undefined);
  return response.status;
}
