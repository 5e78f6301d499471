import { DomainEvent } from '../../event-sourcing/index.js';

/** All webhook registrations live on one stream: they are few and read whole at boot. */
export const webhooksStreamId = 'webhooks';

/**
 * Only the webhook's metadata: the signing secret is kept in the mutable `webhook_secrets`
 * table (docs/integration.md), so deleting a webhook really deletes its secret.
 */
export interface WebhookRegisteredData {
  webhookId: string;
  /**
   * The target with its query string masked (`?***`); events written before that carry the full
   * URL. The full URL is in the ops table `webhook_targets`.
   */
  url: string;
  /** Only these event types are delivered; absent means every type. */
  types?: string[];
  /** Only events of these books are delivered; absent means every event. */
  books?: string[];
}

export interface WebhookDeletedData {
  webhookId: string;
}

export type WebhookRegistered = DomainEvent<'WebhookRegistered', WebhookRegisteredData>;
export type WebhookDeleted = DomainEvent<'WebhookDeleted', WebhookDeletedData>;
export type WebhookEvent = WebhookRegistered | WebhookDeleted;

export const webhookEventTypes: readonly WebhookEvent['type'][] = [
  'WebhookRegistered',
  'WebhookDeleted',
];
