import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Res,
} from '@nestjs/common';
import { DOCUMENT_VAULT, DocumentVault } from '../../documents/documents.module.js';
import { Clock } from '../../event-sourcing/index.js';
import { CLOCK } from '../../infrastructure/tokens.js';
import { calendarDayOf } from '../domain/calendar.js';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import { entryIds, postJournalEntryCommand } from './journal-entry-command.js';
import type { FastifyReply } from 'fastify';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../access/access.module.js';
import {
  CommandMetadata,
  NotFoundError,
  assert,
  newId,
  normalizeIban,
} from '../../event-sourcing/index.js';
import { BookCommandOutcome, RunBookCommand } from '../application/ledger-bus.commands.js';
import { GateRequester } from '../application/ledger-command-gate.js';
import { LedgerCommandResult } from '../application/ledger-commands.js';
import { BookCommand } from '../domain/book.commands.js';
import { BookEvent, findBookEvent } from '../domain/book.events.js';
import { bookIdLengthMax, identifierProblem } from '../domain/book.rules.js';
import {
  ChangeAccountIbanRequest,
  OpenAccountRequest,
  OpenBookRequest,
  PostJournalEntryRequest,
  ReopenPeriodRequest,
  ReverseJournalEntryRequest,
} from './ledger-commands.request.dto.js';
import {
  AccountClosedResponse,
  AccountIbanChangedResponse,
  AccountOpenedResponse,
  BookCreatedResponse,
  PendingApprovalResponse,
  PendingJournalEntryResponse,
  PeriodClosedResponse,
  PeriodReopenedResponse,
  PostedJournalEntryResponse,
  journalEntryResponse,
} from './ledger-commands.response.dto.js';

const idempotencyKeyHeader = 'idempotency-key';
const httpAccepted = 202;

/** The ledger's write endpoints (API.md "Books and accounts", "Journal entries", "Periods"). */
@ApiTags('ledger')
@Controller('v1/books')
export class LedgerCommandsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DOCUMENT_VAULT) private readonly vault: DocumentVault,
  ) {}

  @Post()
  @RequirePermission('books:create')
  @ApiOperation({ summary: 'Open a book (one legal entity, one consistency boundary)' })
  @ApiCreatedResponse({ type: BookCreatedResponse })
  @ApiConflictResponse({ description: 'a book with this id exists (problem+json `conflict`)' })
  async openBook(@Body() body: OpenBookRequest, @RequestContext() context: RequestContextValue) {
    const command = {
      type: 'OpenBook' as const,
      bookId: body.id,
      name: body.name,
      baseCurrency: body.baseCurrency,
      ...(body.fiscalYearStartMonth === undefined
        ? {}
        : { fiscalYearStartMonth: body.fiscalYearStartMonth }),
      ...(body.chart === undefined ? {} : { chart: body.chart }),
    };
    const result = await this.run(command, metadataOf(context), context);
    const { data } = eventOf(result, 'BookOpened');
    return {
      id: data.bookId,
      name: data.name,
      baseCurrency: data.baseCurrency,
      fiscalYearStartMonth: data.fiscalYearStartMonth,
      ...(data.chart === undefined
        ? {}
        : { chart: data.chart.id, chartVersion: data.chart.version }),
      position: result.position,
    };
  }

  @Post(':book/accounts')
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Open an account' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiCreatedResponse({ type: AccountOpenedResponse })
  @ApiConflictResponse({ description: 'the code is taken (problem+json `conflict`)' })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  async openAccount(
    @Param('book') book: string,
    @Body() body: OpenAccountRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const command = {
      type: 'OpenAccount' as const,
      bookId: bookParam(book),
      code: body.code,
      name: body.name,
      accountType: body.type,
      ...(body.currency === undefined ? {} : { currency: body.currency }),
      ...(body.parent === undefined ? {} : { parent: body.parent }),
      ...(body.iban === undefined ? {} : { iban: body.iban }),
    };
    const result = await this.run(command, metadataOf(context), context);
    const { data } = eventOf(result, 'AccountOpened');
    return { ...data, status: 'open' as const, position: result.position };
  }

  @Patch(':book/accounts/:code')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary:
      'Give an asset account its IBAN, another one, or none (null): bank statements find it by it',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'code', description: 'Account code' })
  @ApiOkResponse({ type: AccountIbanChangedResponse })
  @ApiConflictResponse({
    description: 'another account has the IBAN, or the account is closed (problem+json `conflict`)',
  })
  @ApiNotFoundResponse({ description: 'no such book or account (problem+json `not-found`)' })
  async changeAccountIban(
    @Param('book') book: string,
    @Param('code') code: string,
    @Body() body: ChangeAccountIbanRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const command = {
      type: 'ChangeAccountIban' as const,
      bookId: bookParam(book),
      code,
      iban: body.iban,
    };
    const result = await this.run(command, metadataOf(context), context);
    const changed = findBookEvent(result.events, 'AccountIbanChanged');
    // Nothing appended: the account has the IBAN asked for already.
    const iban = changed ? changed.data.iban : body.iban && normalizeIban(body.iban);
    return { code, iban, position: result.position };
  }

  @Post(':book/accounts/:code/close')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Close an account (its balance must be zero); 202 when an approval policy applies',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'code', description: 'Account code' })
  @ApiOkResponse({ type: AccountClosedResponse })
  @ApiAcceptedResponse({ type: PendingApprovalResponse })
  @ApiNotFoundResponse({ description: 'no such book or account (problem+json `not-found`)' })
  async closeAccount(
    @Param('book') book: string,
    @Param('code') code: string,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const command = { type: 'CloseAccount' as const, bookId: bookParam(book), code };
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, metadataOf(context), requesterOf(context)),
    );
    if (outcome.status === 'pending_approval') return pending(reply, outcome);
    return { code, status: 'closed' as const, position: outcome.result.position };
  }

  @Post(':book/journal-entries')
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Post a journal entry; 202 when an approval policy applies' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Same key and same body again: the original response, nothing posted twice; same key, other body: 422 `idempotency-mismatch`',
  })
  @ApiCreatedResponse({ type: PostedJournalEntryResponse })
  @ApiAcceptedResponse({ type: PendingJournalEntryResponse })
  @ApiUnprocessableEntityResponse({
    description:
      '`unbalanced-entry`, `unknown-account`, `account-closed`, `period-closed`, `idempotency-mismatch`, `business-rule` (e.g. a tax code not defined in the book or not valid on the effective date)',
  })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  async postJournalEntry(
    @Param('book') book: string,
    @Body() body: PostJournalEntryRequest,
    @Headers(idempotencyKeyHeader) idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { command, commandId } = postJournalEntryCommand(bookParam(book), body, idempotencyKey);
    const metadata = { ...metadataOf(context), commandId };
    await this.vault.requireKnown(command.bookId, body.documents ?? []);
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, metadata, requesterOf(context)),
    );
    if (outcome.status === 'pending_approval')
      return { id: command.entryId, ...pending(reply, outcome) };
    return postedEntry(outcome.result);
  }

  @Post(':book/journal-entries/:id/reverse')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Reverse an entry: a new entry with every line swapped, linked both ways',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Id of the entry to reverse' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'As for posting: a retry with the same key and body answers with the original reversal',
  })
  @ApiCreatedResponse({ type: PostedJournalEntryResponse })
  @ApiConflictResponse({ description: 'the entry is already reversed (problem+json `conflict`)' })
  @ApiNotFoundResponse({ description: 'no such book or entry (problem+json `not-found`)' })
  async reverseJournalEntry(
    @Param('book') book: string,
    @Param('id') entryId: string,
    @Body() body: ReverseJournalEntryRequest,
    @Headers(idempotencyKeyHeader) idempotencyKey: string | undefined,
    @RequestContext() context: RequestContextValue,
  ) {
    const bookId = bookParam(book);
    const ids = entryIds(bookId, idempotencyKey);
    const command = {
      type: 'ReverseJournalEntry' as const,
      bookId,
      entryId,
      newEntryId: ids.entryId,
      reason: body.reason,
      ...(body.effectiveDate === undefined ? {} : { effectiveDate: body.effectiveDate }),
      ...idempotencyOf(idempotencyKey, 'reverse-journal-entry', { entryId, ...body }),
    };
    const metadata = { ...metadataOf(context), commandId: ids.commandId };
    return postedEntry(await this.run(command, metadata, context));
  }

  @Post(':book/periods/:period/close')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Close a period (YYYY-MM): postings dated in it are refused' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'period', description: 'YYYY-MM' })
  @ApiOkResponse({ type: PeriodClosedResponse })
  @ApiConflictResponse({ description: 'the period is already closed (problem+json `conflict`)' })
  @ApiUnprocessableEntityResponse({
    description:
      'the period is not YYYY-MM or lies after today’s month (problem+json `validation`)',
  })
  async closePeriod(
    @Param('book') book: string,
    @Param('period') period: string,
    @RequestContext() context: RequestContextValue,
  ) {
    const command = {
      type: 'ClosePeriod' as const,
      bookId: bookParam(book),
      period,
      today: calendarDayOf(this.clock.now()),
    };
    const result = await this.run(command, metadataOf(context), context);
    return { period, status: 'closed' as const, position: result.position };
  }

  @Post(':book/periods/:period/reopen')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Reopen a closed period; 202 when an approval policy applies' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'period', description: 'YYYY-MM' })
  @ApiOkResponse({ type: PeriodReopenedResponse })
  @ApiAcceptedResponse({ type: PendingApprovalResponse })
  @ApiConflictResponse({
    description:
      'the period is not closed, or a later period is closed and must be reopened first (problem+json `conflict`)',
  })
  async reopenPeriod(
    @Param('book') book: string,
    @Param('period') period: string,
    @Body() body: ReopenPeriodRequest,
    @RequestContext() context: RequestContextValue,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const command = {
      type: 'ReopenPeriod' as const,
      bookId: bookParam(book),
      period,
      reason: body.reason,
    };
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, metadataOf(context), requesterOf(context)),
    );
    if (outcome.status === 'pending_approval') return pending(reply, outcome);
    return {
      period,
      status: 'open' as const,
      reason: body.reason,
      position: outcome.result.position,
    };
  }

  /** Runs a command the approval gate never holds back: its outcome is always done. */
  private async run(
    command: BookCommand,
    metadata: CommandMetadata,
    context: RequestContextValue,
  ): Promise<LedgerCommandResult> {
    const outcome = await this.commandBus.execute(
      new RunBookCommand(command, metadata, requesterOf(context)),
    );
    assert(outcome.status === 'done', `${command.type} is never held back for approval`);
    return outcome.result;
  }
}

/** A book id no book can have is a 404 at once (no worker is made for it). */
export function bookParam(book: string): string {
  if (identifierProblem(book, bookIdLengthMax) !== undefined)
    throw new NotFoundError(`Book ${book} not found`);
  return book;
}

export function metadataOf(
  context: Pick<RequestContextValue, 'actor' | 'correlationId'>,
): CommandMetadata {
  return { actor: context.actor, correlationId: context.correlationId, commandId: newId() };
}

export function requesterOf(context: Pick<RequestContextValue, 'actor' | 'roles'>): GateRequester {
  return { ...context.actor, roles: context.roles };
}

function eventOf<Type extends BookEvent['type']>(
  result: LedgerCommandResult,
  type: Type,
): Extract<BookEvent, { type: Type }> {
  const event = findBookEvent(result.events, type);
  assert(event !== undefined, `the command's result holds no ${type}`);
  return event;
}

export function postedEntry(result: LedgerCommandResult) {
  const event = findBookEvent(result.events, 'JournalEntryPosted');
  assert(event !== undefined, "a post's result holds its JournalEntryPosted");
  return journalEntryResponse(event.data, event.position);
}

export function pending(
  reply: FastifyReply,
  outcome: Extract<BookCommandOutcome, { status: 'pending_approval' }>,
) {
  void reply.status(httpAccepted);
  return { status: outcome.status, approvalId: outcome.approvalId, position: outcome.position };
}
