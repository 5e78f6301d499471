import { ConflictError, NotFoundError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { RegisterWebhook } from './webhook.commands.js';
import { WebhookEvent } from './webhook.events.js';
import { webhooksDecider, webhookTypesMax } from './webhooks.decider.js';

const spec = deciderSpec(webhooksDecider);

function register(overrides: Partial<RegisterWebhook> = {}): RegisterWebhook {
  return {
    type: 'RegisterWebhook',
    webhookId: 'wh_1',
    url: 'https://hooks.example.com/kontor',
    ...overrides,
  };
}

const registered: WebhookEvent = {
  type: 'WebhookRegistered',
  data: { webhookId: 'wh_1', url: 'https://hooks.example.com/kontor' },
};
const deleted: WebhookEvent = { type: 'WebhookDeleted', data: { webhookId: 'wh_1' } };

describe('webhooks decider', () => {
  describe('RegisterWebhook', () => {
    it('registers a webhook for every event', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('keeps the query string (a token) out of the event: the URL is recorded as …?***', () => {
      spec
        .given([])
        .when(register({ url: 'https://hooks.example.com/kontor?token=s3cr3t&team=7' }))
        .then([
          {
            type: 'WebhookRegistered',
            data: { webhookId: 'wh_1', url: 'https://hooks.example.com/kontor?***' },
          },
        ]);
    });

    it('keeps type and book filters, without repeats', () => {
      spec
        .given([])
        .when(register({ types: ['JournalEntryPosted', 'JournalEntryPosted'], books: ['acme'] }))
        .then([
          {
            type: 'WebhookRegistered',
            data: {
              webhookId: 'wh_1',
              url: 'https://hooks.example.com/kontor',
              types: ['JournalEntryPosted'],
              books: ['acme'],
            },
          },
        ]);
    });

    it.each([
      ['ftp://example.com/x', 'another scheme'],
      ['/relative', 'a relative URL'],
      ['https://user:pw@example.com/', 'credentials'],
      ['https://example.com/#frag', 'a fragment'],
      [`https://example.com/${'a'.repeat(2_100)}`, 'an overlong URL'],
    ])('refuses %s (%s)', (url) => {
      spec.given([]).when(register({ url })).thenThrows(ValidationError, 'validation');
    });

    it('refuses empty or oversized filters', () => {
      spec
        .given([])
        .when(register({ types: [] }))
        .thenThrows(ValidationError);
      spec
        .given([])
        .when(register({ books: [''] }))
        .thenThrows(ValidationError);
      const many = Array.from({ length: webhookTypesMax + 1 }, (_, index) => `Type${index}`);
      spec
        .given([])
        .when(register({ types: many }))
        .thenThrows(ValidationError);
    });

    it('is a no-op when repeated with the same registration', () => {
      spec.given([registered]).when(register()).then([]);
    });

    it('refuses the same id with another registration, or after deletion', () => {
      spec
        .given([registered])
        .when(register({ url: 'https://other.example.com/' }))
        .thenThrows(ConflictError, 'conflict');
      spec.given([registered, deleted]).when(register()).thenThrows(ConflictError, 'conflict');
    });
  });

  describe('DeleteWebhook', () => {
    it('deletes an active webhook', () => {
      spec.given([registered]).when({ type: 'DeleteWebhook', webhookId: 'wh_1' }).then([deleted]);
    });

    it('refuses an unknown webhook', () => {
      spec
        .given([])
        .when({ type: 'DeleteWebhook', webhookId: 'wh_1' })
        .thenThrows(NotFoundError, 'not-found');
    });

    it('is a no-op when repeated', () => {
      spec.given([registered, deleted]).when({ type: 'DeleteWebhook', webhookId: 'wh_1' }).then([]);
    });
  });
});
