import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiExtraModels,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  CurrentActor,
  RequirePermission,
  type AuthenticatedActor,
} from '../../access/access.module.js';
import {
  EventStore,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { toCloudEvent } from '../application/cloud-event.js';
import { eventMatches, EventsFilter, readEventsPage } from '../application/events-page.js';
import {
  eventsLimitDefault,
  CloudEventsPageResponse,
  EventsPageResponse,
  eventTypesMax,
  ListEventsQuery,
  ReadStreamQuery,
  StreamResponse,
  toEventResponse,
} from './events.dto.js';

@ApiTags('events')
@Controller('v1')
export class EventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('events')
  @RequirePermission('events:read')
  @ApiOperation({
    summary: 'The global event log in position order, for other systems',
    description:
      '`fromPosition` is exclusive: the page starts with the first event AFTER it, the same rule as ' +
      'SSE `Last-Event-ID`, so a consumer stores the last position it processed and asks for what follows. ' +
      'Positions are opaque (byte offsets with gaps on KurrentDB): give 0 or a position Kontor returned; ' +
      'another number may be refused with 400. ' +
      'Filters (types, stream, book) combine with AND; the log is still read in bounded batches, so continue ' +
      'with `nextCursor` until it is null.',
  })
  @ApiExtraModels(EventsPageResponse, CloudEventsPageResponse)
  @ApiOkResponse({
    description: 'Kontor events, or CloudEvents with `format=cloudevents`',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(EventsPageResponse) },
        { $ref: getSchemaPath(CloudEventsPageResponse) },
      ],
    },
  })
  async list(
    @Query() query: ListEventsQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<EventsPageResponse | CloudEventsPage> {
    if (query.fromPosition !== undefined && query.cursor !== undefined) {
      throw new ValidationError('give fromPosition or cursor, not both', [
        { field: 'cursor', message: 'not together with fromPosition' },
      ]);
    }
    const after = BigInt(query.cursor ?? query.fromPosition ?? '0');
    const page = await readEventsPage(
      this.store,
      after,
      query.limit ?? eventsLimitDefault,
      filterOf(query, actor),
    );
    const nextCursor = page.nextAfter === null ? null : page.nextAfter.toString();
    if (query.format === 'cloudevents') return { items: page.items.map(toCloudEvent), nextCursor };
    return { items: page.items.map(toEventResponse), nextCursor };
  }

  @Get('streams/:streamId')
  @RequirePermission('events:read')
  @ApiOperation({ summary: "One stream's events in revision order" })
  @ApiParam({
    name: 'streamId',
    description: 'The stream id, e.g. `book-acme-gmbh` or `approval_request-<id>`',
  })
  @ApiOkResponse({ type: StreamResponse })
  @ApiNotFoundResponse({ description: 'the stream has no events (problem+json `not-found`)' })
  async stream(
    @Param('streamId') streamId: string,
    @Query() query: ReadStreamQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<StreamResponse> {
    const fromRevision = query.cursor === undefined ? 0 : Number(query.cursor);
    const limit = query.limit ?? eventsLimitDefault;
    const events = await this.store.readStream(streamId, { fromRevision, limit: limit + 1 });
    const page = events.slice(0, limit);
    const visible = actor.books
      ? page.filter((event) => eventMatches(event, { visibleBooks: actor.books }))
      : page;
    if (fromRevision === 0 && visible.length === 0)
      throw new NotFoundError(`stream ${streamId} has no events`);
    const last = page[page.length - 1];
    return {
      streamId,
      items: visible.map(toEventResponse),
      nextCursor: events.length > limit && last ? String(last.revision + 1) : null,
    };
  }
}

interface CloudEventsPage {
  items: ReturnType<typeof toCloudEvent>[];
  nextCursor: string | null;
}

function filterOf(query: ListEventsQuery, actor: AuthenticatedActor): EventsFilter {
  const types = query.types?.split(',');
  if (types && types.length > eventTypesMax) {
    throw new ValidationError(`types: at most ${eventTypesMax}`, [
      { field: 'types', message: `at most ${eventTypesMax} types` },
    ]);
  }
  if (query.book !== undefined && actor.books && !actor.books.includes(query.book)) {
    throw new ForbiddenError(`this key may not read book ${query.book}`);
  }
  return {
    ...(types ? { types } : {}),
    ...(query.stream !== undefined ? { streamId: query.stream } : {}),
    ...(query.book !== undefined ? { book: query.book } : {}),
    ...(actor.books ? { visibleBooks: actor.books } : {}),
  };
}
