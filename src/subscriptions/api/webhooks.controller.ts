import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CommandBus } from '@nestjs/cqrs';
import {
  RequestContext,
  RequirePermission,
  type RequestContextValue,
} from '../../access/access.module.js';
import {
  DeleteWebhookCommand,
  RegisterWebhookCommand,
  RetryWebhookDeliveryCommand,
} from '../application/webhook-bus.commands.js';
import { WebhookRequester, WebhooksService } from '../application/webhooks.service.js';
import {
  DeletedWebhookResponse,
  DeliveriesPageResponse,
  deliveriesLimitDefault,
  ListDeliveriesQuery,
  RegisteredWebhookResponse,
  RegisterWebhookRequest,
  WebhookListResponse,
  WebhookResponse,
} from './webhooks.dto.js';

function requesterOf(context: RequestContextValue): WebhookRequester {
  return {
    metadata: { actor: context.actor, correlationId: context.correlationId },
    ...(context.books ? { books: context.books } : {}),
    isAdmin: context.roles.includes('admin'),
  };
}

@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly commandBus: CommandBus,
  ) {}

  @Post()
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'Register a webhook',
    description:
      'Matching events after the registration are POSTed as CloudEvents (structured JSON), signed per Standard Webhooks, ' +
      'in position order, retried with exponential backoff for up to 24 h. The `secret` is shown only in this answer.',
  })
  @ApiCreatedResponse({ type: RegisteredWebhookResponse })
  register(
    @Body() body: RegisterWebhookRequest,
    @RequestContext() context: RequestContextValue,
  ): Promise<RegisteredWebhookResponse> {
    return this.commandBus.execute(
      new RegisterWebhookCommand(body, requesterOf(context)),
    ) as unknown as Promise<RegisteredWebhookResponse>;
  }

  @Get()
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary: 'The active webhooks of the calling key (an admin sees every one)',
    description:
      'A key sees the webhooks it registered, within its books. URLs are shown with the query string masked (`?***`).',
  })
  @ApiOkResponse({ type: WebhookListResponse })
  async list(@RequestContext() context: RequestContextValue): Promise<WebhookListResponse> {
    return {
      items: (await this.webhooks.list(requesterOf(context))) as unknown as WebhookResponse[],
      nextCursor: null,
    };
  }

  @Get(':id')
  @RequirePermission('webhooks:manage')
  @ApiOperation({ summary: 'One active webhook of the calling key (an admin: any)' })
  @ApiOkResponse({ type: WebhookResponse })
  get(
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
  ): Promise<WebhookResponse> {
    return this.webhooks.get(id, requesterOf(context)) as unknown as Promise<WebhookResponse>;
  }

  @Delete(':id')
  @RequirePermission('webhooks:manage')
  @ApiOperation({ summary: 'Delete a webhook: nothing more is delivered, its secret is erased' })
  @ApiOkResponse({ type: DeletedWebhookResponse })
  delete(
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
  ): Promise<DeletedWebhookResponse> {
    return this.commandBus.execute(
      new DeleteWebhookCommand(id, requesterOf(context)),
    ) as unknown as Promise<DeletedWebhookResponse>;
  }

  @Get(':id/deliveries')
  @RequirePermission('webhooks:manage')
  @ApiOperation({ summary: "A webhook's deliveries in position order, with their attempts" })
  @ApiOkResponse({ type: DeliveriesPageResponse })
  async deliveries(
    @Param('id') id: string,
    @Query() query: ListDeliveriesQuery,
    @RequestContext() context: RequestContextValue,
  ): Promise<DeliveriesPageResponse> {
    const page = await this.webhooks.deliveries(id, requesterOf(context), {
      after: BigInt(query.cursor ?? '0'),
      limit: query.limit ?? deliveriesLimitDefault,
      ...(query.status ? { status: query.status } : {}),
    });
    return {
      items: page.items.map(
        ({ webhookId: _webhookId, ...item }) => item,
      ) as unknown as DeliveriesPageResponse['items'],
      nextCursor: page.nextAfter === null ? null : page.nextAfter.toString(),
    };
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @RequirePermission('webhooks:manage')
  @ApiOperation({
    summary:
      'Deliver again (a failed delivery, or a delivered one once more), with a fresh retry window',
  })
  @ApiAcceptedResponse({
    description: 'The delivery is due again',
    schema: {
      type: 'object',
      required: ['id', 'status'],
      properties: { id: { type: 'string' }, status: { type: 'string', enum: ['pending'] } },
    },
  })
  async retry(
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @RequestContext() context: RequestContextValue,
  ): Promise<{ id: string; status: 'pending' }> {
    await this.commandBus.execute(
      new RetryWebhookDeliveryCommand(id, deliveryId, requesterOf(context)),
    );
    return { id: deliveryId, status: 'pending' };
  }
}
