import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsCalendarDate, ListQuery } from '../../ledger/ledger-read.module.js';
import { lateBookingDaysDefault, lateBookingDaysMax } from '../domain/late-bookings.js';

export class LateBookingsQuery extends ListQuery {
  @ApiPropertyOptional({ description: 'First effective date (inclusive)', example: '2026-01-01' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last effective date (inclusive)', example: '2026-12-31' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({
    description: 'An entry recorded more than this many days after its effective date is late',
    default: lateBookingDaysDefault,
    minimum: 0,
    maximum: lateBookingDaysMax,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number' })
  @Min(0, { message: 'days must be 0 or more' })
  @Max(lateBookingDaysMax, { message: `days must be at most ${lateBookingDaysMax}` })
  days?: number;
}

export class LateBookingResponse {
  @ApiProperty({ description: 'Journal entry id' })
  entryId!: string;

  @ApiProperty({ description: 'Effective date (Buchungsdatum)', example: '2026-03-02' })
  effectiveDate!: string;

  @ApiProperty({ description: 'When the entry’s event was recorded (ISO 8601 UTC)' })
  recordedAt!: string;

  @ApiProperty({ description: 'The UTC day it was recorded', example: '2026-03-20' })
  recordedDate!: string;

  @ApiProperty({
    description: 'Days from the effective date to the recording day (negative: booked ahead)',
    type: 'integer',
  })
  delayDays!: number;

  @ApiProperty({
    description:
      'late: recorded more than `days` after its effective date; cash-not-same-day: a line on a cash account and not recorded on its effective date',
    enum: ['late', 'cash-not-same-day'],
    isArray: true,
  })
  reasons!: string[];

  @ApiProperty()
  description!: string;

  @ApiProperty({ nullable: true, type: String })
  reference!: string | null;

  @ApiProperty({ description: 'The entry it reverses', nullable: true, type: String })
  reversalOf!: string | null;

  @ApiProperty({ description: 'Log position of the entry', type: 'integer' })
  position!: number;
}

export class LateBookingsResponse {
  @ApiProperty({ nullable: true, type: String })
  from!: string | null;

  @ApiProperty({ nullable: true, type: String })
  to!: string | null;

  @ApiProperty({ type: 'integer' })
  days!: number;

  @ApiProperty({
    description: 'The cash accounts (the chart’s cash role, e.g. SKR03 1000, SKR04 1600)',
    type: [String],
  })
  cashAccounts!: string[];

  @ApiProperty({ type: [LateBookingResponse], description: 'In effective date order' })
  items!: LateBookingResponse[];

  @ApiProperty({ description: 'Pass as `cursor` for the next page', nullable: true, type: String })
  nextCursor!: string | null;
}
