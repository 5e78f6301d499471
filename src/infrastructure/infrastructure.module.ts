import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { KontorConfig } from '../config.js';
import { Clock, EventStore, systemClock } from '../event-sourcing/index.js';
import { diskSpaceCheck } from './disk-space.js';
import { openEventStore } from './event-store.factory.js';
import { Metrics } from './http/metrics.js';
import { ReadinessRegistry } from './http/readiness.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG } from './tokens.js';

export interface InfrastructureOptions {
  config: KontorConfig;
  /** An already opened store (createApp opens it first, to fail with one clear line); else opened here. */
  eventStore?: EventStore;
  clock?: Clock;
}

/** Closes the event store last: other modules stop their work in onModuleDestroy / beforeApplicationShutdown. */
@Injectable()
class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KONTOR_CONFIG) config: KontorConfig,
    readiness: ReadinessRegistry,
  ) {
    readiness.register('event-store', async () => {
      await store.headPosition();
    });
    if (config.store === 'sqlite') readiness.register('disk', diskSpaceCheck(config.dataDir));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * Global: the configuration (KONTOR_CONFIG), the event store (EVENT_STORE), the clock (CLOCK),
 * the Prometheus registry (Metrics) and the readiness checks (ReadinessRegistry).
 */
@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    const { config, eventStore, clock } = options;
    return {
      module: InfrastructureModule,
      providers: [
        { provide: KONTOR_CONFIG, useValue: config },
        eventStore
          ? { provide: EVENT_STORE, useValue: eventStore }
          : { provide: EVENT_STORE, useFactory: () => openEventStore(config) },
        { provide: CLOCK, useValue: clock ?? systemClock },
        Metrics,
        ReadinessRegistry,
        EventStoreLifecycle,
      ],
      exports: [KONTOR_CONFIG, EVENT_STORE, CLOCK, Metrics, ReadinessRegistry],
    };
  }
}
