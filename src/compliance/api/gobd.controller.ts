import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { bookParam } from '../../ledger/ledger.module.js';
import { RequirePermission } from '../../access/access.module.js';
import { GobdExportService } from '../application/gobd-export.service.js';

export class GobdExportQuery {
  @ApiPropertyOptional({ description: 'The fiscal year (the year it starts in)', example: '2026' })
  @IsOptional()
  @IsString()
  fiscalYear?: string;
}

/** GoBD Z3 (API.md "Compliance reports and exports"): the data set for the tax audit. */
@ApiTags('compliance')
@Controller('v1/books/:book')
export class GobdController {
  constructor(private readonly gobd: GobdExportService) {}

  @Get('exports/gobd')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary:
      'GoBD Z3 data set of a fiscal year: ZIP with index.xml (GDPdU Beschreibungsstandard), its DTD and one CSV per table',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'the ZIP (application/zip)' })
  @ApiBadRequestResponse({ description: 'fiscalYear missing or not a year (`validation`)' })
  @ApiNotFoundResponse({ description: 'no such book (`not-found`)' })
  async export(
    @Param('book') book: string,
    @Query() query: GobdExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const bookId = bookParam(book);
    const fiscalYear = /^\d{4}$/.test(query.fiscalYear ?? '') ? Number(query.fiscalYear) : NaN;
    const zip = await this.gobd.export(bookId, fiscalYear);
    void reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="GoBD-Z3_${bookId}_${fiscalYear}.zip"`);
    return zip;
  }
}
