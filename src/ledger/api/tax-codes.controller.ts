import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { ValidationError, assert } from '../../event-sourcing/index.js';
import { RunBookCommand } from '../application/ledger-bus.commands.js';
import { LedgerLookup } from '../application/ledger-lookup.js';
import { findBookEvent } from '../domain/book.events.js';
import { isCalendarDate } from '../domain/calendar.js';
import { TaxCodeKind } from '../domain/tax-codes.js';
import { bookParam, metadataOf, requesterOf } from './ledger-commands.controller.js';
import {
  DefineTaxCodeRequest,
  TaxCodeDefinedResponse,
  TaxCodeResponse,
  TaxCodesQuery,
  taxCodeRows,
} from './tax-codes.dto.js';

/** A book's tax codes (API.md "Tax codes and charts of accounts"), read from the book's state. */
@ApiTags('ledger')
@Controller('v1/books')
export class TaxCodesController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly lookup: LedgerLookup,
  ) {}

  @Get(':book/tax-codes')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: "The book's tax codes, one row per rate period (current with every command decided)",
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: [TaxCodeResponse] })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  async list(@Param('book') book: string, @Query() query: TaxCodesQuery) {
    if (query.on !== undefined && !isCalendarDate(query.on))
      throw new ValidationError('Invalid query', [
        { field: 'on', message: 'must be a calendar date YYYY-MM-DD' },
      ]);
    const codes = await this.lookup.taxCodesOf(bookParam(book));
    return codes
      .sort((a, b) => a.code.localeCompare(b.code))
      .flatMap((code) => taxCodeRows(code, query.on));
  }

  @Post(':book/tax-codes')
  @RequirePermission('books:create')
  @ApiOperation({ summary: "Add a book's own tax code (admin)" })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiCreatedResponse({ type: TaxCodeDefinedResponse })
  @ApiBadRequestResponse({
    description: 'malformed code, rates or accounts (problem+json `validation`)',
  })
  @ApiConflictResponse({ description: 'the code exists in the book (problem+json `conflict`)' })
  @ApiUnprocessableEntityResponse({ description: 'an account does not exist (`unknown-account`)' })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  async define(
    @Param('book') book: string,
    @Body() body: DefineTaxCodeRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const { rates, kind, ...rest } = body;
    const command = {
      type: 'DefineTaxCode' as const,
      bookId: bookParam(book),
      taxCode: {
        ...rest,
        kind: kind as TaxCodeKind,
        rates: rates.map(({ validFrom, validTo, rate }) => ({
          validFrom,
          ...(validTo === undefined ? {} : { validTo }),
          ratePercent: rate,
        })),
      },
    };
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, metadataOf(context), requesterOf(context)),
    );
    assert(outcome.status === 'done', 'DefineTaxCode is never held back for approval');
    const defined = findBookEvent(outcome.result.events, 'TaxCodeDefined');
    assert(defined !== undefined, "DefineTaxCode's result holds its TaxCodeDefined");
    return {
      code: defined.data.code,
      rates: taxCodeRows(defined.data),
      position: outcome.result.position,
    };
  }
}
