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
import { CommandMetadata, DomainError } from '../../event-sourcing/index.js';
import { domainProblem } from '../../infrastructure/http/problem-details.filter.js';
import { validatedAs } from '../../infrastructure/http/validation.js';
import { BookBatchOutcome, RunBookCommands } from '../application/ledger-bus.commands.js';
import { PostJournalEntry } from '../domain/book.commands.js';
import { findBookEvent } from '../domain/book.events.js';
import {
  BatchEntryResultResponse,
  BatchJournalEntryRequest,
  JournalEntriesBatchResponse,
  PostJournalEntriesBatchRequest,
} from './journal-batch.dto.js';
import { postJournalEntryCommand } from './journal-entry-command.js';
import { bookParam, metadataOf, requesterOf } from './ledger-commands.controller.js';

type BatchResult = Omit<BatchEntryResultResponse, 'position'> & { position?: bigint };

/** An entry that was built into a command, or its validation problem. */
type Prepared = { command: PostJournalEntry; metadata: CommandMetadata } | { error: DomainError };

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
    const bookId = bookParam(book);
    const prepared = await Promise.all(
      body.entries.map((entry) => prepare(this.vault, bookId, entry, context)),
    );
    const runnable = prepared.flatMap((item) => ('error' in item ? [] : [item]));
    const outcomes =
      runnable.length === 0
        ? []
        : await this.commandBus.execute(
            new RunBookCommands(bookId, runnable, requesterOf(context)),
          );
    let next = 0;
    const results = prepared.map((item, index): BatchResult => {
      if ('error' in item) return refused(index, item.error);
      return resultOf(index, item.command, outcomes[next++]!);
    });
    const position = results.reduce(
      (highest, result) =>
        result.position !== undefined && result.position > highest ? result.position : highest,
      0n,
    );
    return { results, position };
  }
}

async function prepare(
  vault: DocumentVault,
  bookId: string,
  entry: unknown,
  context: RequestContextValue,
): Promise<Prepared> {
  try {
    const { idempotencyKey, ...body } = await validatedAs(BatchJournalEntryRequest, entry);
    const { command, commandId } = postJournalEntryCommand(bookId, body, idempotencyKey);
    await vault.requireKnown(bookId, body.documents ?? []);
    return { command, metadata: { ...metadataOf(context), commandId } };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}

function resultOf(
  index: number,
  command: PostJournalEntry,
  outcome: BookBatchOutcome,
): BatchResult {
  switch (outcome.status) {
    case 'done': {
      const posted = findBookEvent(outcome.result.events, 'JournalEntryPosted');
      return {
        index,
        status: 201,
        id: posted?.data.entryId ?? command.entryId,
        position: outcome.result.position,
      };
    }
    case 'pending_approval':
      return {
        index,
        status: 202,
        id: command.entryId,
        approvalId: outcome.approvalId,
        position: outcome.position,
      };
    case 'refused':
      // A store that failed is not the entry's fault: the request fails as a whole.
      if (!(outcome.error instanceof DomainError)) throw outcome.error;
      return refused(index, outcome.error);
  }
}

function refused(index: number, error: DomainError): BatchResult {
  const problem = domainProblem(error);
  return { index, status: problem.status, problem: { ...problem } };
}
