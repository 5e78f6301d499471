import { Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { bookParam } from '../../ledger/ledger.module.js';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { newId } from '../../event-sourcing/index.js';
import { DatevExportService, requireDates } from '../application/datev-export.service.js';
import { datevRanges } from '../domain/datev-settings.js';

export class DatevSettingsRequest {
  @ApiProperty({
    description: 'Beraternummer',
    example: 1234567,
    minimum: datevRanges.consultantNumber.min,
    maximum: datevRanges.consultantNumber.max,
  })
  @IsInt()
  consultantNumber!: number;

  @ApiProperty({
    description: 'Mandantennummer',
    example: 12345,
    minimum: datevRanges.clientNumber.min,
    maximum: datevRanges.clientNumber.max,
  })
  @IsInt()
  clientNumber!: number;

  @ApiProperty({
    description: 'Sachkontenlänge',
    example: 4,
    minimum: datevRanges.accountLength.min,
    maximum: datevRanges.accountLength.max,
  })
  @IsInt()
  accountLength!: number;
}

export class DatevSettingsResponse extends DatevSettingsRequest {
  @ApiPropertyOptional({ description: 'Log position of the change (absent: nothing changed)' })
  position?: number;
}

export class DatevExportQuery {
  @ApiPropertyOptional({ description: 'First effective date (bookings)', example: '2026-01-01' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'Last effective date (bookings)', example: '2026-01-31' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ enum: ['bookings', 'parties'], default: 'bookings' })
  @IsOptional()
  @IsIn(['bookings', 'parties'])
  kind?: 'bookings' | 'parties';
}

/** DATEV (API.md "Compliance reports and exports"): the book's DATEV numbers and the EXTF export. */
@ApiTags('compliance')
@Controller('v1/books/:book')
export class DatevController {
  constructor(private readonly datev: DatevExportService) {}

  @Put('settings/datev')
  @RequirePermission('settings:write')
  @ApiOperation({
    summary: 'Set the book’s DATEV consultant and client numbers and account length',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: DatevSettingsResponse })
  @ApiBadRequestResponse({ description: 'a number out of its DATEV range (`validation`)' })
  @ApiNotFoundResponse({ description: 'no such book (`not-found`)' })
  async putSettings(
    @Param('book') book: string,
    @Body() body: DatevSettingsRequest,
    @RequestContext() context: RequestContextValue,
  ): Promise<DatevSettingsResponse> {
    const settings = {
      bookId: bookParam(book),
      consultantNumber: body.consultantNumber,
      clientNumber: body.clientNumber,
      accountLength: body.accountLength,
    };
    const position = await this.datev.changeSettings(settings, {
      actor: context.actor,
      correlationId: context.correlationId,
      commandId: newId(),
    });
    const { bookId: _bookId, ...rest } = settings;
    return { ...rest, ...(position === undefined ? {} : { position: Number(position) }) };
  }

  @Get('settings/datev')
  @RequirePermission('settings:read')
  @ApiOperation({ summary: 'The book’s DATEV settings' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: DatevSettingsRequest })
  @ApiNotFoundResponse({ description: 'no such book, or no DATEV settings yet (`not-found`)' })
  async getSettings(@Param('book') book: string) {
    const settings = await this.datev.settings(bookParam(book));
    if (settings === undefined) return {};
    const { bookId: _bookId, ...rest } = settings;
    return rest;
  }

  @Get('exports/datev')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary:
      'DATEV-Format EXTF 700: Buchungsstapel (kind=bookings, from..to within one fiscal year) or Debitoren/Kreditoren (kind=parties); Windows-1252',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'the EXTF file (text/csv; charset=windows-1252)' })
  @ApiBadRequestResponse({
    description: 'dates missing or the range crosses a fiscal year (`validation`)',
  })
  @ApiUnprocessableEntityResponse({ description: 'no DATEV settings (`business-rule`)' })
  @ApiNotFoundResponse({ description: 'no such book (`not-found`)' })
  async export(
    @Param('book') book: string,
    @Query() query: DatevExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const bookId = bookParam(book);
    const kind = query.kind ?? 'bookings';
    let file: Buffer;
    let name: string;
    if (kind === 'parties') {
      file = await this.datev.partiesFile(bookId);
      name = `EXTF_Debitoren_Kreditoren_${bookId}.csv`;
    } else {
      const { from, to } = requireDates(query.from, query.to);
      file = await this.datev.bookings(bookId, from, to);
      name = `EXTF_Buchungsstapel_${bookId}_${from}_${to}.csv`;
    }
    void reply
      .header('content-type', 'text/csv; charset=windows-1252')
      .header('content-disposition', `attachment; filename="${name}"`);
    return file;
  }
}
