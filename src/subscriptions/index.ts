/** The subscriptions module's public surface: events for other systems (events API, SSE, webhooks, broker relay, catalog). */
export { SubscriptionsModule } from './subscriptions.module.js';
export { WebhookDeliveryService } from './application/webhook-delivery.service.js';
export { BrokerRelayService } from './application/broker-relay.service.js';
export { EventStreamService } from './application/event-stream.service.js';
export { EventCatalog, eventSchemas } from './application/event-catalog.js';
export type { EventSchemaDocument } from './application/event-catalog.js';
export { toCloudEvent } from './application/cloud-event.js';
export type { KontorCloudEvent } from './application/cloud-event.js';
export { webhookEventTypes, webhooksStreamId } from './domain/webhook.events.js';
export type { WebhookEvent } from './domain/webhook.events.js';
export { webhookEventSchemas } from './domain/webhook.schemas.js';
