import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  CurrentActor,
  RequirePermission,
  type AuthenticatedActor,
} from '../../access/access.module.js';
import {
  EventStore,
  formatAmount,
  parsePosition,
  positionExpected,
  ValidationError,
} from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { listLimitDefault } from '../projections/ledger-page.js';
import { AccountsReadModel } from '../projections/accounts.read-model.js';
import { BalancesReadModel } from '../projections/balances.read-model.js';
import { JournalReadModel } from '../projections/journal.read-model.js';
import { RegisterReadModel } from '../projections/register.read-model.js';
import { KnownFilter, LedgerReports } from '../projections/ledger-reports.js';
import {
  AccountResponse,
  AccountsPageResponse,
  BookDetailResponse,
  BooksPageResponse,
  JournalEntriesPageResponse,
  JournalEntriesQuery,
  JournalEntryResponse,
  ListQuery,
} from './ledger-lists.query.dto.js';
import {
  AccountBalanceResponse,
  BalanceQuery,
  BalanceSheetQuery,
  BalanceSheetResponse,
  IncomeStatementResponse,
  KnownQuery,
  PeriodRangeQuery,
  RegisterQuery,
  RegisterResponse,
  TrialBalanceResponse,
} from './ledger-reports.query.dto.js';
import { knownEcho, sectionResponse, sideOf, toEntryResponse } from './ledger-query-responses.js';

const bookParam = { name: 'book', description: 'Book id', example: 'acme-gmbh' };
const codeParam = { name: 'code', description: 'Account code', example: '1200' };
const notFound = { description: 'unknown book, account or entry (problem+json `not-found`)' };

/** The ledger's read endpoints over the read models (all honour `?consistentWith=`). */
@ApiTags('ledger')
@Controller('v1/books')
export class LedgerQueriesController {
  constructor(
    private readonly accounts: AccountsReadModel,
    private readonly journal: JournalReadModel,
    private readonly registers: RegisterReadModel,
    private readonly balances: BalancesReadModel,
    private readonly reports: LedgerReports,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  @RequirePermission('books:read')
  @ApiOperation({ summary: 'Books this key may read' })
  @ApiOkResponse({ type: BooksPageResponse })
  async listBooks(
    @Query() query: ListQuery,
    @CurrentActor() actor: AuthenticatedActor,
  ): Promise<BooksPageResponse> {
    const page = await this.accounts.listBooks({
      limit: query.limit ?? listLimitDefault,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      ...(actor.books ? { visibleBooks: actor.books } : {}),
    });
    return {
      items: page.items.map((book) => ({ ...book, position: Number(book.position) })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':book')
  @RequirePermission('books:read')
  @ApiOperation({ summary: 'One book with its closed (and reopened) periods' })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: BookDetailResponse })
  @ApiNotFoundResponse(notFound)
  async getBook(@Param('book') book: string): Promise<BookDetailResponse> {
    const view = await this.accounts.getBook(book);
    return { ...view, position: Number(view.position) };
  }

  @Get(':book/accounts')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'The chart of accounts, by code' })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: AccountsPageResponse })
  @ApiNotFoundResponse(notFound)
  async listAccounts(
    @Param('book') book: string,
    @Query() query: ListQuery,
  ): Promise<AccountsPageResponse> {
    return this.accounts.listAccounts(book, {
      limit: query.limit ?? listLimitDefault,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
  }

  @Get(':book/accounts/:code')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One account' })
  @ApiParam(bookParam)
  @ApiParam(codeParam)
  @ApiOkResponse({ type: AccountResponse })
  @ApiNotFoundResponse(notFound)
  getAccount(@Param('book') book: string, @Param('code') code: string): Promise<AccountResponse> {
    return this.accounts.getAccount(book, code);
  }

  @Get(':book/accounts/:code/balance')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: 'Balance of one account per currency, as of a date, as known at a time (bitemporal)',
    description:
      '`balance` is debit − credit, so credit-normal accounts (liabilities, equity, revenue) show negative.',
  })
  @ApiParam(bookParam)
  @ApiParam(codeParam)
  @ApiOkResponse({ type: AccountBalanceResponse })
  @ApiNotFoundResponse(notFound)
  async balance(
    @Param('book') book: string,
    @Param('code') code: string,
    @Query() query: BalanceQuery,
  ): Promise<AccountBalanceResponse> {
    await this.accounts.getAccount(book, code);
    const known = await this.knownFilter(query);
    const sums = await this.balances.sums(book, {
      account: code,
      ...(query.asOf ? { asOf: query.asOf } : {}),
      ...known,
    });
    return {
      account: code,
      asOf: query.asOf ?? null,
      ...knownEcho(known),
      balances: sums.map((row) => ({
        currency: row.currency,
        debit: formatAmount(row.debitMinor, row.currency),
        credit: formatAmount(row.creditMinor, row.currency),
        balance: formatAmount(row.debitMinor - row.creditMinor, row.currency),
      })),
    };
  }

  @Get(':book/accounts/:code/ledger')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: "An account's register: its lines with a running balance per currency" })
  @ApiParam(bookParam)
  @ApiParam(codeParam)
  @ApiOkResponse({ type: RegisterResponse })
  @ApiNotFoundResponse(notFound)
  async register(
    @Param('book') book: string,
    @Param('code') code: string,
    @Query() query: RegisterQuery,
  ): Promise<RegisterResponse> {
    checkRange(query.from, query.to);
    const { knownAtPosition } = await this.knownFilter({
      ...(query.knownAtPosition !== undefined ? { knownAtPosition: query.knownAtPosition } : {}),
    });
    const page = await this.registers.register(book, code, {
      limit: query.limit ?? listLimitDefault,
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(knownAtPosition !== undefined ? { knownAtPosition } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
    return {
      account: code,
      knownAtPosition: knownAtPosition === undefined ? null : Number(knownAtPosition),
      openingBalances: [...page.openingBalances].map(([currency, balanceMinor]) => ({
        currency,
        balance: formatAmount(balanceMinor, currency),
      })),
      items: page.items.map((line) => ({
        entryId: line.entryId,
        lineNo: line.lineNo,
        effectiveDate: line.effectiveDate,
        description: line.description,
        reference: line.reference,
        currency: line.currency,
        ...sideOf(line),
        ...(line.memo !== null ? { memo: line.memo } : {}),
        balance: formatAmount(line.balanceMinor, line.currency),
        position: Number(line.position),
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':book/journal-entries')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: 'Journal entries by effective date, optionally for one account and a date range',
  })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: JournalEntriesPageResponse })
  @ApiNotFoundResponse(notFound)
  async listEntries(
    @Param('book') book: string,
    @Query() query: JournalEntriesQuery,
  ): Promise<JournalEntriesPageResponse> {
    checkRange(query.from, query.to);
    const page = await this.journal.listEntries(book, {
      limit: query.limit ?? listLimitDefault,
      ...(query.account !== undefined ? { account: query.account } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
    return { items: page.items.map(toEntryResponse), nextCursor: page.nextCursor };
  }

  @Get(':book/journal-entries/:id')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'One journal entry with its lines and reversal links' })
  @ApiParam(bookParam)
  @ApiParam({ name: 'id', description: 'Entry id' })
  @ApiOkResponse({ type: JournalEntryResponse })
  @ApiNotFoundResponse(notFound)
  async getEntry(
    @Param('book') book: string,
    @Param('id') id: string,
  ): Promise<JournalEntryResponse> {
    return toEntryResponse(await this.journal.getEntry(book, id));
  }

  @Get(':book/trial-balance')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'Trial balance per currency, as of a date, as known at a time' })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: TrialBalanceResponse })
  @ApiNotFoundResponse(notFound)
  async trialBalance(
    @Param('book') book: string,
    @Query() query: BalanceQuery,
  ): Promise<TrialBalanceResponse> {
    const known = await this.knownFilter(query);
    const currencies = await this.reports.trialBalance(book, {
      ...(query.asOf ? { asOf: query.asOf } : {}),
      ...known,
    });
    return {
      asOf: query.asOf ?? null,
      ...knownEcho(known),
      currencies: currencies.map(({ currency, lines, totals }) => ({
        currency,
        lines: lines.map((line) => ({
          account: line.account,
          name: line.name,
          type: line.type,
          debit: formatAmount(line.debitMinor, currency),
          credit: formatAmount(line.creditMinor, currency),
          balance: formatAmount(line.balanceMinor, currency),
        })),
        totals: {
          debit: formatAmount(totals.debitMinor, currency),
          credit: formatAmount(totals.creditMinor, currency),
        },
      })),
    };
  }

  @Get(':book/balance-sheet')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary: 'Balance sheet per currency: assets = liabilities + equity + unclosed result',
  })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: BalanceSheetResponse })
  @ApiNotFoundResponse(notFound)
  async balanceSheet(
    @Param('book') book: string,
    @Query() query: BalanceSheetQuery,
  ): Promise<BalanceSheetResponse> {
    const known = await this.knownFilter(query);
    const currencies = await this.reports.balanceSheet(book, query.asOf, known);
    return {
      asOf: query.asOf ?? null,
      ...knownEcho(known),
      balanced: currencies.every((currency) => currency.balanced),
      currencies: currencies.map((sheet) => ({
        currency: sheet.currency,
        assets: sectionResponse(sheet.assets, sheet.currency),
        liabilities: sectionResponse(sheet.liabilities, sheet.currency),
        equity: sectionResponse(sheet.equity, sheet.currency),
        result: formatAmount(sheet.resultMinor, sheet.currency),
        liabilitiesAndEquity: formatAmount(sheet.liabilitiesAndEquityMinor, sheet.currency),
        balanced: sheet.balanced,
      })),
    };
  }

  @Get(':book/income-statement')
  @RequirePermission('ledger:read')
  @ApiOperation({ summary: 'Income statement per currency for a range of effective dates' })
  @ApiParam(bookParam)
  @ApiOkResponse({ type: IncomeStatementResponse })
  @ApiNotFoundResponse(notFound)
  async incomeStatement(
    @Param('book') book: string,
    @Query() query: PeriodRangeQuery,
  ): Promise<IncomeStatementResponse> {
    checkRange(query.from, query.to);
    const known = await this.knownFilter(query);
    const currencies = await this.reports.incomeStatement(
      book,
      {
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
      },
      known,
    );
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      ...knownEcho(known),
      currencies: currencies.map((statement) => ({
        currency: statement.currency,
        revenue: sectionResponse(statement.revenue, statement.currency),
        expenses: sectionResponse(statement.expenses, statement.currency),
        netIncome: formatAmount(statement.netIncomeMinor, statement.currency),
      })),
    };
  }

  /**
   * The "as known" axis of a report: `knownAt` normalized, or `knownAtPosition` checked against
   * the log's head and waited for (the read model must hold every line up to it; ADR 0021).
   */
  private async knownFilter(query: KnownQuery): Promise<KnownFilter> {
    if (query.knownAtPosition === undefined) {
      const knownAt = normalizeTime(query.knownAt);
      return knownAt ? { knownAt } : {};
    }
    if (query.knownAt !== undefined)
      throw new ValidationError('give knownAt (a time) or knownAtPosition, not both', [
        { field: 'knownAtPosition', message: 'not together with knownAt' },
      ]);
    const position = parsePosition(query.knownAtPosition);
    if (position === undefined)
      throw new ValidationError(`knownAtPosition must be a log position: ${positionExpected}`, [
        { field: 'knownAtPosition', message: positionExpected },
      ]);
    const head = await this.store.headPosition();
    if (position > head)
      throw new ValidationError(
        `knownAtPosition ${position} is beyond the log's head (${head}): the books have not stood there yet; use a position from 0 to ${head} (GET /v1/audit/digest gives the head)`,
        [{ field: 'knownAtPosition', message: `at most the head, ${head}` }],
      );
    await this.projections.waitForAll(position);
    return { knownAtPosition: position };
  }
}

/** `knownAt` compared as stored recording times: ISO 8601 UTC with milliseconds. */
function normalizeTime(time: string | undefined): string | undefined {
  return time === undefined ? undefined : new Date(time).toISOString();
}

function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError('from must not be after to', [
      { field: 'from', message: 'must not be after to' },
    ]);
  }
}
