import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { DOCUMENT_VAULT, DocumentVault } from '../../documents/documents.module.js';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import {
  JournalEntriesBatchResponse,
  PostJournalEntriesBatchRequest,
} from './journal-batch.dto.js';
import { postJournalEntriesBatch } from './journal-batch.js';
import { bookParam } from './ledger-commands.controller.js';

/** API.md "Many entries at once": many journal entries, each decided on its own, one append. */
@ApiTags('ledger')
@Controller('v1/books')
export class JournalBatchController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(DOCUMENT_VAULT) private readonly vault: DocumentVault,
  ) {}

  @Post(':book/journal-entries/batch')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Post up to 1,000 journal entries: each validated, gated and decided on its own (the single route’s answers, per entry), the valid ones appended together',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: JournalEntriesBatchResponse })
  @ApiNotFoundResponse({ description: 'a book id no book can have (problem+json `not-found`)' })
  async postJournalEntries(
    @Param('book') book: string,
    @Body() body: PostJournalEntriesBatchRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    return postJournalEntriesBatch(
      this.commandBus,
      bookParam(book),
      body.entries,
      context,
      (bookId, ids) => this.vault.requireKnown(bookId, ids),
    );
  }
}
