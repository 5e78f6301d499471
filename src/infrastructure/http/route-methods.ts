import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The methods every registered route answers, so that a wrong method on a known path is told
 * from an unknown path: 405 `method-not-allowed` with `Allow`, not Fastify's 404. Create it
 * before `app.init()` (it listens to route registration).
 */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; method: string }[] = [];

  constructor(app: NestFastifyApplication) {
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        const pattern = routePattern(route.url);
        for (const method of [route.method].flat()) this.routes.push({ pattern, method });
      });
  }

  /** The methods of the routes matching a concrete path (empty: no route has this path). */
  allowed(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) methods.add(route.method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

/** `/v1/books/:book/accounts` → a regular expression for its concrete paths (`*`: the rest). */
function routePattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
