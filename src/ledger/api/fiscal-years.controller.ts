import { Body, Controller, Headers, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { assert, NotFoundError } from '../../event-sourcing/index.js';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import { RunBookCommand } from '../application/ledger-bus.commands.js';
import { accountCodeLengthMax } from '../domain/book.rules.js';
import { fiscalYearMax, fiscalYearMin } from '../domain/carry-forward.decider.js';
import { entryIds } from './journal-entry-command.js';
import { bookParam, metadataOf, postedEntry, requesterOf } from './ledger-commands.controller.js';
import { PostedJournalEntryResponse } from './ledger-commands.response.dto.js';

export class CarryForwardRequest {
  @ApiPropertyOptional({
    description:
      "Equity account that takes the year's result; default the chart's Gewinnvortrag (SKR03 0860, SKR04 2970)",
    example: '0860',
  })
  @IsOptional()
  @IsString()
  @Length(1, accountCodeLengthMax)
  resultAccount?: string;
}

/** Year-end: the carry-forward (Saldenvortrag) of a closed fiscal year, docs/adr/0024. */
@ApiTags('ledger')
@Controller('v1/books')
export class FiscalYearsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':book/fiscal-years/:year/carry-forward')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Carry a closed fiscal year forward: the opening entry (Eröffnungsbuchung) dated the first day of the next year, with the balance-sheet balances and the result on the result account',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({
    name: 'year',
    description: 'The fiscal year (the calendar year it starts in)',
    example: '2026',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'As for posting: a retry with the same key answers with the same opening entry',
  })
  @ApiCreatedResponse({ type: PostedJournalEntryResponse })
  @ApiConflictResponse({
    description:
      'the year is already carried forward, not closed, has nothing to carry, or the opening date is locked (problem+json `conflict`)',
  })
  @ApiUnprocessableEntityResponse({
    description: 'the result account is missing, unknown or no equity account',
  })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  async carryForward(
    @Param('book') book: string,
    @Param('year') year: string,
    @Body() body: CarryForwardRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
  ) {
    const bookId = bookParam(book);
    const fiscalYear = /^\d{4}$/.test(year) ? Number(year) : NaN;
    if (!(fiscalYear >= fiscalYearMin && fiscalYear <= fiscalYearMax))
      throw new NotFoundError(
        `No fiscal year ${year}: name it by the year it starts in, ${fiscalYearMin}–${fiscalYearMax} (e.g. /fiscal-years/2026/carry-forward)`,
      );
    const ids = entryIds(bookId, idempotencyKey);
    const command = {
      type: 'CarryForwardFiscalYear' as const,
      bookId,
      fiscalYear,
      entryId: ids.entryId,
      ...(body.resultAccount === undefined ? {} : { resultAccount: body.resultAccount }),
      ...idempotencyOf(idempotencyKey, 'carry-forward', { fiscalYear, ...body }),
    };
    const metadata = { ...metadataOf(context), commandId: ids.commandId };
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, metadata, requesterOf(context)),
    );
    assert(outcome.status === 'done', 'a carry-forward is never held back for approval');
    return postedEntry(outcome.result);
  }
}
