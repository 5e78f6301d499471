import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { KontorConfig } from '../../config.js';
import { openReadModelDatabase, SqlDatabase } from '../sql/index.js';
import { KONTOR_CONFIG, READ_MODEL_DB } from '../tokens.js';
import { ConsistencyInterceptor } from './consistency.interceptor.js';
import { ProjectionsService } from './projections.service.js';
import { loadProjectionsSettings, PROJECTIONS_SETTINGS } from './projections.settings.js';

/** Closes the read-model database after the runners stopped (they stop in beforeApplicationShutdown). */
@Injectable()
class ReadModelDatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(READ_MODEL_DB) private readonly db: SqlDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/**
 * Global: the read-model database (READ_MODEL_DB), ProjectionsService (register projections,
 * wait for positions), the `?consistentWith=` interceptor, and `GET /v1/projections`,
 * `POST /v1/projections/:name/rebuild`. Needs the infrastructure module (KONTOR_CONFIG, EVENT_STORE).
 */
@Global()
@Module({
  providers: [
    {
      provide: READ_MODEL_DB,
      inject: [KONTOR_CONFIG],
      useFactory: (config: KontorConfig) => openReadModelDatabase(config),
    },
    { provide: PROJECTIONS_SETTINGS, useFactory: () => loadProjectionsSettings() },
    ProjectionsService,
    ReadModelDatabaseLifecycle,
    { provide: APP_INTERCEPTOR, useClass: ConsistencyInterceptor },
  ],
  exports: [READ_MODEL_DB, ProjectionsService],
})
export class ProjectionsModule {}
