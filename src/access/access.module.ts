import { Inject, Injectable, Logger, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { KontorConfig } from '../config.js';
import { Clock, EventStore } from '../event-sourcing/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens.js';
import { ApiKeysController, CurrentKeyController } from './api/api-keys.controller.js';
import { AuthGuard } from './api/auth.guard.js';
import { ConsoleSessionController } from './api/console-session.controller.js';
import { RouteDeclarationCheck } from './api/route-declaration.check.js';
import { ApiKeyRegistry } from './application/api-key-registry.js';
import { ApiKeyService } from './application/api-key.service.js';
import { ConsoleSessions } from './application/console-sessions.js';
import { IssueApiKeyHandler, RevokeApiKeyHandler } from './application/api-key-bus.commands.js';
import { bootstrapAdminKey } from './application/bootstrap-admin-key.js';
import { loadKeyPepper } from './application/key-pepper.js';

export {
  CurrentActor,
  Public,
  RequestContext,
  RequirePermission,
  bearerSchemeName,
} from './api/access.decorators.js';
export type {
  AuthenticatedActor,
  KontorRequest,
  RequestContextValue,
} from './api/access.decorators.js';
export { ApiKeyRegistry } from './application/api-key-registry.js';
export type { ApiKeyListing } from './application/api-key-registry.js';
export { ApiKeyService } from './application/api-key.service.js';
export { ConsoleSessions } from './application/console-sessions.js';
export type {
  IssueApiKeyInput,
  IssuedApiKey,
  RevokedApiKey,
} from './application/api-key.service.js';
export { IssueApiKeyCommand, RevokeApiKeyCommand } from './application/api-key-bus.commands.js';
export { adminKeyFileName, bootstrapActor } from './application/bootstrap-admin-key.js';
export { generateApiKey, hashApiKey } from './application/api-key-secrets.js';
export { issueKeyOffline } from './application/issue-key-offline.js';
export { copyKeyPepper, loadKeyPepper } from './application/key-pepper.js';

/** Loads the key registry, registers the first admin key, and keeps the registry current. */
@Injectable()
class AccessLifecycle implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Access');
  private unwatch?: () => void;

  constructor(
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
    private readonly registry: ApiKeyRegistry,
    private readonly service: ApiKeyService,
    private readonly sessions: ConsoleSessions,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.sessions.init();
    this.unwatch = this.registry.watch((error) =>
      this.logger.error(`could not catch up with the api-keys stream: ${String(error)}`),
    );
    if (this.config.readOnly) {
      await this.registry.catchUp();
      return;
    }
    await bootstrapAdminKey(this.registry, this.service, {
      dataDir: this.config.dataDir,
      ...(this.config.adminKey ? { adminKey: this.config.adminKey } : {}),
      print: (line) => process.stdout.write(`${line}\n`),
    });
  }

  onModuleDestroy(): void {
    this.unwatch?.();
  }
}

@Module({
  imports: [DiscoveryModule],
  controllers: [ApiKeysController, CurrentKeyController, ConsoleSessionController],
  providers: [
    {
      provide: ApiKeyRegistry,
      inject: [EVENT_STORE, READ_MODEL_DB, KONTOR_CONFIG],
      useFactory: async (store: EventStore, db: SqlDatabase, config: KontorConfig) =>
        new ApiKeyRegistry(store, await loadKeyPepper(db, { create: !config.readOnly })),
    },
    {
      provide: ApiKeyService,
      inject: [EVENT_STORE, ApiKeyRegistry],
      useFactory: (store: EventStore, registry: ApiKeyRegistry) =>
        new ApiKeyService(store, registry),
    },
    {
      provide: ConsoleSessions,
      inject: [READ_MODEL_DB, CLOCK, KONTOR_CONFIG],
      useFactory: (db: SqlDatabase, clock: Clock, config: KontorConfig) =>
        new ConsoleSessions(db, clock, {
          idleMinutes: config.consoleSessionIdleMinutes,
          hours: config.consoleSessionHours,
        }),
    },
    IssueApiKeyHandler,
    RevokeApiKeyHandler,
    AccessLifecycle,
    RouteDeclarationCheck,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [ApiKeyRegistry, ConsoleSessions],
})
export class AccessModule {}
