/**
 * The subscriptions module's pure public surface (no NestJS): the webhook events and schemas.
 * The Nest wiring (SubscriptionsModule, EventsApiModule and their services) is reached through
 * subscriptions.module.ts.
 */
export { webhookEventTypes, webhooksStreamId } from './domain/webhook.events.js';
export type { WebhookEvent } from './domain/webhook.events.js';
export { webhookEventSchemas } from './domain/webhook.schemas.js';
