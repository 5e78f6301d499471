import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { KontorConfig } from '../../config.js';
import { Clock, EventStore } from '../../event-sourcing/index.js';
import { Leadership } from '../../infrastructure/cluster/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions.settings.js';
import { WebhookDelivery } from './webhook-delivery.js';
import { WebhookOutbox } from './webhook-outbox.js';

/**
 * Webhook delivery in the app: a leader-only worker (it runs on the one instance that runs the
 * projections, and moves with leadership on failover). `KONTOR_WEBHOOK_AUTOSTART=false` keeps it
 * out of leadership altogether (tests drive `start()` / `stop()` themselves). A read-only
 * instance never delivers.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly outbox: WebhookOutbox;
  private readonly delivery: WebhookDelivery;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_MODEL_DB) db: SqlDatabase,
    @Inject(KONTOR_CONFIG) private readonly config: KontorConfig,
    @Inject(CLOCK) clock: Clock,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
    private readonly leadership: Leadership,
  ) {
    const logger = new Logger('Webhooks');
    this.outbox = new WebhookOutbox(db);
    this.delivery = new WebhookDelivery(store, this.outbox, {
      retry: {
        baseMilliseconds: settings.webhookRetryBaseMilliseconds,
        maxMilliseconds: settings.webhookRetryMaxMilliseconds,
        windowMilliseconds: settings.webhookRetryWindowMilliseconds,
      },
      timeoutMilliseconds: settings.webhookTimeoutMilliseconds,
      concurrency: settings.webhookConcurrency,
      allowPrivate: config.webhookAllowPrivate,
      clock,
      logger,
    });
  }

  get isRunning(): boolean {
    return this.delivery.isRunning;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.readOnly) return;
    await this.outbox.setup();
    if (this.settings.webhookAutoStart) {
      this.leadership.register({
        name: 'webhook-delivery',
        start: () => this.start(),
        stop: () => this.stop(),
      });
    }
  }

  start(): Promise<void> {
    return this.delivery.start();
  }

  stop(): Promise<void> {
    return this.delivery.stop();
  }

  poke(): void {
    this.delivery.poke();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.delivery.close();
  }
}
