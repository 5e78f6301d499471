import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { positionExpected, RecordedEvent } from '../../event-sourcing/index.js';
import { IsPosition, PageLimit, PositionCursor } from '../../infrastructure/http/page-query.dto.js';

export const eventsLimitDefault = 100;
export const eventsLimitMax = 1000;
export const eventTypesMax = 50;
const eventsPageLimits = { limitDefault: eventsLimitDefault, limitMax: eventsLimitMax };
const nameLengthMax = 200;
const typeListPattern = /^[^,\s]+(,[^,\s]+)*$/;

export class ListEventsQuery {
  @ApiPropertyOptional({
    description:
      'Exclusive: return the events AFTER this position (like SSE `Last-Event-ID`). 0 or absent: from the start of the log.',
    type: 'integer',
    minimum: 0,
    example: 0,
  })
  @IsOptional()
  @IsPosition(`fromPosition must be a log position: ${positionExpected}`)
  fromPosition?: string;

  @PositionCursor('The `nextCursor` of the previous page (instead of fromPosition)')
  cursor?: string;

  @PageLimit(eventsPageLimits)
  limit?: number;

  @ApiPropertyOptional({
    description: `Only these event types, comma-separated (at most ${eventTypesMax})`,
    example: 'JournalEntryPosted,JournalEntryReversed',
  })
  @IsOptional()
  @IsString()
  @Length(1, eventTypesMax * nameLengthMax)
  @Matches(typeListPattern, { message: 'types must be event type names separated by commas' })
  types?: string;

  @ApiPropertyOptional({ description: 'Only the events of this stream', example: 'book-acme-gmbh' })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  stream?: string;

  @ApiPropertyOptional({
    description: 'Only the events of this book (metadata.book)',
    example: 'acme-gmbh',
  })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  book?: string;

  @ApiPropertyOptional({
    description:
      "`kontor` (default): Kontor's event JSON; `cloudevents`: each item as a CloudEvents 1.0 structured JSON event",
    enum: ['kontor', 'cloudevents'],
  })
  @IsOptional()
  @IsIn(['kontor', 'cloudevents'])
  format?: 'kontor' | 'cloudevents';
}

export class ReadStreamQuery {
  @PositionCursor()
  cursor?: string;

  @PageLimit(eventsPageLimits)
  limit?: number;
}

export class EventActorResponse {
  @ApiProperty({ description: 'API key id, or "system"' })
  id!: string;

  @ApiProperty({ description: 'Name of the key holder' })
  name!: string;
}

export class EventMetadataResponse {
  @ApiProperty({ description: 'Who caused the event', type: EventActorResponse })
  actor!: EventActorResponse;

  @ApiProperty({ description: 'Id shared by everything one request caused' })
  correlationId!: string;

  @ApiPropertyOptional({ description: 'Id of the event or command that caused this one' })
  causationId?: string;

  @ApiPropertyOptional({ description: 'Id of the command that produced the event' })
  commandId?: string;

  @ApiPropertyOptional({ description: 'The book the event belongs to' })
  book?: string;
}

export class EventResponse {
  @ApiProperty({
    description: 'Global log position (from 1, gap-free, commit order)',
    type: 'integer',
    example: 42,
  })
  position!: number;

  @ApiProperty({ description: 'Unique id of the event (UUID)' })
  eventId!: string;

  @ApiProperty({ description: 'The stream the event belongs to', example: 'book-acme-gmbh' })
  streamId!: string;

  @ApiProperty({ description: 'Revision within its stream, from 0', type: 'integer' })
  revision!: number;

  @ApiProperty({
    description: 'Event type (a past-tense business fact)',
    example: 'JournalEntryPosted',
  })
  type!: string;

  @ApiProperty({
    description: 'Version of the shape of `data` for this type',
    type: 'integer',
    example: 1,
  })
  schemaVersion!: number;

  @ApiProperty({
    description: 'The event payload (amounts as strings of minor units)',
    type: 'object',
    additionalProperties: true,
  })
  data!: unknown;

  @ApiProperty({
    description: 'Actor, correlation and causation, book',
    type: EventMetadataResponse,
  })
  metadata!: EventMetadataResponse;

  @ApiProperty({
    description: 'When the store committed the event (ISO 8601 UTC)',
    example: '2026-03-31T09:15:00.000Z',
  })
  recordedAt!: string;
}

export class EventsPageResponse {
  @ApiProperty({ description: 'Events in position order', type: [EventResponse] })
  items!: EventResponse[];

  @ApiProperty({
    description:
      'Pass as `cursor` to continue after the last event examined; null when the end of the log was reached. A filtered page may hold fewer items than `limit`, even none, and still have a cursor.',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

export class StreamResponse {
  @ApiProperty({ description: 'The stream id' })
  streamId!: string;

  @ApiProperty({ description: 'Events of the stream in revision order', type: [EventResponse] })
  items!: EventResponse[];

  @ApiProperty({
    description: 'Pass as `cursor` for the next revisions; null at the end of the stream',
    type: String,
    nullable: true,
  })
  nextCursor!: string | null;
}

/** The public JSON of a recorded event (positions as numbers; the hashes stay with the audit API). */
export function toEventResponse(event: RecordedEvent): EventResponse {
  return {
    position: Number(event.position),
    eventId: event.eventId,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata as EventMetadataResponse,
    recordedAt: event.recordedAt,
  };
}
