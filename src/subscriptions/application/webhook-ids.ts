import { randomBytes } from 'node:crypto';
import { deterministicId } from '../../event-sourcing/index.js';

const secretBytes = 32;
const webhookIdBytes = 10;
/** Standard Webhooks: secrets are `whsec_` + base64 of the key bytes. */
export const webhookSecretPrefix = 'whsec_';

export function generateWebhookSecret(): string {
  return webhookSecretPrefix + randomBytes(secretBytes).toString('base64');
}

/** `wh_` + 20 hex characters. */
export function newWebhookId(): string {
  return `wh_${randomBytes(webhookIdBytes).toString('hex')}`;
}

/** One delivery per (webhook, event): the same pair always gets the same id. */
export function deliveryIdOf(webhookId: string, eventId: string): string {
  return deterministicId('webhook-delivery', webhookId, eventId);
}
