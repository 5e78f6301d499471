import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { NotFoundError, newId, ValidationError } from '../../event-sourcing/index.js';
import { xmlLimits } from '../../einvoice/index.js';
import { binaryBody, bodyBytesOf } from '../../infrastructure/http/http-platform.js';
import { BankStatementsReadModel } from '../projections/bank-statements.projection.js';
import { BankStatementLinesService } from '../statements/bank-statement-lines.service.js';
import { BankStatementsService } from '../statements/bank-statements.service.js';
import {
  AssignLineRequest,
  BankStatementImportResponse,
  BankStatementQuery,
  BankStatementResponse,
  BankStatementsPageResponse,
  LineAssignedResponse,
  LineUnassignedResponse,
  lineResponse,
  StatementLinesPageResponse,
  StatementLinesQuery,
  statementLinesPageMax,
  UnassignLineRequest,
} from './bank-statements.dto.js';

const statementParam = { name: 'id', description: 'Bank statement id (from the import)' };

/** API.md "Payment runs and bank statements": camt.053 import, the lines, assignment by hand. */
@ApiTags('banking')
@Controller('v1/books/:book/bank-statements')
export class BankStatementsController {
  constructor(
    private readonly statements: BankStatementsService,
    private readonly lines: BankStatementLinesService,
    private readonly list: BankStatementsReadModel,
  ) {}

  @Post()
  @RouteConfig(binaryBody(xmlLimits.xmlBytesMax))
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Import a camt.053.001.08 file: match each booked line, post the matched payments, keep the rest waiting',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiQuery({ name: 'account', required: false })
  @ApiConsumes('application/xml')
  @ApiBody({ description: 'The camt.053 file', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: BankStatementImportResponse })
  @ApiUnprocessableEntityResponse({
    description: 'no account for the statement’s IBAN, or ?account= disagrees (`business-rule`)',
  })
  async import(
    @Param('book') book: string,
    @Query() query: BankStatementQuery,
    @Req() request: FastifyRequest,
    @RequestContext() context: RequestContextValue,
  ): Promise<BankStatementImportResponse> {
    const { bytes } = bodyBytesOf(request);
    const imported = await this.statements.import(
      book,
      bytes,
      query.account,
      { actor: context.actor, correlationId: context.correlationId, commandId: newId() },
      { ...context.actor, roles: context.roles },
    );
    const statements = imported.statements.map((s) => ({
      id: s.id,
      account: s.account,
      statementId: s.statementId,
      entries: s.lines.length,
      matched: s.lines.filter((l) => l.status === 'matched').length,
      unmatched: s.lines.filter((l) => l.status === 'unmatched').length,
      assigned: s.lines.filter((l) => l.status === 'assigned').length,
    }));
    const first = statements[0]!;
    return {
      id: first.id,
      account: first.account,
      entries: statements.reduce((sum, s) => sum + s.entries, 0),
      matched: statements.reduce((sum, s) => sum + s.matched, 0),
      unmatched: statements.reduce((sum, s) => sum + s.unmatched, 0),
      assigned: statements.reduce((sum, s) => sum + s.assigned, 0),
      statements,
      lines: imported.statements.flatMap((s) => s.lines.map((l) => lineResponse(l, s.id))),
      position: Number(imported.position),
    };
  }

  @Get()
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The imported bank statements, latest first, with their counts' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: BankStatementsPageResponse })
  async listStatements(@Param('book') book: string): Promise<BankStatementsPageResponse> {
    return { items: await this.list.list(book), nextCursor: null };
  }

  @Get(':id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One bank statement with its counts (read from its stream)' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam(statementParam)
  @ApiOkResponse({ type: BankStatementResponse })
  @ApiNotFoundResponse({ description: 'no such statement in the book' })
  async getStatement(
    @Param('book') book: string,
    @Param('id') id: string,
  ): Promise<BankStatementResponse> {
    const state = await this.lines.statement(book, id);
    const lines = [...state.lines.values()];
    const count = (status: string) => lines.filter((l) => l.status === status).length;
    return {
      id,
      account: state.header!.account,
      statementId: state.header!.statementId,
      date: lines.reduce((last, l) => (l.data.date > last ? l.data.date : last), ''),
      entries: lines.length,
      matched: count('matched'),
      unmatched: count('unmatched'),
      assigned: count('assigned'),
    };
  }

  @Get(':id/lines')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The lines of a statement in file order, by status' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam(statementParam)
  @ApiOkResponse({ type: StatementLinesPageResponse })
  async statementLines(
    @Param('book') book: string,
    @Param('id') id: string,
    @Query() query: StatementLinesQuery,
  ): Promise<StatementLinesPageResponse> {
    const state = await this.lines.statement(book, id);
    const limit = Math.min(Number(query.limit ?? statementLinesPageMax), statementLinesPageMax);
    const after = Number(query.cursor ?? 0);
    const matching = [...state.lines.values()]
      .filter((l) => l.data.n > after && (query.status === undefined || l.status === query.status))
      .sort((a, b) => a.data.n - b.data.n);
    const page = matching.slice(0, Math.max(limit, 1));
    return {
      items: page.map((l) => lineResponse(l)),
      nextCursor: matching.length > page.length ? String(page[page.length - 1]!.data.n) : null,
    };
  }

  @Post(':id/lines/:n/assign')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Book a waiting line by hand: { invoice } posts the payment of that open item, { account } posts bank against the account',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam(statementParam)
  @ApiParam({ name: 'n', description: 'The line (from 1)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ type: LineAssignedResponse })
  @ApiAcceptedResponse({ description: 'the entry waits for approval (`approvalId`)' })
  @ApiNotFoundResponse({ description: 'no such statement or line' })
  @ApiConflictResponse({ description: 'the line is matched or assigned already' })
  async assign(
    @Param('book') book: string,
    @Param('id') id: string,
    @Param('n') n: string,
    @Body() body: AssignLineRequest,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LineAssignedResponse> {
    const line = lineParam(id, n);
    if ((body.invoice === undefined) === (body.account === undefined))
      throw new ValidationError('Give exactly one of "invoice" and "account"', [
        { field: 'invoice', message: 'the open item the line pays, or leave out and give account' },
      ]);
    const target =
      body.invoice !== undefined ? { invoice: body.invoice } : { account: body.account! };
    const { assignment, position } = await this.lines.assign(
      book,
      id,
      line,
      target,
      idempotencyKey,
      { actor: context.actor, correlationId: context.correlationId, commandId: newId() },
      { ...context.actor, roles: context.roles },
    );
    if (assignment.approvalId !== undefined) reply.status(202);
    return {
      statement: id,
      n: assignment.n,
      status: 'assigned',
      matchedTo: assignment.invoice ?? assignment.account!,
      ...(assignment.payment !== undefined ? { payment: assignment.payment } : {}),
      entryId: assignment.entryId,
      ...(assignment.approvalId !== undefined ? { approvalId: assignment.approvalId } : {}),
      position: Number(position),
    };
  }

  @Post(':id/lines/:n/unassign')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      "Undo a line's assignment: its entry is reversed (a payment's re-opens its open item), the line waits again",
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam(statementParam)
  @ApiParam({ name: 'n', description: 'The line (from 1)' })
  @ApiOkResponse({ type: LineUnassignedResponse })
  @ApiNotFoundResponse({ description: 'no such statement or line' })
  @ApiConflictResponse({
    description:
      'the line is not assigned by hand, or its entry still waits for approval (reject or cancel that instead)',
  })
  @ApiUnprocessableEntityResponse({ description: 'the entry’s period is closed (`period-closed`)' })
  async unassign(
    @Param('book') book: string,
    @Param('id') id: string,
    @Param('n') n: string,
    @Body() body: UnassignLineRequest,
    @RequestContext() context: RequestContextValue,
  ): Promise<LineUnassignedResponse> {
    const line = lineParam(id, n);
    const { reversalEntryId, position } = await this.lines.unassign(
      book,
      id,
      line,
      body.reason,
      { actor: context.actor, correlationId: context.correlationId, commandId: newId() },
      { ...context.actor, roles: context.roles },
    );
    return {
      statement: id,
      n: line,
      status: 'unmatched',
      reversalEntryId,
      position: Number(position),
    };
  }
}

/** A line number no statement can have is a 404 at once. */
function lineParam(id: string, n: string): number {
  if (!/^[1-9]\d{0,5}$/.test(n)) throw new NotFoundError(`Bank statement ${id} has no line ${n}`);
  return Number(n);
}
