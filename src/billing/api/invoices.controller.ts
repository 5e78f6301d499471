import {
  Body,
  Controller,
  Delete,
  Get,
  Inject,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import {
  ConflictError,
  NotFoundError,
  deterministicId,
  newId,
} from '../../event-sourcing/index.js';
import { bookIdLengthMax, identifierProblem } from '../../ledger/index.js';
import { CreditNotes } from '../application/credit-notes.js';
import { InvoiceDrafts } from '../application/invoice-drafts.js';
import { InvoiceIssuing } from '../application/invoice-issuing.js';
import { RenderFormat, renderIssuedDocument } from '../application/render-issued.js';
import { CustomerSealing } from '../application/customer-sealing.js';
import type { InvoiceDraftInput } from '../domain/invoice-draft.js';
import {
  INVOICES_CAUGHT_UP,
  InvoicesCaughtUp,
  InvoicesReadModel,
} from '../projections/invoices.read-model.js';
import { draftResponse, invoiceResponse } from './invoice-responses.js';
import {
  CreditNoteRequest,
  InvoiceDraftRequest,
  InvoicesQueryRequest,
  XrechnungQueryRequest,
} from './invoices.request.dto.js';

const httpAccepted = 202;
const bookParam = { name: 'book', description: 'Book id' };
const idParam = { name: 'id', description: 'Invoice id' };
const idLengthMax = 128;

function metadataOf(context: RequestContextValue) {
  return { actor: context.actor, correlationId: context.correlationId };
}

function requesterOf(context: RequestContextValue) {
  return { ...context.actor, roles: context.roles };
}

/** An id no invoice can have is a 404 at once (no stream is read for it). */
function idParamOf(id: string): string {
  if (identifierProblem(id, idLengthMax) !== undefined) throw new NotFoundError(`No invoice ${id}`);
  return id;
}

function bookParamOf(book: string): string {
  if (identifierProblem(book, bookIdLengthMax) !== undefined)
    throw new NotFoundError(`Book ${book} not found`);
  return book;
}

/** The body as the domain checks it; an optional field sent as null counts as left out. */
function inputOf(body: InvoiceDraftRequest): InvoiceDraftInput {
  return JSON.parse(
    JSON.stringify(body, (_key, value: unknown) => (value === null ? undefined : value)),
  ) as InvoiceDraftInput;
}

/** Invoices out (API.md "Invoices (Ausgangsrechnungen, Abrechnungen)"). */
@ApiTags('billing')
@Controller('v1/books/:book/invoices')
export class InvoicesController {
  constructor(
    private readonly drafts: InvoiceDrafts,
    private readonly issuing: InvoiceIssuing,
    private readonly creditNotes: CreditNotes,
    private readonly invoices: InvoicesReadModel,
    @Inject(INVOICES_CAUGHT_UP) private readonly caughtUp: InvoicesCaughtUp,
    private readonly sealing: CustomerSealing,
  ) {}

  @Post()
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Create an invoice draft (totals per EN 16931)' })
  @ApiParam(bookParam)
  @ApiCreatedResponse({ description: 'the draft with its totals' })
  @ApiUnprocessableEntityResponse({
    description:
      'unknown customer or tax code, foreign currency, no delivery date (`business-rule`)',
  })
  async create(
    @Param('book') book: string,
    @Body() body: InvoiceDraftRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const id = newId();
    const answer = await this.drafts.create(bookParamOf(book), id, inputOf(body), {
      ...metadataOf(context),
      commandId: newId(),
    });
    if (answer.state.status === 'none') throw new NotFoundError(`No invoice ${id}`);
    const draft = await this.sealing.openDraft(book, answer.state.draft);
    return draftResponse(id, draft, answer.position);
  }

  @Put(':id')
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Replace a draft; 409 once issued (an issued invoice never changes)' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ description: 'the draft' })
  @ApiConflictResponse({ description: 'the invoice is issued (`conflict`)' })
  async replace(
    @Param('book') book: string,
    @Param('id') id: string,
    @Body() body: InvoiceDraftRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    await this.refuseIfIssued(bookParamOf(book), idParamOf(id));
    const answer = await this.drafts.replace(book, id, inputOf(body), {
      ...metadataOf(context),
      commandId: newId(),
    });
    if (answer.state.status === 'none') throw new NotFoundError(`No invoice ${id}`);
    const draft = await this.sealing.openDraft(book, answer.state.draft);
    return draftResponse(id, draft, answer.position);
  }

  @Delete(':id')
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Discard a draft; 409 once issued' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ description: '`{ id, status: "discarded", position }`' })
  @ApiConflictResponse({ description: 'the invoice is issued (`conflict`)' })
  async discard(
    @Param('book') book: string,
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
  ) {
    await this.refuseIfIssued(bookParamOf(book), idParamOf(id));
    const answer = await this.drafts.discard(book, id, {
      ...metadataOf(context),
      commandId: newId(),
    });
    return { id, status: 'discarded' as const, position: Number(answer.position ?? 0n) };
  }

  @Post(':id/issue')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Issue a draft: next gap-free number RE-<fiscal year>-NNNNN and its entry; 202 when an approval policy applies',
  })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiOkResponse({ description: '`{ id, number, status: "issued", entryId, dueDate, position }`' })
  @ApiAcceptedResponse({
    description: '`{ id, status: "pending_approval", approvalId, position }`',
  })
  @ApiConflictResponse({ description: 'already issued or discarded (`conflict`)' })
  @ApiUnprocessableEntityResponse({
    description: 'company settings incomplete, VAT ids missing, … (`business-rule`)',
  })
  async issue(
    @Param('book') book: string,
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await this.refuseIfIssued(bookParamOf(book), idParamOf(id));
    const outcome = await this.issuing.issue(book, id, metadataOf(context), requesterOf(context));
    if (outcome.status === 'pending_approval') {
      reply.status(httpAccepted);
      return { ...outcome, position: Number(outcome.position) };
    }
    return { ...outcome, position: Number(outcome.position) };
  }

  @Post(':id/credit-note')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Credit an issued invoice (type 381, GS-<fiscal year>); without lines the whole invoice, which is then cancelled',
  })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiCreatedResponse({
    description: '`{ id, number, status: "issued", entryId, invoiceId, cancelsInvoice, position }`',
  })
  @ApiAcceptedResponse({
    description: '`{ id, status: "pending_approval", approvalId, position }`',
  })
  @ApiConflictResponse({ description: 'the invoice is a draft or cancelled (`conflict`)' })
  async creditNote(
    @Param('book') book: string,
    @Param('id') id: string,
    @Body() body: CreditNoteRequest,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const creditNoteId = newId();
    const input = JSON.parse(JSON.stringify(body)) as CreditNoteRequest;
    const metadata = {
      ...metadataOf(context),
      commandId: deterministicId('kontor.billing.credit-note', book, creditNoteId),
    };
    const outcome = await this.creditNotes.issue(
      bookParamOf(book),
      idParamOf(id),
      creditNoteId,
      input,
      metadata,
      requesterOf(context),
    );
    if (outcome.status === 'pending_approval') reply.status(httpAccepted);
    return { ...outcome, position: Number(outcome.position) };
  }

  @Get()
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'Invoices of the book, oldest first, with status and open amount' })
  @ApiParam(bookParam)
  @ApiOkResponse({ description: '`{ items, nextCursor }`' })
  async list(@Param('book') book: string, @Query() query: InvoicesQueryRequest) {
    const page = await this.invoices.list(bookParamOf(book), query);
    return { items: page.items.map(invoiceResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One invoice with status, open amount, payments and credit notes' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiNotFoundResponse({ description: 'no such invoice (`not-found`)' })
  async get(@Param('book') book: string, @Param('id') id: string) {
    return invoiceResponse(await this.viewOf(book, id));
  }

  @Get(':id/xrechnung')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The issued invoice as XRechnung 3.0 (UBL or CII)' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiProduces('application/xml')
  @ApiOkResponse({ description: 'XRechnung XML' })
  @ApiConflictResponse({ description: 'a draft has no e-invoice yet (`conflict`)' })
  async xrechnung(
    @Param('book') book: string,
    @Param('id') id: string,
    @Query() query: XrechnungQueryRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.send(reply, book, id, { kind: 'xrechnung', syntax: query.syntax ?? 'ubl' });
  }

  @Get(':id/zugferd')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: 'The issued invoice as ZUGFeRD / Factur-X PDF (EN 16931, factur-x.xml embedded)',
  })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF' })
  async zugferd(@Param('book') book: string, @Param('id') id: string, @Res() reply: FastifyReply) {
    await this.send(reply, book, id, { kind: 'pdf' });
  }

  @Get(':id/pdf')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The same PDF as /zugferd' })
  @ApiParam(bookParam)
  @ApiParam(idParam)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'PDF' })
  async pdf(@Param('book') book: string, @Param('id') id: string, @Res() reply: FastifyReply) {
    await this.send(reply, book, id, { kind: 'pdf' });
  }

  private async viewOf(book: string, id: string) {
    const view = await this.invoices.get(bookParamOf(book), idParamOf(id));
    if (!view) throw new NotFoundError(`No invoice ${id} in book ${book}`);
    return view;
  }

  private async send(reply: FastifyReply, book: string, id: string, format: RenderFormat) {
    const view = await this.viewOf(book, id);
    if (!view.issued)
      throw new ConflictError(
        `Invoice ${id} is a draft: issue it first (POST …/invoices/${id}/issue)`,
      );
    const rendering = await renderIssuedDocument({ kind: 'invoice', ...view.issued }, format);
    await reply
      .header('content-type', rendering.contentType)
      .header('content-disposition', `inline; filename="${rendering.fileName}"`)
      .send(rendering.body);
  }

  /** An invoice issued through an approval has no InvoiceDraftIssued yet; the read model knows. */
  private async refuseIfIssued(book: string, id: string) {
    await this.caughtUp();
    const view = await this.invoices.get(book, id);
    if (view?.issued)
      throw new ConflictError(
        `Invoice ${id} is issued as ${view.issued.number}; an issued invoice never changes (issue a credit note instead)`,
      );
  }
}
