import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  RegisteredWebhook,
  RegisterWebhookInput,
  DeletedWebhook,
  WebhookRequester,
  WebhooksService,
} from './webhooks.service.js';

/**
 * The webhook writes on the @nestjs/cqrs CommandBus (what the controller sends), as every module's
 * writes go (ADR 0006); reads stay direct queries of `WebhooksService`.
 */
export class RegisterWebhookCommand extends Command<RegisteredWebhook> {
  constructor(
    readonly input: RegisterWebhookInput,
    readonly requester: WebhookRequester,
  ) {
    super();
  }
}

export class DeleteWebhookCommand extends Command<DeletedWebhook> {
  constructor(
    readonly webhookId: string,
    readonly requester: WebhookRequester,
  ) {
    super();
  }
}

/** Not an event: a delivery's schedule lives in the outbox, outside the log. */
export class RetryWebhookDeliveryCommand extends Command<void> {
  constructor(
    readonly webhookId: string,
    readonly deliveryId: string,
    readonly requester: WebhookRequester,
  ) {
    super();
  }
}

@CommandHandler(RegisterWebhookCommand)
export class RegisterWebhookHandler implements ICommandHandler<RegisterWebhookCommand> {
  constructor(private readonly webhooks: WebhooksService) {}

  execute({ input, requester }: RegisterWebhookCommand): Promise<RegisteredWebhook> {
    return this.webhooks.register(input, requester);
  }
}

@CommandHandler(DeleteWebhookCommand)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhookCommand> {
  constructor(private readonly webhooks: WebhooksService) {}

  execute({ webhookId, requester }: DeleteWebhookCommand): Promise<DeletedWebhook> {
    return this.webhooks.delete(webhookId, requester);
  }
}

@CommandHandler(RetryWebhookDeliveryCommand)
export class RetryWebhookDeliveryHandler implements ICommandHandler<RetryWebhookDeliveryCommand> {
  constructor(private readonly webhooks: WebhooksService) {}

  execute({ webhookId, deliveryId, requester }: RetryWebhookDeliveryCommand): Promise<void> {
    return this.webhooks.retry(webhookId, deliveryId, requester);
  }
}
