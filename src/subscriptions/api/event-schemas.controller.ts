import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../access/access.module.js';
import { EventCatalog, EventSchemaDocument } from '../application/event-catalog.js';

@ApiTags('events')
@Controller('v1/events')
export class EventSchemasController {
  private readonly catalog = new EventCatalog();

  @Get('schemas')
  @RequirePermission('events:read')
  @ApiOperation({
    summary:
      'The event catalog: a JSON Schema (draft-07) of `data` per event type and schema version',
  })
  @ApiOkResponse({
    description: 'Every event type and schema version',
    schema: {
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type', 'schemaVersion', 'description', 'cloudEventType', 'schema'],
            properties: {
              type: { type: 'string', example: 'JournalEntryPosted' },
              schemaVersion: { type: 'integer', example: 1 },
              description: { type: 'string' },
              cloudEventType: { type: 'string', example: 'kontor.JournalEntryPosted.v1' },
              schema: {
                type: 'object',
                additionalProperties: true,
                description: 'JSON Schema (draft-07) of `data`',
              },
            },
          },
        },
      },
    },
  })
  list(): { items: readonly EventSchemaDocument[] } {
    return { items: this.catalog.list() };
  }
}
