import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { bearerSchemeName } from './access/access.module.js';
import { AppModule } from './app.module.js';
import { KontorConfig } from './config.js';
import { Clock, EventStore } from './event-sourcing/index.js';
import { openEventStore } from './infrastructure/event-store.factory.js';
import { lockDataDir } from './infrastructure/sqlite/data-dir-lock.js';
import {
  configureHttpPlatform,
  createFastifyAdapter,
} from './infrastructure/http/http-platform.js';
import { Metrics } from './infrastructure/http/metrics.js';
import { ProblemDetailsFilter } from './infrastructure/http/problem-details.filter.js';
import { configureHttpHardening } from './infrastructure/http/security/http-hardening.js';
import { createValidationPipe } from './infrastructure/http/validation.js';
import { addConsistentWithParameter } from './infrastructure/projections/consistent-with.openapi.js';

export interface AppOverrides {
  clock?: Clock;
  /** An already opened store; the app closes it on shutdown. */
  eventStore?: EventStore;
}

export { StoreUnavailableError } from './infrastructure/event-store.factory.js';

/** The initialised app (not yet listening): tests and `startServer` build on it. */
export async function createApp(
  config: KontorConfig,
  overrides: AppOverrides = {},
): Promise<NestFastifyApplication> {
  const eventStore = overrides.eventStore ?? (await openStore(config));
  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({
        config,
        eventStore,
        ...(overrides.clock ? { clock: overrides.clock } : {}),
      }),
      createFastifyAdapter(config),
      { bufferLogs: true, abortOnError: false },
    );
    app.useLogger(app.get(Logger));
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(createValidationPipe());
    configureHttpPlatform(app, config, app.get(Metrics));
    await configureHttpHardening(app, config);
    setUpOpenApi(app);
    await app.init();
    return app;
  } catch (error) {
    if (app) await app.close().catch(() => undefined);
    else await eventStore.close().catch(() => undefined);
    throw error;
  }
}

/**
 * `kontor serve`: on SQLite it first takes the data dir's lock (one server per data dir, else two
 * leaders), held until the app closes or the process ends.
 */
export async function startServer(config: KontorConfig): Promise<NestFastifyApplication> {
  const lock = config.store === 'sqlite' ? lockDataDir(config.dataDir) : undefined;
  let app: NestFastifyApplication;
  try {
    app = await createApp(config);
  } catch (error) {
    lock?.release();
    throw error;
  }
  if (lock)
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onClose', async () => lock.release());
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  app
    .get(Logger)
    .log(
      `Kontor listening on ${listeningUrl(app)} (store: ${config.store}${config.readOnly ? ', read-only' : ''})`,
    );
  return app;
}

/** The address the socket is really bound to (Nest's getUrl() says 127.0.0.1 for 0.0.0.0). */
function listeningUrl(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Opens the configured store; a failure becomes one clear line (StoreUnavailableError). */
export function openStore(config: KontorConfig): Promise<EventStore> {
  return openEventStore(config);
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Kontor')
      .setDescription(
        'Event-sourced accounting and approvals. Errors are RFC 9457 problem details (`application/problem+json`); ' +
          '`GET /problems/<slug>` explains each `type`.',
      )
      .setVersion('1')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer kontor_…' },
        bearerSchemeName,
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, addConsistentWithParameter(document), {
    jsonDocumentUrl: 'docs-json',
  });
}
