import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequirePermission } from '../../access/access.module.js';
import { NotFoundError } from '../../event-sourcing/index.js';
import { bookIdLengthMax, identifierProblem } from '../../ledger/index.js';
import { RenderFormat, renderIssuedDocument } from '../application/render-issued.js';
import { InvoicesReadModel } from '../projections/invoices.read-model.js';
import { XrechnungQueryRequest } from './invoices.request.dto.js';

const idLengthMax = 128;

/** A credit note's e-invoice renderings (XRechnung 381, Factur-X), from its CreditNoteIssued. */
@ApiTags('billing')
@Controller('v1/books/:book/credit-notes')
export class CreditNotesController {
  constructor(private readonly invoices: InvoicesReadModel) {}

  @Get(':id/xrechnung')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The credit note as XRechnung 3.0 (UBL CreditNote or CII 381)' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Credit note id' })
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'XRechnung XML' })
  @ApiNotFoundResponse({ description: 'no such credit note (`not-found`)' })
  async xrechnung(
    @Param('book') book: string,
    @Param('id') id: string,
    @Query() query: XrechnungQueryRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.send(reply, book, id, { kind: 'xrechnung', syntax: query.syntax ?? 'ubl' });
  }

  @Get(':id/pdf')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The credit note as ZUGFeRD / Factur-X PDF' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Credit note id' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF' })
  @ApiNotFoundResponse({ description: 'no such credit note (`not-found`)' })
  async pdf(@Param('book') book: string, @Param('id') id: string, @Res() reply: FastifyReply) {
    await this.send(reply, book, id, { kind: 'pdf' });
  }

  private async send(reply: FastifyReply, book: string, id: string, format: RenderFormat) {
    const known =
      identifierProblem(book, bookIdLengthMax) === undefined &&
      identifierProblem(id, idLengthMax) === undefined;
    const creditNote = known ? await this.invoices.creditNote(book, id) : undefined;
    if (!creditNote) throw new NotFoundError(`No credit note ${id} in book ${book}`);
    const rendering = await renderIssuedDocument({ kind: 'credit-note', ...creditNote }, format);
    await reply
      .header('content-type', rendering.contentType)
      .header('content-disposition', `inline; filename="${rendering.fileName}"`)
      .send(rendering.body);
  }
}
