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
    description:
      '`{ "items": [ { "type", "schemaVersion", "description", "cloudEventType", "schema" } ] }`',
  })
  list(): { items: readonly EventSchemaDocument[] } {
    return { items: this.catalog.list() };
  }
}
