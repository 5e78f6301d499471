import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Permission, Role, roles, rolesGrant } from '../index.js';
import { routeAccess } from './auth.guard.js';

/** One HTTP route of the app and what it takes to call it. */
export interface RouteEntry {
  method: string;
  /** With `:param` placeholders, as in API.md: `/v1/books/:book/accounts`. */
  path: string;
  /** `public` (no key) or the one permission the route declares. */
  access: 'public' | Permission;
  /** A stricter permission the handler checks itself (see `handlerCheckedPermissions`). */
  handlerPermission?: Permission;
}

/**
 * Routes whose guard permission is deliberately weaker because the handler checks the real one
 * against the caller's own AND delegated roles (a delegate may lack it on the key). The
 * permissions e2e test walks these against the running app like every other row.
 */
export const handlerCheckedPermissions: Readonly<Record<string, Permission>> = {
  'POST /v1/approvals/:id/approve': 'approvals:decide',
  'POST /v1/approvals/:id/reject': 'approvals:decide',
};

/** What a caller gets from the auth guard: through (`allowed`), 401 or 403. */
export type AccessOutcome = 'allowed' | 401 | 403;

/** The callers of the permissions table: each role alone, no key, a revoked key. */
export const callers = [...roles, 'no key', 'revoked key'] as const;
export type Caller = (typeof callers)[number];

/** Every controller route of the running app with its declared access, sorted by path then method. */
export function routeInventory(app: INestApplication): RouteEntry[] {
  const discovery = app.get(DiscoveryService, { strict: false });
  const scanner = app.get(MetadataScanner, { strict: false });
  const reflector = app.get(Reflector, { strict: false });
  const routes: RouteEntry[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller || typeof controller !== 'function') continue;
    const prefixes = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as
        string | string[] | undefined;
      if (handlerPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const access = routeAccess(reflector, [handler, controller]);
      for (const prefix of prefixes) {
        for (const path of pathsOf(handlerPaths)) {
          const route: RouteEntry = {
            method,
            path: joinPath(prefix, path),
            access: access.isPublic ? 'public' : (access.permission ?? 'public'),
          };
          const handlerPermission = handlerCheckedPermissions[`${route.method} ${route.path}`];
          routes.push(handlerPermission ? { ...route, handlerPermission } : route);
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** What a caller holding no delegated roles gets on a route: through, 401 or 403. */
export function expectedOutcome(
  route: Pick<RouteEntry, 'access' | 'handlerPermission'>,
  caller: Caller,
): AccessOutcome {
  if (route.access === 'public') return 'allowed';
  if (caller === 'no key' || caller === 'revoked key') return 401;
  const needed = route.handlerPermission ?? route.access;
  return rolesGrant([caller as Role], needed) ? 'allowed' : 403;
}

export const permissionsTableStart =
  '<!-- permissions-table:start (generated from the routes; see docs/security.md) -->';
export const permissionsTableEnd = '<!-- permissions-table:end -->';

/** The Markdown table of every route × caller, between its markers. */
export function renderPermissionsTable(routes: readonly RouteEntry[]): string {
  const header = ['Method', 'Route', 'Permission', ...callers];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...routes.map((route) => {
      const cells = callers.map((caller) => {
        const outcome = expectedOutcome(route, caller);
        return outcome === 'allowed' ? 'allowed' : String(outcome);
      });
      return `| ${route.method} | \`${route.path}\` | ${permissionCell(route)} | ${cells.join(' | ')} |`;
    }),
  ];
  return [permissionsTableStart, ...lines, permissionsTableEnd].join('\n');
}

/** The rows of a rendered table as `METHOD path` → access cells (for checking a document). */
export function parsePermissionsTable(markdown: string): Map<string, string[]> {
  const start = markdown.indexOf(permissionsTableStart);
  const end = markdown.indexOf(permissionsTableEnd);
  const rows = new Map<string, string[]>();
  if (start < 0 || end < start) return rows;
  for (const line of markdown.slice(start, end).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const [, method, path, , ...outcomes] = cells;
    if (!method || !path || !/^[A-Z]+$/.test(method)) continue;
    rows.set(`${method} ${path.replaceAll('`', '')}`, outcomes.slice(0, callers.length));
  }
  return rows;
}

function permissionCell(route: RouteEntry): string {
  if (route.access === 'public') return 'public';
  if (!route.handlerPermission) return `\`${route.access}\``;
  return `\`${route.access}\`, then \`${route.handlerPermission}\` (own or delegated roles) in the handler`;
}

function pathsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [value === undefined ? '' : String(value)];
}

function joinPath(prefix: string, path: string): string {
  const joined = `/${[prefix, path]
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/')}`;
  return joined;
}
