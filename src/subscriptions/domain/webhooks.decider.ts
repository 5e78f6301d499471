import {
  ConflictError,
  Decider,
  FieldError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { DeleteWebhook, RegisterWebhook, WebhookCommand } from './webhook.commands.js';
import { WebhookEvent, WebhookRegisteredData } from './webhook.events.js';

export const webhookUrlLengthMax = 2_048;
export const webhookTypesMax = 100;
export const webhookBooksMax = 100;
export const webhookFilterEntryLengthMax = 128;
/** Active webhooks at once; each one is a delivery queue the dispatcher follows. */
export const webhooksActiveMax = 1_000;

export interface WebhookState extends WebhookRegisteredData {
  status: 'active' | 'deleted';
}

/** Every webhook ever registered, in registration order. */
export interface WebhooksState {
  webhooks: ReadonlyMap<string, WebhookState>;
}

/** http(s) with a host, no credentials in it, no fragment. Address checks (SSRF) happen at the edge. */
export function checkWebhookUrl(url: string): FieldError | undefined {
  if (url.length > webhookUrlLengthMax)
    return { field: 'url', message: `must be at most ${webhookUrlLengthMax} characters` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { field: 'url', message: 'must be an absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { field: 'url', message: 'must use http or https' };
  if (parsed.hostname === '') return { field: 'url', message: 'must name a host' };
  if (parsed.username !== '' || parsed.password !== '')
    return { field: 'url', message: 'must not carry credentials' };
  if (parsed.hash !== '') return { field: 'url', message: 'must not have a fragment' };
  return undefined;
}

/** What stands in the event for a webhook URL's query string (its secret part). */
export const redactedQuery = '?***';

/**
 * The URL as the event keeps it: the query string (where tokens usually go) masked. Credentials
 * and fragments are refused by checkWebhookUrl; the full URL lives in the ops table
 * `webhook_targets`, next to the signing secret (docs/integration.md).
 */
export function redactWebhookUrl(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart < 0 ? url : `${url.slice(0, queryStart)}${redactedQuery}`;
}

function checkList(
  field: 'types' | 'books',
  values: string[] | undefined,
  max: number,
): string[] | undefined {
  if (values === undefined) return undefined;
  const unique = [...new Set(values)];
  const problem =
    unique.length === 0
      ? 'must not be empty (leave it out for all)'
      : unique.length > max
        ? `must hold at most ${max} entries`
        : unique.some((value) => value.length === 0 || value.length > webhookFilterEntryLengthMax)
          ? `entries must be 1 to ${webhookFilterEntryLengthMax} characters`
          : undefined;
  if (problem !== undefined)
    throw new ValidationError(`${field} ${problem}`, [{ field, message: problem }]);
  return unique;
}

function sameRegistration(a: WebhookRegisteredData, b: WebhookRegisteredData): boolean {
  return JSON.stringify([a.url, a.types, a.books]) === JSON.stringify([b.url, b.types, b.books]);
}

function decideRegister(command: RegisterWebhook, state: WebhooksState): WebhookEvent[] {
  const urlError = checkWebhookUrl(command.url);
  if (urlError) throw new ValidationError(`url ${urlError.message}`, [urlError]);
  const data: WebhookRegisteredData = {
    webhookId: command.webhookId,
    url: redactWebhookUrl(command.url),
  };
  const types = checkList('types', command.types, webhookTypesMax);
  const books = checkList('books', command.books, webhookBooksMax);
  if (types !== undefined) data.types = types;
  if (books !== undefined) data.books = books;
  const existing = state.webhooks.get(command.webhookId);
  if (existing !== undefined) {
    if (existing.status === 'active' && sameRegistration(existing, data)) return [];
    throw new ConflictError(`webhook ${command.webhookId} already exists`);
  }
  const active = [...state.webhooks.values()].filter(
    (webhook) => webhook.status === 'active',
  ).length;
  if (active >= webhooksActiveMax)
    throw new ConflictError(`at most ${webhooksActiveMax} webhooks can be active at once`);
  return [{ type: 'WebhookRegistered', data }];
}

function decideDelete(command: DeleteWebhook, state: WebhooksState): WebhookEvent[] {
  const existing = state.webhooks.get(command.webhookId);
  if (existing === undefined) throw new NotFoundError(`webhook ${command.webhookId} not found`);
  if (existing.status === 'deleted') return [];
  return [{ type: 'WebhookDeleted', data: { webhookId: command.webhookId } }];
}

function evolve(state: WebhooksState, event: WebhookEvent): WebhooksState {
  const webhooks = new Map(state.webhooks);
  if (event.type === 'WebhookRegistered') {
    webhooks.set(event.data.webhookId, { ...event.data, status: 'active' });
  } else {
    const existing = webhooks.get(event.data.webhookId);
    if (existing) webhooks.set(event.data.webhookId, { ...existing, status: 'deleted' });
  }
  return { webhooks };
}

export const webhooksDecider: Decider<WebhookCommand, WebhookEvent, WebhooksState> = {
  initialState: () => ({ webhooks: new Map() }),
  decide: (command, state) =>
    command.type === 'RegisterWebhook'
      ? decideRegister(command, state)
      : decideDelete(command, state),
  evolve,
};
