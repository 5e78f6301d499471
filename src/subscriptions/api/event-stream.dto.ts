import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { positionExpected } from '../../event-sourcing/index.js';
import { IsPosition } from '../../infrastructure/http/page-query.dto.js';

export const streamTypesMax = 50;
const typeListPattern = /^[^,\s]+(,[^,\s]+)*$/;

export class EventStreamQuery {
  @ApiPropertyOptional({
    description:
      'Exclusive: stream the events AFTER this position. `Last-Event-ID` takes precedence.',
    example: 0,
  })
  @IsOptional()
  @IsPosition(`fromPosition must be a log position: ${positionExpected}`)
  fromPosition?: string;

  @ApiPropertyOptional({
    description: `Only these event types, comma-separated (at most ${streamTypesMax})`,
  })
  @IsOptional()
  @IsString()
  @Length(1, streamTypesMax * 200)
  @Matches(typeListPattern, { message: 'types must be event type names separated by commas' })
  types?: string;

  @ApiPropertyOptional({
    description:
      '`kontor` (default): the event JSON of GET /v1/events; `cloudevents`: CloudEvents 1.0 JSON',
    enum: ['kontor', 'cloudevents'],
  })
  @IsOptional()
  @IsIn(['kontor', 'cloudevents'])
  format?: 'kontor' | 'cloudevents';

  @ApiPropertyOptional({
    description:
      'The API key, for browsers whose EventSource cannot send headers. Prefer the Authorization header: a token in a URL can end up in proxy logs (Kontor redacts it in its own).',
  })
  @IsOptional()
  @IsString()
  access_token?: string;
}
