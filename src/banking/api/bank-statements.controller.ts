import { Controller, Param, Post, Query, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import { formatAmount, newId } from '../../event-sourcing/index.js';
import { xmlLimits } from '../../einvoice/index.js';
import { binaryBody, bodyBytesOf } from '../../infrastructure/http/http-platform.js';
import { BankStatementsService, ImportedLine } from '../statements/bank-statements.service.js';

export class BankStatementQuery {
  @ApiPropertyOptional({ description: 'Ledger (bank) account of the statement', example: '1200' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  account?: string;
}

export class StatementLineResponse {
  @ApiProperty({ description: 'From 1, in file order' }) n!: number;
  @ApiProperty() date!: string;
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: ['credit', 'debit'] }) direction!: string;
  @ApiProperty({ description: 'Entry reference (NtryRef / AcctSvcrRef)' }) reference!: string;
  @ApiPropertyOptional() endToEndId?: string;
  @ApiPropertyOptional({ description: 'Ustrd' }) remittance?: string;
  @ApiProperty({ enum: ['matched', 'unmatched'] }) status!: string;
  @ApiPropertyOptional({ description: 'The open item (invoice id) the line paid' })
  matchedTo?: string;
  @ApiPropertyOptional({ enum: ['invoice-number', 'iban-amount'] }) rule?: string;
  @ApiPropertyOptional({ description: 'The payment posted for the line' }) payment?: string;
}

export class BankStatementResponse {
  @ApiProperty() id!: string;
  @ApiProperty() account!: string;
  @ApiProperty({ description: 'Booked lines read' }) entries!: number;
  @ApiProperty() matched!: number;
  @ApiProperty() unmatched!: number;
  @ApiProperty({ type: [StatementLineResponse] }) lines!: StatementLineResponse[];
  @ApiProperty({ description: 'Log position of the last payment posted (0: none)' })
  position!: number;
}

/** API.md "Payment runs and bank statements": camt.053 import. docs/banking.md. */
@ApiTags('banking')
@Controller('v1/books/:book/bank-statements')
export class BankStatementsController {
  constructor(private readonly statements: BankStatementsService) {}

  @Post()
  @RouteConfig(binaryBody(xmlLimits.xmlBytesMax))
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Import a camt.053.001.08 statement: match each booked line, post the matched payments',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiQuery({ name: 'account', required: false })
  @ApiConsumes('application/xml')
  @ApiBody({ description: 'The camt.053 file', schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: BankStatementResponse })
  @ApiUnprocessableEntityResponse({ description: 'unknown bank account (`business-rule`)' })
  async import(
    @Param('book') book: string,
    @Query() query: BankStatementQuery,
    @Req() request: FastifyRequest,
    @RequestContext() context: RequestContextValue,
  ): Promise<BankStatementResponse> {
    const { bytes } = bodyBytesOf(request);
    const imported = await this.statements.import(
      book,
      bytes,
      query.account,
      { actor: context.actor, correlationId: context.correlationId, commandId: newId() },
      { ...context.actor, roles: context.roles },
    );
    const lines = imported.lines.map(lineResponse);
    const matched = lines.filter((l) => l.status === 'matched').length;
    return {
      id: imported.id,
      account: imported.account,
      entries: lines.length,
      matched,
      unmatched: lines.length - matched,
      lines,
      position: Number(imported.position),
    };
  }
}

function lineResponse({ line, status, match, paymentId }: ImportedLine): StatementLineResponse {
  return {
    n: line.n,
    date: line.date,
    amount: formatAmount(line.amountMinor, line.currency),
    currency: line.currency,
    direction: line.direction,
    reference: line.entryReference,
    ...(line.endToEndId !== undefined ? { endToEndId: line.endToEndId } : {}),
    ...(line.remittance !== undefined ? { remittance: line.remittance } : {}),
    status,
    ...(match !== undefined ? { matchedTo: match.item.itemId, rule: match.rule } : {}),
    ...(paymentId !== undefined ? { payment: paymentId } : {}),
  };
}
