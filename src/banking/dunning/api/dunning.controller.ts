import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  RequestContext,
  RequestContextValue,
  RequirePermission,
} from '../../../access/access.module.js';
import {
  CommandMetadata,
  formatAmount,
  newId,
  parseAmount,
} from '../../../event-sourcing/index.js';
import { AccountsReadModel } from '../../../ledger/ledger-read.module.js';
import { DunningService } from '../application/dunning.service.js';
import { baseRatesDefault, dunningSettingsDefault } from '../domain/dunning.js';
import { DunningNoticeData } from '../domain/dunning.events.js';
import { DunningSettingsData } from '../domain/dunning-settings.js';
import {
  DunningRunResponse,
  DunningRunsResponse,
  DunningSettingsRequest,
  DunningSettingsResponse,
  ProposeDunningRunRequest,
} from './dunning.dto.js';

/** API.md "Payments, open items, dunning": dunning runs and the book's dunning settings. */
@ApiTags('dunning')
@Controller('v1/books/:book')
export class DunningController {
  constructor(
    private readonly dunning: DunningService,
    private readonly accounts: AccountsReadModel,
  ) {}

  @Post('dunning-runs')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Propose a dunning run: per overdue customer a notice (level, fee, §288 BGB interest)',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiCreatedResponse({ type: DunningRunResponse })
  async propose(
    @Param('book') book: string,
    @Body() body: ProposeDunningRunRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const { run, position } = await this.dunning.propose(
      book,
      newId(),
      body.asOf,
      metadataOf(context),
    );
    return {
      id: run.runId,
      status: 'proposed',
      asOf: run.asOf,
      notices: run.notices.map(noticeResponse),
      position,
    };
  }

  @Post('dunning-runs/:id/confirm')
  @HttpCode(200)
  @RequirePermission('ledger:write')
  @ApiOperation({ summary: 'Confirm a run: records its notices and posts fees and interest' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Run id' })
  @ApiOkResponse({ type: DunningRunResponse })
  @ApiConflictResponse({ description: 'the run is confirmed already (problem+json `conflict`)' })
  async confirm(
    @Param('book') book: string,
    @Param('id') id: string,
    @RequestContext() context: RequestContextValue,
  ) {
    const { run, entryId, position } = await this.dunning.confirm(book, id, metadataOf(context), {
      ...context.actor,
      roles: context.roles,
    });
    return {
      id: run.runId,
      status: 'confirmed',
      asOf: run.asOf,
      notices: run.notices.map(noticeResponse),
      entryId,
      position,
    };
  }

  @Get('dunning-runs')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The book’s dunning runs, by date' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: DunningRunsResponse })
  async list(@Param('book') book: string) {
    const runs = await this.dunning.list(book);
    return {
      items: runs.map((run) => ({
        id: run.runId,
        status: run.status,
        asOf: run.asOf,
        notices: run.notices.map(noticeResponse),
        ...(run.entryId ? { entryId: run.entryId } : {}),
      })),
      nextCursor: null,
    };
  }

  @Get('dunning-runs/:id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One dunning run' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiParam({ name: 'id', description: 'Run id' })
  @ApiOkResponse({ type: DunningRunResponse })
  async get(@Param('book') book: string, @Param('id') id: string) {
    const run = await this.dunning.get(book, id);
    return {
      id: run.runId,
      status: run.status,
      asOf: run.asOf,
      notices: run.notices.map(noticeResponse),
      ...(run.entryId ? { entryId: run.entryId } : {}),
    };
  }

  @Put('settings/dunning')
  @RequirePermission('ledger:write')
  @ApiOperation({
    summary: 'Set the book’s dunning settings (fees per level, base rates with dates, interval)',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: DunningSettingsResponse })
  async putSettings(
    @Param('book') book: string,
    @Body() body: DunningSettingsRequest,
    @RequestContext() context: RequestContextValue,
  ) {
    const baseCurrency = await this.dunning.baseCurrency(book);
    const settings: DunningSettingsData = {
      bookId: book,
      feesMinor: body.fees.map((fee, index) =>
        parseAmount(fee, baseCurrency, `fees[${index}]`).toString(),
      ),
      baseRates: (body.baseRates ?? []).map((rate) => ({
        validFrom: rate.validFrom,
        ratePercent: rate.rate,
      })),
      intervalDays: body.intervalDays ?? dunningSettingsDefault.intervalDays,
      graceDays: body.graceDays ?? dunningSettingsDefault.graceDays,
      ...(body.receivablesAccount ? { receivablesAccount: body.receivablesAccount } : {}),
      ...(body.feesAccount ? { feesAccount: body.feesAccount } : {}),
      ...(body.interestAccount ? { interestAccount: body.interestAccount } : {}),
    };
    const position = await this.dunning.changeSettings(book, settings, metadataOf(context));
    return {
      ...settingsResponse(settings, baseCurrency),
      ...(position !== undefined ? { position } : {}),
    };
  }

  @Get('settings/dunning')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The book’s dunning settings (the defaults when none were set)' })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: DunningSettingsResponse })
  async getSettings(@Param('book') book: string) {
    const { baseCurrency } = await this.accounts.getBook(book);
    const settings = (await this.dunning.settings(book)) ?? {
      bookId: book,
      feesMinor: dunningSettingsDefault.feesMinor.map(String),
      baseRates: [],
      intervalDays: dunningSettingsDefault.intervalDays,
      graceDays: dunningSettingsDefault.graceDays,
    };
    return settingsResponse(settings, baseCurrency);
  }
}

function metadataOf(context: RequestContextValue): CommandMetadata {
  return { actor: context.actor, correlationId: context.correlationId, commandId: newId() };
}

function settingsResponse(settings: DunningSettingsData, currency: string) {
  const rates = settings.baseRates.length > 0 ? settings.baseRates : baseRatesDefault;
  return {
    fees: settings.feesMinor.map((fee) => formatAmount(BigInt(fee), currency)),
    baseRates: rates.map((rate) => ({ validFrom: rate.validFrom, rate: rate.ratePercent })),
    intervalDays: settings.intervalDays,
    graceDays: settings.graceDays,
    ...(settings.receivablesAccount ? { receivablesAccount: settings.receivablesAccount } : {}),
    ...(settings.feesAccount ? { feesAccount: settings.feesAccount } : {}),
    ...(settings.interestAccount ? { interestAccount: settings.interestAccount } : {}),
  };
}

function noticeResponse(notice: DunningNoticeData) {
  const money = (minor: string) => formatAmount(BigInt(minor), notice.currency);
  return {
    party: notice.partyId,
    level: notice.level,
    currency: notice.currency,
    openAmount: money(notice.openMinor),
    fee: money(notice.feeMinor),
    interest: money(notice.interestMinor),
    interestPoints: notice.interestPoints,
    items: notice.items.map((item) => ({
      invoice: item.invoiceId,
      ...(item.number !== undefined ? { number: item.number } : {}),
      dueDate: item.dueDate,
      openAmount: money(item.openMinor),
      daysOverdue: item.daysOverdue,
      interest: money(item.interestMinor),
    })),
  };
}
