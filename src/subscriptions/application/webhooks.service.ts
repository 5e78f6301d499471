import {
  Actor,
  ConflictError,
  DecidedStream,
  EventStore,
  ForbiddenError,
  newId,
  NotFoundError,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../event-sourcing/index.js';
import { WebhookCommand } from '../domain/webhook.commands.js';
import { WebhookEvent, webhooksStreamId } from '../domain/webhook.events.js';
import { webhooksDecider, WebhooksState } from '../domain/webhooks.decider.js';
import { checkWebhookTarget } from './outbound-address.guard.js';
import { DeliveryStatus, DeliveryView, WebhookOutbox } from './webhook-outbox.js';
import { generateWebhookSecret, newWebhookId } from './webhook-ids.js';

export interface WebhookRequester {
  metadata: { actor: Actor; correlationId: string };
  /** The caller's key is restricted to these books. */
  books?: readonly string[];
}

export interface RegisterWebhookInput {
  url: string;
  types?: string[];
  books?: string[];
}

export interface WebhookListing {
  id: string;
  url: string;
  types: string[] | null;
  books: string[] | null;
  createdAt: string;
}

/** Registers, lists and deletes webhooks: decide against the `webhooks` stream, append, keep the secret aside. */
export class WebhooksService {
  private readonly stream: DecidedStream<WebhookCommand, WebhookEvent, WebhooksState>;

  constructor(
    private readonly store: EventStore,
    private readonly outbox: WebhookOutbox,
    private readonly options: { allowPrivate: boolean; now: () => Date; onRetry?: () => void },
  ) {
    this.stream = new DecidedStream(store, webhooksStreamId, webhooksDecider);
  }

  async register(
    input: RegisterWebhookInput,
    requester: WebhookRequester,
  ): Promise<{ id: string; secret: string; position: bigint } & WebhookListing> {
    const books = this.booksFor(input.books, requester.books);
    const webhookId = newWebhookId();
    const command: WebhookCommand = {
      type: 'RegisterWebhook',
      webhookId,
      url: input.url,
      ...(input.types !== undefined ? { types: input.types } : {}),
      ...(books !== undefined ? { books } : {}),
    };
    webhooksDecider.decide(command, webhooksDecider.initialState()); // shape errors before any I/O
    const refused = await checkWebhookTarget(input.url, this.options.allowPrivate);
    if (refused)
      throw new ValidationError(`url ${refused.message}`, [
        { field: 'url', message: 'must not point to a private or loopback address' },
      ]);
    const secret = generateWebhookSecret();
    await this.outbox.saveSecret(webhookId, secret, this.options.now());
    try {
      const position = await this.execute(command, requester);
      const listing = (await this.list()).find((webhook) => webhook.id === webhookId)!;
      return { ...listing, secret, position };
    } catch (error) {
      await this.outbox.deleteSecret(webhookId);
      throw error;
    }
  }

  async list(): Promise<WebhookListing[]> {
    const { state, registeredAt } = await this.load();
    return [...state.webhooks.values()]
      .filter((webhook) => webhook.status === 'active')
      .map((webhook) => ({
        id: webhook.webhookId,
        url: webhook.url,
        types: webhook.types ?? null,
        books: webhook.books ?? null,
        createdAt: registeredAt.get(webhook.webhookId)!,
      }));
  }

  async delete(
    webhookId: string,
    requester: WebhookRequester,
  ): Promise<{ id: string; deleted: true; position: bigint }> {
    const position = await this.execute({ type: 'DeleteWebhook', webhookId }, requester);
    await this.outbox.deleteSecret(webhookId);
    return { id: webhookId, deleted: true, position };
  }

  async deliveries(
    webhookId: string,
    page: { after: bigint; limit: number; status?: DeliveryStatus },
  ): Promise<{ items: DeliveryView[]; nextAfter: bigint | null }> {
    await this.requireKnown(webhookId);
    return this.outbox.listDeliveries(webhookId, page);
  }

  async retry(webhookId: string, deliveryId: string): Promise<void> {
    await this.requireKnown(webhookId);
    if (!(await this.outbox.retry(webhookId, deliveryId, this.options.now()))) {
      throw new NotFoundError(
        `webhook ${webhookId} has no delivery ${deliveryId} that can be retried`,
      );
    }
    this.options.onRetry?.();
  }

  private async requireKnown(webhookId: string): Promise<void> {
    const { state } = await this.load();
    if (!state.webhooks.has(webhookId)) throw new NotFoundError(`webhook ${webhookId} not found`);
  }

  /** A book-restricted key registers webhooks for its books only (all of them when none are named). */
  private booksFor(
    requested: string[] | undefined,
    allowed: readonly string[] | undefined,
  ): string[] | undefined {
    if (allowed === undefined) return requested;
    if (requested === undefined) return [...allowed];
    const outside = requested.filter((book) => !allowed.includes(book));
    if (outside.length > 0)
      throw new ForbiddenError(`this key may not subscribe to book ${outside.join(', ')}`);
    return requested;
  }

  private async load(): Promise<{ state: WebhooksState; registeredAt: Map<string, string> }> {
    const { state, events } = await this.stream.read();
    const registeredAt = new Map<string, string>();
    for (const event of events) {
      if (event.type === 'WebhookRegistered')
        registeredAt.set((event.data as { webhookId: string }).webhookId, event.recordedAt);
    }
    return { state, registeredAt };
  }

  private async execute(command: WebhookCommand, requester: WebhookRequester): Promise<bigint> {
    try {
      const { positions } = await this.stream.handle(command, {
        ...requester.metadata,
        commandId: newId(),
      });
      return positions[positions.length - 1] ?? (await this.store.headPosition());
    } catch (error) {
      throw error instanceof WrongExpectedRevisionError
        ? new ConflictError('webhooks changed concurrently, try again')
        : error;
    }
  }
}
