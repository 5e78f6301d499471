import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CurrentActor,
  RequirePermission,
  type AuthenticatedActor,
} from '../../access/access.module.js';
import { parsePosition, positionExpected, ValidationError } from '../../event-sourcing/index.js';
import { EventStreamService } from '../application/event-stream.service.js';
import { EventsFilter } from '../application/events-page.js';
import { EventStreamQuery, streamTypesMax } from './event-stream.dto.js';

@ApiTags('events')
@Controller('v1/events')
export class EventStreamController {
  constructor(private readonly streams: EventStreamService) {}

  @Get('stream')
  @RequirePermission('events:read')
  @ApiOperation({
    summary: 'Server-Sent Events: the log from a position, then live',
    description:
      'Each event is `id: <position>` and `data: <event JSON>`. Resumes after `Last-Event-ID` (or `fromPosition`), ' +
      'catches up from the store, then streams live with no gap and no duplicate. `: heartbeat` comments keep it open. ' +
      'A client that falls behind its buffer gets `event: error` and the stream ends; it reconnects with `Last-Event-ID`.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'An endless `text/event-stream`: `id: <position>` and `data: <event JSON>` per event',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'retry: 1000\n\nid: 1235\ndata: {"position":1235,"type":"JournalEntryPosted",…}\n\n: heartbeat\n\n',
      },
    },
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The last position received; takes precedence over fromPosition',
  })
  async stream(
    @Query() query: EventStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = positionOf(lastEventId, query.fromPosition);
    const filter = filterOf(query, actor);
    // A number that is not an event's position (KurrentDB) is a 400 before the stream opens.
    await this.streams.checkPosition(after);
    this.streams.open(startSse(reply), after, filter, query.format ?? 'kontor', actor.keyId);
  }
}

/** Takes the reply over for an endless `text/event-stream` (headers set so far are kept). */
export function startSse(reply: FastifyReply): FastifyReply['raw'] {
  reply.hijack();
  const headers = { ...reply.getHeaders() } as Record<string, string>;
  reply.raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  reply.raw.socket?.setNoDelay(true);
  reply.raw.flushHeaders();
  return reply.raw;
}

function positionOf(lastEventId: string | undefined, fromPosition: string | undefined): bigint {
  if (lastEventId !== undefined && lastEventId !== '') {
    const position = parsePosition(lastEventId);
    if (position === undefined) {
      throw new ValidationError(`Last-Event-ID must be a position: ${positionExpected}`, [
        { field: 'Last-Event-ID', message: `must be ${positionExpected}` },
      ]);
    }
    return position;
  }
  return fromPosition === undefined ? 0n : parsePosition(fromPosition)!;
}

function filterOf(query: EventStreamQuery, actor: AuthenticatedActor): EventsFilter {
  const types = query.types?.split(',');
  if (types && types.length > streamTypesMax) {
    throw new ValidationError(`types: at most ${streamTypesMax}`, [
      { field: 'types', message: `at most ${streamTypesMax} types` },
    ]);
  }
  return { ...(types ? { types } : {}), ...(actor.books ? { visibleBooks: actor.books } : {}) };
}
