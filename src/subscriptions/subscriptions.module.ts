import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { KontorConfig } from '../config.js';
import { Clock, EventStore } from '../event-sourcing/index.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG } from '../infrastructure/tokens.js';
import { AccessTokenMiddleware } from './api/access-token.middleware.js';
import { EventSchemasController } from './api/event-schemas.controller.js';
import { EventStreamController } from './api/event-stream.controller.js';
import { WebhooksController } from './api/webhooks.controller.js';
import { EventStreamService } from './application/event-stream.service.js';
import { BrokerRelayService } from './application/broker-relay.service.js';
import { WebhookDeliveryService } from './application/webhook-delivery.service.js';
import { WebhooksService } from './application/webhooks.service.js';
import {
  DeleteWebhookHandler,
  RegisterWebhookHandler,
  RetryWebhookDeliveryHandler,
} from './application/webhook-bus.commands.js';
import { EventsApiModule } from './events-api.module.js';
import { loadSubscriptionsSettings, SUBSCRIPTIONS_SETTINGS } from './subscriptions.settings.js';

export { EventsApiModule } from './events-api.module.js';
export { WebhookDeliveryService } from './application/webhook-delivery.service.js';
export { EventStreamService } from './application/event-stream.service.js';
export { startSse } from './api/event-stream.controller.js';
export { BrokerRelayService } from './application/broker-relay.service.js';
export { EventCatalog, eventSchemas } from './application/event-catalog.js';
export type { EventSchemaDocument } from './application/event-catalog.js';

/**
 * Events for other systems: the events API (EventsApiModule), SSE at GET /v1/events/stream, the
 * event catalog at GET /v1/events/schemas, webhooks (registration and delivery), and the broker
 * relay to NATS JetStream or RabbitMQ (KONTOR_RELAY_URL).
 */
@Module({
  imports: [EventsApiModule],
  controllers: [EventStreamController, EventSchemasController, WebhooksController],
  providers: [
    { provide: SUBSCRIPTIONS_SETTINGS, useFactory: () => loadSubscriptionsSettings() },
    BrokerRelayService,
    EventStreamService,
    WebhookDeliveryService,
    RegisterWebhookHandler,
    DeleteWebhookHandler,
    RetryWebhookDeliveryHandler,
    {
      provide: WebhooksService,
      inject: [EVENT_STORE, WebhookDeliveryService, KONTOR_CONFIG, CLOCK],
      useFactory: (
        store: EventStore,
        delivery: WebhookDeliveryService,
        config: KontorConfig,
        clock: Clock,
      ) =>
        new WebhooksService(store, delivery.outbox, {
          allowPrivate: config.webhookAllowPrivate,
          now: () => clock.now(),
          onRetry: () => delivery.poke(),
        }),
    },
  ],
  exports: [WebhookDeliveryService, EventStreamService, BrokerRelayService],
})
export class SubscriptionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(AccessTokenMiddleware)
      .forRoutes({ path: 'v1/events/stream', method: RequestMethod.GET });
  }
}
