import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AssertionFailed, ForbiddenError } from '../../event-sourcing/index.js';
import { AuthFailureLimiter } from '../../infrastructure/http/security/auth-failure-limiter.js';
import { ApiKeyRegistry } from '../application/api-key-registry.js';
import { ConsoleSessions, csrfTokenMatches, liveSession } from '../application/console-sessions.js';
import { UnauthorizedError } from '../domain/access.errors.js';
import { ApiKeyState } from '../domain/api-keys.decider.js';
import { Permission, canAccessBook, rolesGrant } from '../domain/permissions.js';
import {
  AuthenticatedActor,
  KontorRequest,
  permissionKey,
  publicRouteKey,
} from './access.decorators.js';
import { consoleSessionIdOf, csrfHeader } from './console-session-cookie.js';

const bearerPattern = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function csrfValue(request: KontorRequest): string | undefined {
  const value = request.headers[csrfHeader];
  return typeof value === 'string' ? value : undefined;
}

export interface RouteAccess {
  isPublic: boolean;
  permission?: Permission;
}

export function routeAccess(
  reflector: Reflector,
  targets: Parameters<Reflector['getAllAndOverride']>[1],
): RouteAccess {
  const isPublic =
    reflector.getAllAndOverride<boolean | undefined>(publicRouteKey, targets) === true;
  const permission = reflector.getAllAndOverride<Permission | undefined>(permissionKey, targets);
  return { isPublic, ...(permission ? { permission } : {}) };
}

function actorOf(key: ApiKeyState): AuthenticatedActor {
  return {
    keyId: key.keyId,
    name: key.name,
    roles: key.roles,
    ...(key.books ? { books: key.books } : {}),
  };
}

/**
 * Global guard: every route is either `@Public()` or `@RequirePermission(...)`; a route with
 * neither is a bug (500, and the boot check refuses to start). The key must be known and
 * active, its roles must grant the permission, and a book-restricted key only reaches its books.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: ApiKeyRegistry,
    @Optional() private readonly authFailures?: AuthFailureLimiter,
    @Optional() private readonly sessions?: ConsoleSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = routeAccess(this.reflector, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<KontorRequest>();
    if (access.isPublic) {
      await this.identifyIfSent(request);
      return true;
    }
    if (!access.permission) {
      throw new AssertionFailed(
        `${context.getClass().name}.${context.getHandler().name} declares neither @Public() nor @RequirePermission()`,
      );
    }
    const permission = access.permission;
    const sessionId = this.sessions ? consoleSessionIdOf(request) : undefined;
    const key =
      sessionId !== undefined
        ? await this.authenticateSession(request, sessionId)
        : await this.authenticateOrBrake(request);
    return this.authorize(request, key, permission);
  }

  /** The key's roles must grant the permission, and a book-restricted key only reaches its books. */
  private authorize(request: KontorRequest, key: ApiKeyState, permission: Permission): boolean {
    if (!rolesGrant(key.roles, permission)) {
      throw new ForbiddenError(`the API key "${key.name}" lacks the permission ${permission}`);
    }
    const book = (request.params as Record<string, string | undefined> | undefined)?.book;
    if (book !== undefined && !canAccessBook(key, book)) {
      throw new ForbiddenError(`the API key "${key.name}" is not allowed to access book ${book}`);
    }
    request.kontorActor = actorOf(key);
    return true;
  }

  /**
   * A public route serves more to a caller with a valid key (e.g. readiness details): an absent
   * or invalid key stays anonymous, and an invalid one still counts as a failed authentication.
   */
  private async identifyIfSent(request: KontorRequest): Promise<void> {
    if (request.headers.authorization === undefined) return;
    try {
      request.kontorActor = actorOf(await this.authenticateOrBrake(request));
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
    }
  }

  /**
   * The console's cookie session (docs/adr/0018), taken only when no Authorization header is
   * sent: from the console's own origin, a live session of an active key, and on a request that
   * may change state the session's CSRF token in X-CSRF-Token.
   */
  private async authenticateSession(
    request: KontorRequest,
    sessionId: string,
  ): Promise<ApiKeyState> {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none')
      throw new ForbiddenError(
        `a console session cookie is accepted only from the console's own origin (Sec-Fetch-Site: ${String(site)})`,
      );
    const found = await liveSession(this.sessions!, this.registry, sessionId);
    if ('ended' in found) return this.refuse(request, found.ended);
    const { session, key } = found;
    if (!safeMethods.has(request.method) && !csrfTokenMatches(session, csrfValue(request)))
      throw new ForbiddenError(
        `a console request that changes state must send the session's CSRF token in the ${csrfHeader} header`,
      );
    request.kontorSession = session;
    return key;
  }

  private refuse(request: KontorRequest, detail: string): never {
    this.authFailures?.recordFailure(request.ip);
    throw new UnauthorizedError(detail);
  }

  /** A failed authentication counts against the client address (429 once it fails too often). */
  private async authenticateOrBrake(request: KontorRequest): Promise<ApiKeyState> {
    try {
      return await this.authenticate(request.headers.authorization);
    } catch (error) {
      if (error instanceof UnauthorizedError) this.authFailures?.recordFailure(request.ip);
      throw error;
    }
  }

  private async authenticate(authorization: string | undefined): Promise<ApiKeyState> {
    if (!authorization)
      throw new UnauthorizedError('send an API key: Authorization: Bearer <api-key>');
    const secret = bearerPattern.exec(authorization)?.[1];
    if (!secret) throw new UnauthorizedError('the Authorization header must be: Bearer <api-key>');
    const key = await this.registry.authenticateCurrent(secret);
    if (!key) throw new UnauthorizedError('unknown or revoked API key');
    return key;
  }
}
