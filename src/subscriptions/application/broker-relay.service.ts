import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { KontorConfig } from '../../config.js';
import { Clock, EventStore } from '../../event-sourcing/index.js';
import { Leadership } from '../../infrastructure/cluster/index.js';
import { Metrics } from '../../infrastructure/http/metrics.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { RELAY_SETTINGS, RelaySettings } from '../relay.settings.js';
import { createBrokerPublisher } from './broker-publisher.js';
import { BrokerRelay, relayName } from './broker-relay.js';

/**
 * The broker relay in the app (KONTOR_RELAY_URL set): a leader-only worker, listed with the
 * projections (`GET /v1/projections`, `kontor_projection_lag_events{projection="broker-relay"}`)
 * but not part of `?consistentWith=` or readiness. A read-only instance never relays.
 */
@Injectable()
export class BrokerRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: BrokerRelay | undefined;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_DB) db: SqlDatabase,
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
    @Inject(CLOCK) clock: Clock,
    @Optional() @Inject(RELAY_SETTINGS) settings: RelaySettings | undefined,
    projections: ProjectionsService,
    private readonly leadership: Leadership,
    @Optional() metrics?: Metrics,
  ) {
    if (!settings || config.readOnly) return;
    const published = metrics?.counter({
      name: 'kontor_relay_published_total',
      help: 'Events the broker relay published and the broker confirmed (a re-publish after a crash counts again)',
    });
    this.relay = new BrokerRelay(store, db, createBrokerPublisher(settings), {
      filter: {
        ...(settings.types ? { types: settings.types } : {}),
        ...(settings.books ? { books: settings.books } : {}),
      },
      subjectPrefix: settings.subjectPrefix,
      windowSize: settings.windowSize,
      batchSize: settings.batchSize,
      retryInitialMilliseconds: settings.retryInitialMilliseconds,
      retryMaxMilliseconds: settings.retryMaxMilliseconds,
      logger: new Logger('Relay'),
      clock,
      onPublished: (count) => published?.inc(count),
    });
    projections.track({ name: relayName, progress: () => this.relay!.progress() });
  }

  onApplicationBootstrap(): void {
    const relay = this.relay;
    if (!relay) return;
    this.leadership.register({
      name: relayName,
      start: () => relay.start(),
      stop: () => relay.stop(),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
