import { Global, Logger, Module } from '@nestjs/common';
import { KontorConfig } from '../../config.js';
import { KONTOR_CONFIG } from '../tokens.js';
import { ClusterService } from './cluster.service.js';
import { CLUSTER_SETTINGS, ClusterSettings, loadClusterSettings } from './cluster.settings.js';
import { Leadership } from './leadership.js';

/**
 * Global: leader election (PostgreSQL advisory lock; a lone instance on SQLite), `Leadership`
 * (register leader-only workers, or observe `leadership$`) and `GET /v1/cluster`. Needs the
 * projections module (ProjectionsService) and the infrastructure module (KONTOR_CONFIG).
 */
@Global()
@Module({
  providers: [
    {
      provide: CLUSTER_SETTINGS,
      inject: [KONTOR_CONFIG],
      useFactory: (config: KontorConfig) => loadClusterSettings(config),
    },
    {
      provide: Leadership,
      inject: [CLUSTER_SETTINGS],
      useFactory: (settings: ClusterSettings) =>
        new Leadership(settings.instanceId, new Logger('Cluster')),
    },
    ClusterService,
  ],
  exports: [Leadership, ClusterService],
})
export class ClusterModule {}
