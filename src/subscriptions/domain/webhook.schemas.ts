import { EventSchema } from '../../event-sourcing/index.js';
import { WebhookEvent } from './webhook.events.js';

const stringList = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 };

export const webhookEventSchemas: readonly (EventSchema & { type: WebhookEvent['type'] })[] = [
  {
    type: 'WebhookRegistered',
    schemaVersion: 1,
    description: 'A webhook was registered (its signing secret is not part of the event).',
    schema: {
      type: 'object',
      required: ['webhookId', 'url'],
      additionalProperties: false,
      properties: {
        webhookId: { type: 'string', minLength: 1 },
        url: { type: 'string', format: 'uri' },
        types: stringList,
        books: stringList,
      },
    },
  },
  {
    type: 'WebhookDeleted',
    schemaVersion: 1,
    description: 'A webhook was deleted: nothing more is delivered to it.',
    schema: {
      type: 'object',
      required: ['webhookId'],
      additionalProperties: false,
      properties: { webhookId: { type: 'string', minLength: 1 } },
    },
  },
];
