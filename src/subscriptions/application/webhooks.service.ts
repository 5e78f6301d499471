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
import { mayManageWebhook } from '../domain/webhook-access.js';
import { redactWebhookUrl, webhooksDecider, WebhooksState } from '../domain/webhooks.decider.js';
import { checkWebhookTarget } from './outbound-address.guard.js';
import { DeliveryStatus, DeliveryView, WebhookOutbox } from './webhook-outbox.js';
import { generateWebhookSecret, newWebhookId } from './webhook-ids.js';

export interface WebhookRequester {
  /** `actor.id` is the caller's key: the owner of what it registers. */
  metadata: { actor: Actor; correlationId: string };
  /** The caller's key is restricted to these books. */
  books?: readonly string[];
  /** Admins see and manage every webhook; other keys only their own (webhook-access.ts). */
  isAdmin: boolean;
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
  /** The key that registered it: its owner. */
  createdBy: Actor;
}

export type RegisteredWebhook = { id: string; secret: string; position: bigint } & WebhookListing;

export interface DeletedWebhook {
  id: string;
  deleted: true;
  position: bigint;
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
  ): Promise<RegisteredWebhook> {
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
    await this.outbox.saveSecret(webhookId, secret, this.options.now(), input.url);
    try {
      const position = await this.execute(command, requester);
      const listing = (await this.list(requester)).find((webhook) => webhook.id === webhookId)!;
      return { ...listing, secret, position };
    } catch (error) {
      await this.outbox.deleteSecret(webhookId);
      throw error;
    }
  }

  /** The active webhooks the requester may manage; URLs as the events keep them (query masked). */
  async list(requester: WebhookRequester): Promise<WebhookListing[]> {
    const { state, registrations } = await this.load();
    return [...state.webhooks.values()]
      .filter((webhook) => webhook.status === 'active')
      .map((webhook) => {
        const registration = registrations.get(webhook.webhookId)!;
        return {
          id: webhook.webhookId,
          url: redactWebhookUrl(webhook.url),
          types: webhook.types ?? null,
          books: webhook.books ?? null,
          createdAt: registration.recordedAt,
          createdBy: registration.actor,
        };
      })
      .filter((listing) => this.mayManage(requester, listing));
  }

  async get(webhookId: string, requester: WebhookRequester): Promise<WebhookListing> {
    const listing = (await this.list(requester)).find((webhook) => webhook.id === webhookId);
    if (!listing) throw new NotFoundError(`webhook ${webhookId} not found`);
    return listing;
  }

  async delete(webhookId: string, requester: WebhookRequester): Promise<DeletedWebhook> {
    await this.requireManaged(webhookId, requester);
    const position = await this.execute({ type: 'DeleteWebhook', webhookId }, requester);
    await this.outbox.deleteSecret(webhookId);
    return { id: webhookId, deleted: true, position };
  }

  async deliveries(
    webhookId: string,
    requester: WebhookRequester,
    page: { after: bigint; limit: number; status?: DeliveryStatus },
  ): Promise<{ items: DeliveryView[]; nextAfter: bigint | null }> {
    await this.requireManaged(webhookId, requester);
    return this.outbox.listDeliveries(webhookId, page);
  }

  async retry(webhookId: string, deliveryId: string, requester: WebhookRequester): Promise<void> {
    await this.requireManaged(webhookId, requester);
    if (!(await this.outbox.retry(webhookId, deliveryId, this.options.now()))) {
      throw new NotFoundError(
        `webhook ${webhookId} has no delivery ${deliveryId} that can be retried`,
      );
    }
    this.options.onRetry?.();
  }

  /** Deleted webhooks too (their delivery log stays readable). Others' webhooks are not found. */
  private async requireManaged(webhookId: string, requester: WebhookRequester): Promise<void> {
    const { state, registrations } = await this.load();
    const webhook = state.webhooks.get(webhookId);
    const registration = registrations.get(webhookId);
    if (
      !webhook ||
      !registration ||
      !this.mayManage(requester, { createdBy: registration.actor, books: webhook.books ?? null })
    )
      throw new NotFoundError(`webhook ${webhookId} not found`);
  }

  private mayManage(
    requester: WebhookRequester,
    webhook: { createdBy: Actor; books: string[] | null },
  ): boolean {
    return mayManageWebhook(
      {
        keyId: requester.metadata.actor.id,
        isAdmin: requester.isAdmin,
        ...(requester.books ? { books: requester.books } : {}),
      },
      { ownerKeyId: webhook.createdBy.id, ...(webhook.books ? { books: webhook.books } : {}) },
    );
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

  private async load(): Promise<{
    state: WebhooksState;
    registrations: Map<string, { recordedAt: string; actor: Actor }>;
  }> {
    const { state, events } = await this.stream.read();
    // The registering key (metadata.actor) owns the webhook: events of every age carry it.
    const registrations = new Map<string, { recordedAt: string; actor: Actor }>();
    for (const event of events) {
      if (event.type === 'WebhookRegistered')
        registrations.set((event.data as { webhookId: string }).webhookId, {
          recordedAt: event.recordedAt,
          actor: { id: event.metadata.actor.id, name: event.metadata.actor.name },
        });
    }
    return { state, registrations };
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
