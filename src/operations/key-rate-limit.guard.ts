import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiKeyRegistry } from '../access/access.module.js';
import { KontorConfig } from '../config.js';
import { KONTOR_CONFIG } from '../infrastructure/tokens.js';
import { rateLimited } from '../infrastructure/http/security/rate-limited.js';

export const keyRateWindowMs = 60_000;
const bearerPattern = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Per-key rate limit (`KONTOR_RATE_LIMIT_PER_MINUTE`; unset = off): counts every request made
 * with one valid API key, whatever the route, and answers 429 `rate-limited` with `Retry-After`
 * beyond the limit. Requests without a valid key are left to the auth guard (and its failure brake).
 */
@Injectable()
export class KeyRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
    private readonly registry: ApiKeyRegistry,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (this.config.rateLimitPerMinute === undefined) return true;
    return this.keyIdOf(context.switchToHttp().getRequest<FastifyRequest>()) === undefined;
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const keyId = this.keyIdOf(request as unknown as FastifyRequest);
    return keyId ?? 'none';
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return `api-key:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw rateLimited(
      `this API key sent more than ${detail.limit} requests in a minute; retry after ${detail.timeToBlockExpire} s`,
      detail.timeToBlockExpire,
    );
  }

  private keyIdOf(request: FastifyRequest): string | undefined {
    const authorization = request.headers.authorization;
    const secret = authorization ? bearerPattern.exec(authorization)?.[1] : undefined;
    return secret === undefined ? undefined : this.registry.authenticate(secret)?.keyId;
  }
}
