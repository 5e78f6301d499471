import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessModule } from '../access/access.module.js';
import { KontorConfig } from '../config.js';
import { KONTOR_CONFIG } from '../infrastructure/tokens.js';
import { AuthFailureLimiter } from '../infrastructure/http/security/auth-failure-limiter.js';
import { KeyRateLimitGuard, keyRateWindowMs } from './key-rate-limit.guard.js';

/**
 * Request throttling (docs/security.md): the failed-authentication brake per client address
 * (consulted by the access guard) and the optional per-key rate limit.
 */
@Global()
@Module({
  imports: [
    AccessModule,
    ThrottlerModule.forRootAsync({
      inject: [KONTOR_CONFIG],
      useFactory: (config: KontorConfig) => ({
        throttlers: [
          { ttl: keyRateWindowMs, limit: config.rateLimitPerMinute ?? Number.MAX_SAFE_INTEGER },
        ],
      }),
    }),
  ],
  providers: [
    {
      provide: AuthFailureLimiter,
      inject: [KONTOR_CONFIG],
      useFactory: (config: KontorConfig) => new AuthFailureLimiter(config),
    },
    { provide: APP_GUARD, useClass: KeyRateLimitGuard },
  ],
  exports: [AuthFailureLimiter],
})
export class SecurityModule {}
