import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { NotFoundError, newId } from '../../event-sourcing/index.js';
import { binaryBody, bodyBytesOf } from '../../infrastructure/http/http-platform.js';
import { documentBytesMax } from '../../documents/index.js';
import { IncomingInvoices, IncomingInvoiceView } from '../application/incoming-invoices.js';
import {
  BookIncomingInvoiceRequest,
  IncomingInvoiceDetailResponse,
  IncomingInvoiceListResponse,
  IncomingInvoiceResponse,
  IncomingInvoicesQuery,
} from './incoming-invoices.dto.js';

const bookParam = { name: 'book', description: 'Book id' };
const idParam = { name: 'id', description: 'Incoming invoice id' };

export function incomingInvoiceResponse(view: IncomingInvoiceView) {
  return {
    id: view.invoiceId,
    status: view.status,
    supplier: view.supplier,
    number: view.number,
    issueDate: view.issueDate,
    dueDate: view.dueDate,
    totals: view.totals,
    currency: view.currency,
    validation: view.validation,
    documentId: view.documentId,
    position: Number(view.position),
    sequence: view.sequence,
    syntax: view.syntax,
    container: view.container,
    sellerName: view.sellerName,
    ...(view.supplierNotes === undefined ? {} : { supplierNotes: view.supplierNotes }),
    ...(view.entryId === undefined ? {} : { entryId: view.entryId }),
  };
}

function detailResponse(view: IncomingInvoiceView) {
  return {
    ...incomingInvoiceResponse(view),
    typeCode: view.typeCode,
    ...(view.buyerReference === undefined ? {} : { buyerReference: view.buyerReference }),
    ...(view.paymentTerms === undefined ? {} : { paymentTerms: view.paymentTerms }),
    vatBreakdown: view.vatBreakdown,
    linesTotal: view.linesTotal,
    lines: view.lines.map((line) => ({
      ...line,
      text: `${line.quantity} × ${line.name} (${line.unitCode}) ${line.netAmount} ${view.currency}, ${line.vatCategory}${line.vatRate === undefined ? '' : ` ${line.vatRate} %`}`,
    })),
  };
}

function metadataOf(context: RequestContextValue) {
  return { actor: context.actor, correlationId: context.correlationId, commandId: newId() };
}

/** API.md "Incoming invoices (Eingangsrechnungen)". docs/payables.md. */
@ApiTags('payables')
@Controller('v1/books/:book/incoming-invoices')
export class IncomingInvoicesController {
  constructor(private readonly invoices: IncomingInvoices) {}

  @Post()
  @RouteConfig(binaryBody(documentBytesMax))
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Receive an XRechnung (UBL or CII, application/xml) or a ZUGFeRD / Factur-X PDF (application/pdf)',
  })
  @ApiParam(bookParam)
  @ApiConsumes('application/xml', 'application/pdf')
  @ApiBody({ description: 'The e-invoice file', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: IncomingInvoiceResponse })
  @ApiConflictResponse({
    description: 'the same file, or the same supplier and number (`conflict`)',
  })
  @ApiUnprocessableEntityResponse({
    description: 'not a readable e-invoice (`invalid-invoice`): nothing stored',
  })
  async receive(
    @Param('book') book: string,
    @Req() request: FastifyRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const { bytes, contentType } = bodyBytesOf(request);
    return incomingInvoiceResponse(
      await this.invoices.receive(book, bytes, contentType, metadataOf(context)),
    );
  }

  @Get()
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'Incoming invoices of the book, in the order received' })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: IncomingInvoiceListResponse })
  async list(@Param('book') book: string, @Query() query: IncomingInvoicesQuery) {
    const views = await this.invoices.list(book, query.status);
    return { items: views.map(incomingInvoiceResponse), nextCursor: null };
  }

  @Get(':id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One incoming invoice with its lines, VAT breakdown and rule results' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ type: IncomingInvoiceDetailResponse })
  @ApiNotFoundResponse({ description: 'no such incoming invoice (`not-found`)' })
  async get(@Param('book') book: string, @Param('id') id: string) {
    const view = await this.invoices.get(book, id);
    if (!view) throw new NotFoundError(`No incoming invoice ${id} in book ${book}`);
    return detailResponse(view);
  }

  @Post(':id/book')
  @HttpCode(201)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Book it: expense and input VAT to the payables control account with the supplier; 202 when an approval policy on incoming-invoice.book applies',
  })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiCreatedResponse({ type: IncomingInvoiceResponse })
  @ApiAcceptedResponse({
    description: '`{ id, status: "pending_approval", approvalId, position }`',
  })
  @ApiConflictResponse({ description: 'already booked (`conflict`)' })
  @ApiUnprocessableEntityResponse({
    description:
      '`business-rule` (lines do not add up, unknown tax code), `unknown-account`, `period-closed`',
  })
  async book(
    @Param('book') book: string,
    @Param('id') id: string,
    @Body() body: BookIncomingInvoiceRequest,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const outcome = await this.invoices.book(book, id, body.lines, metadataOf(context), {
      ...context.actor,
      roles: context.roles,
    });
    if (outcome.status === 'pending_approval') {
      void reply.status(202);
      return { ...outcome, position: Number(outcome.position) };
    }
    return { ...incomingInvoiceResponse(outcome.view), position: Number(outcome.position) };
  }
}
