import { Body, Controller, Delete, Get, HttpCode, Optional, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '../../event-sourcing/index.js';
import { AuthFailureLimiter } from '../../infrastructure/http/security/auth-failure-limiter.js';
import { ApiKeyRegistry } from '../application/api-key-registry.js';
import { ConsoleSession, ConsoleSessions, liveSession } from '../application/console-sessions.js';
import { UnauthorizedError } from '../domain/access.errors.js';
import { ApiKeyState } from '../domain/api-keys.decider.js';
import { KontorRequest, Public, RequirePermission } from './access.decorators.js';
import {
  clearedSessionCookies,
  consoleSessionIdOf,
  overTls,
  sessionCookie,
} from './console-session-cookie.js';
import { ConsoleSessionResponse, ConsoleSignInRequest } from './console-session.dto.js';

/**
 * The console's sign-in (docs/adr/0018): an API key in, a session cookie out. Only the console
 * uses it; machines keep sending their key as a Bearer token.
 */
@ApiTags('console')
@Controller('v1/console/session')
export class ConsoleSessionController {
  constructor(
    private readonly registry: ApiKeyRegistry,
    private readonly sessions: ConsoleSessions,
    @Optional() private readonly authFailures?: AuthFailureLimiter,
  ) {}

  @Post()
  @Public()
  @ApiOperation({
    summary: 'Sign in to the console: sets an httpOnly, SameSite=Strict session cookie',
    description:
      'A wrong key is 401 and counts against the failed-authentication brake (429 beyond it). ' +
      'Any session cookie sent along is ended; the new session always gets a new id.',
  })
  @ApiCreatedResponse({ type: ConsoleSessionResponse })
  @ApiTooManyRequestsResponse({ description: 'too many failed authentications from this address' })
  async signIn(
    @Body() body: ConsoleSignInRequest,
    @Req() request: KontorRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleSessionResponse> {
    const key = await this.registry.authenticateCurrent(body.key);
    if (!key) {
      this.authFailures?.recordFailure(request.ip);
      throw new UnauthorizedError('unknown or revoked API key');
    }
    const previous = consoleSessionIdOf(request);
    if (previous !== undefined) await this.sessions.endById(previous);
    const session = await this.sessions.start(key.keyId);
    void reply
      .header('set-cookie', sessionCookie(session.sessionId, overTls(request)))
      .header('cache-control', 'no-store');
    return responseOf(key, session);
  }

  /**
   * Public, so that the console asking "am I still signed in?" at every page load is no failed
   * authentication: without a live session it is a 404, which the brake does not count.
   */
  @Get()
  @Public()
  @ApiOperation({
    summary: 'The console session of the cookie sent: who, its CSRF token, expiry (404 if none)',
  })
  @ApiOkResponse({ type: ConsoleSessionResponse })
  async current(
    @Req() request: KontorRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleSessionResponse> {
    void reply.header('cache-control', 'no-store');
    const sessionId = consoleSessionIdOf(request);
    const found =
      sessionId === undefined
        ? { ended: 'no console session cookie was sent: sign in' }
        : await liveSession(this.sessions, this.registry, sessionId);
    if ('ended' in found) throw new NotFoundError(found.ended);
    return responseOf(found.key, found.session);
  }

  @Delete()
  @HttpCode(204)
  @RequirePermission('self:read')
  @ApiOperation({ summary: 'Sign out of the console: ends the session and clears its cookie' })
  @ApiNoContentResponse({ description: 'signed out' })
  async signOut(
    @Req() request: KontorRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const session = this.sessionOf(request);
    await this.sessions.end(session.idHash);
    void reply.header('set-cookie', clearedSessionCookies(overTls(request)));
  }

  private sessionOf(request: KontorRequest): ConsoleSession {
    if (!request.kontorSession)
      throw new NotFoundError(
        'this request has no console session (it was made with an API key, not the session cookie)',
      );
    return request.kontorSession;
  }
}

function responseOf(key: ApiKeyState, session: ConsoleSession): ConsoleSessionResponse {
  return {
    id: key.keyId,
    name: key.name,
    roles: key.roles,
    ...(key.books ? { books: key.books } : {}),
    csrfToken: session.csrfToken,
    idleExpiresAt: session.idleExpiresAt,
    expiresAt: session.expiresAt,
  };
}
