/** The id is made at the edge; the secret never reaches the decider (it is not an event fact). */
export interface RegisterWebhook {
  type: 'RegisterWebhook';
  webhookId: string;
  url: string;
  types?: string[];
  books?: string[];
}

export interface DeleteWebhook {
  type: 'DeleteWebhook';
  webhookId: string;
}

export type WebhookCommand = RegisterWebhook | DeleteWebhook;
