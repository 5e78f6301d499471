import { Controller, Get, Inject, Param } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermission } from '../../access/access.module.js';
import { EventStore } from '../../event-sourcing/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { EVENT_STORE, READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { JournalReadModel } from '../../ledger/ledger-read.module.js';
import { EventResponse, toEventResponse } from '../../subscriptions/events-api.module.js';
import { EntryEventRelation, readEntryEvents } from '../application/entry-events.js';

const relations: EntryEventRelation[] = ['posting', 'reversal', 'approval'];

export class EntryEventResponse extends EventResponse {
  @ApiProperty({
    enum: relations,
    description:
      '`posting`: the event that posted the entry; `reversal`: the event that posted its reversal; `approval`: an event of the approval request that held and then posted it',
  })
  relation!: EntryEventRelation;
}

export class EntryEventsResponse {
  @ApiProperty({ description: 'The entry id' })
  entryId!: string;

  @ApiProperty({
    description: 'The events in position order, as GET /v1/events shows them (with their hashes)',
    type: [EntryEventResponse],
  })
  items!: EntryEventResponse[];
}

/** A journal entry's own events: the log behind one entry, for the console's drill-down. */
@ApiTags('ledger')
@Controller('v1/books/:book/journal-entries/:id/events')
export class EntryEventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly journal: JournalReadModel,
  ) {}

  @Get()
  @RequirePermission('events:read')
  @ApiOperation({
    summary:
      "One journal entry's events: its posting, its reversal's posting, its approval's events",
    description:
      'The events GET /v1/events would show for this entry, each with its `relation`. A key restricted to books reaches only its books. ' +
      'The approval is found in the audit trail: after a write, pass `consistentWith` to see it.',
  })
  @ApiParam({ name: 'book', description: 'Book id', example: 'acme-gmbh' })
  @ApiParam({ name: 'id', description: 'Entry id' })
  @ApiOkResponse({ type: EntryEventsResponse })
  @ApiNotFoundResponse({ description: 'unknown book or entry (problem+json `not-found`)' })
  async list(@Param('book') book: string, @Param('id') id: string): Promise<EntryEventsResponse> {
    const events = await readEntryEvents(this.store, this.journal, this.db, book, id);
    return {
      entryId: id,
      items: events.map(({ relation, event }) => ({ ...toEventResponse(event), relation })),
    };
  }
}
