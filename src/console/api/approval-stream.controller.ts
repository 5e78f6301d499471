import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CurrentActor,
  RequirePermission,
  type AuthenticatedActor,
} from '../../access/access.module.js';
import { approvalRequestEventTypes } from '../../approvals/index.js';
import { EventStore, ValidationError, parsePosition } from '../../event-sourcing/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { EventStreamService, startSse } from '../../subscriptions/subscriptions.module.js';

/**
 * The approver inbox's live feed: the log's approval-request events (requested, decided,
 * executed, …) of the books the key may see, from now on. Approvers hold `approvals:read` but
 * not `events:read`; the inbox uses this to reload when a request arrives or is decided
 * elsewhere. Same machinery as GET /v1/events/stream (catch-up, heartbeats, revocation ends it).
 */
@ApiTags('console')
@Controller('v1/console/approvals')
export class ApprovalStreamController {
  constructor(
    private readonly streams: EventStreamService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('stream')
  @RequirePermission('approvals:read')
  @ApiOperation({
    summary: 'Server-Sent Events: approval-request events from now on (the inbox live feed)',
    description:
      'Starts at the head of the log, or after `Last-Event-ID` when resuming. Only events of the books the key may see.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless `text/event-stream` of approval-request events',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The last position received' })
  async stream(
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = await this.startAfter(lastEventId);
    const filter = {
      types: [...approvalRequestEventTypes],
      ...(actor.books ? { visibleBooks: actor.books } : {}),
    };
    this.streams.open(startSse(reply), after, filter, 'kontor', actor.keyId);
  }

  private async startAfter(lastEventId: string | undefined): Promise<bigint> {
    if (lastEventId === undefined || lastEventId === '') return this.store.headPosition();
    const position = parsePosition(lastEventId);
    if (position === undefined)
      throw new ValidationError('Last-Event-ID must be a log position', [
        { field: 'Last-Event-ID', message: 'must be a log position' },
      ]);
    await this.streams.checkPosition(position);
    return position;
  }
}
