import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermission } from '../../access/access.module.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { LedgerLookup } from '../../ledger/ledger.module.js';
import { AccountsReadModel } from '../../ledger/ledger-read.module.js';
import { listLimitDefault } from '../../ledger/ledger-read.module.js';
import { lateBookings } from '../application/late-bookings.query.js';
import { lateBookingDaysDefault } from '../domain/late-bookings.js';
import { LateBookingsQuery, LateBookingsResponse } from './late-bookings.dto.js';

/** GoBD timeliness (API.md "Compliance reports and exports"): honours `?consistentWith=`. */
@ApiTags('controls')
@Controller('v1/books')
export class LateBookingsController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly accounts: AccountsReadModel,
    private readonly ledger: LedgerLookup,
  ) {}

  @Get(':book/reports/late-bookings')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary:
      'Entries recorded more than `days` after their effective date, and cash entries not booked the same day',
    description:
      'GoBD Zeitgerechtheit. The delay is the number of days from the effective date to the UTC day the entry’s event was recorded. Cash accounts come from the chart’s cash role.',
  })
  @ApiParam({ name: 'book', description: 'Book id', example: 'acme-gmbh' })
  @ApiOkResponse({ type: LateBookingsResponse })
  @ApiNotFoundResponse({ description: 'unknown book (problem+json `not-found`)' })
  async lateBookings(
    @Param('book') book: string,
    @Query() query: LateBookingsQuery,
  ): Promise<LateBookingsResponse> {
    await this.accounts.requireBook(book);
    const cash = (await this.ledger.bookControlAccounts(book)).cash;
    const days = query.days ?? lateBookingDaysDefault;
    const cashAccounts = cash === undefined ? [] : [cash];
    const page = await lateBookings(this.db, this.accounts, book, {
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      days,
      cashAccounts,
      limit: query.limit ?? listLimitDefault,
    });
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      days,
      cashAccounts,
      items: page.items.map(({ cash: _cash, ...item }) => ({
        ...item,
        position: Number(item.position),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
