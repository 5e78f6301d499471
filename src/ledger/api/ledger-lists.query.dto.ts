import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateBy,
  ValidationArguments,
} from 'class-validator';
import { PageQuery } from '../../infrastructure/http/page-query.dto.js';
import { isCalendarDate } from '../domain/calendar.js';
import { listLimitDefault, listLimitMax } from '../projections/ledger-page.js';

const accountCodePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const accountCodeLengthMax = 64;
const cursorLengthMax = 1000;
const knownAtPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is refused). */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => isCalendarDate(value),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} must be a calendar date YYYY-MM-DD`,
    },
  });
}

/** An ISO 8601 time with a zone (`Z` or `±hh:mm`), or a date (midnight UTC). */
export function IsKnownAtTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isKnownAtTime',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        knownAtPattern.test(value) &&
        Number.isFinite(Date.parse(value)) &&
        isCalendarDate(value.slice(0, 10)),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'value'} must be an ISO 8601 time with a zone, e.g. 2026-03-31T18:00:00Z`,
    },
  });
}

export class ListQuery extends PageQuery({
  limitDefault: listLimitDefault,
  limitMax: listLimitMax,
  cursorLengthMax,
}) {}

export class JournalEntriesQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'Only entries with a line on this account code',
    example: '1200',
  })
  @IsOptional()
  @IsString()
  @Length(1, accountCodeLengthMax)
  @Matches(accountCodePattern, { message: 'account must be an account code' })
  account?: string;

  @ApiPropertyOptional({
    description: 'Only entries with an effective date on or after this date (YYYY-MM-DD)',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    description: 'Only entries with an effective date on or before this date (YYYY-MM-DD)',
    example: '2026-03-31',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class BookResponse {
  @ApiProperty({ description: 'Book id (one legal entity)', example: 'acme-gmbh' })
  id!: string;

  @ApiProperty({ description: 'Name of the legal entity', example: 'ACME GmbH' })
  name!: string;

  @ApiProperty({ description: 'ISO 4217 currency of lines that name none', example: 'EUR' })
  baseCurrency!: string;

  @ApiProperty({ description: 'Month (1–12) the fiscal year starts in', example: 1 })
  fiscalYearStartMonth!: number;

  @ApiProperty({ description: 'When the book was opened (ISO 8601 UTC)' })
  openedAt!: string;

  @ApiProperty({ description: 'Log position of the BookOpened event', type: 'integer' })
  position!: number;
}

export class PeriodResponse {
  @ApiProperty({ description: 'Period YYYY-MM', example: '2026-01' })
  period!: string;

  @ApiProperty({
    description: 'closed: takes no postings; open: reopened after a close',
    enum: ['closed', 'open'],
  })
  status!: 'closed' | 'open';

  @ApiProperty({ description: 'When it was (last) closed' })
  closedAt!: string;

  @ApiProperty({ description: 'When it was reopened, if it was', nullable: true, type: String })
  reopenedAt!: string | null;

  @ApiProperty({ description: 'Why it was reopened', nullable: true, type: String })
  reopenReason!: string | null;
}

export class BookDetailResponse extends BookResponse {
  @ApiProperty({
    description: 'Periods that were ever closed, with their current status',
    type: [PeriodResponse],
  })
  periods!: PeriodResponse[];
}

export class BooksPageResponse {
  @ApiProperty({ type: [BookResponse], description: 'Books this key may read, by id' })
  items!: BookResponse[];

  @ApiProperty({
    description: 'Cursor of the next page, null on the last',
    nullable: true,
    type: String,
  })
  nextCursor!: string | null;
}

export class AccountResponse {
  @ApiProperty({ description: 'Account code', example: '1200' })
  code!: string;

  @ApiProperty({ description: 'Account name', example: 'Bank' })
  name!: string;

  @ApiProperty({
    description: 'Account type (tells the sign of `balance`)',
    enum: ['asset', 'liability', 'equity', 'revenue', 'expense'],
  })
  type!: string;

  @ApiProperty({
    description: 'The only currency it takes, or null for any',
    nullable: true,
    type: String,
  })
  currency!: string | null;

  @ApiProperty({ description: 'Parent account code', nullable: true, type: String })
  parent!: string | null;

  @ApiProperty({
    description: "A bank account's IBAN (electronic format), or null",
    nullable: true,
    type: String,
    example: 'DE02120300000000202051',
  })
  iban!: string | null;

  @ApiProperty({ description: 'A closed account takes no postings', enum: ['open', 'closed'] })
  status!: string;

  @ApiProperty({ description: 'When it was opened' })
  openedAt!: string;

  @ApiProperty({ description: 'When it was closed', nullable: true, type: String })
  closedAt!: string | null;
}

export class AccountsPageResponse {
  @ApiProperty({ type: [AccountResponse], description: 'Accounts by code' })
  items!: AccountResponse[];

  @ApiProperty({
    description: 'Cursor of the next page, null on the last',
    nullable: true,
    type: String,
  })
  nextCursor!: string | null;
}

export class EntryLineResponse {
  @ApiProperty({ description: 'Line number within the entry, from 0', type: 'integer' })
  lineNo!: number;

  @ApiProperty({ description: 'Account code', example: '6310' })
  account!: string;

  @ApiPropertyOptional({
    description: 'Debit amount (decimal string); exactly one of debit/credit',
    example: '1200.00',
  })
  debit?: string;

  @ApiPropertyOptional({
    description: 'Credit amount (decimal string); exactly one of debit/credit',
  })
  credit?: string;

  @ApiProperty({ description: 'ISO 4217 currency', example: 'EUR' })
  currency!: string;

  @ApiPropertyOptional({ description: 'Line memo' })
  memo?: string;

  @ApiPropertyOptional({
    description: 'Tax code the line is a base (or the tax) of',
    example: 'USt19',
  })
  taxCode?: string;

  @ApiPropertyOptional({ description: 'Party id (customer, supplier) of the line' })
  party?: string;
}

export class JournalEntryResponse {
  @ApiProperty({ description: 'Entry id' })
  id!: string;

  @ApiProperty({ description: 'Book id' })
  book!: string;

  @ApiProperty({
    description: 'Always posted (pending entries live in approvals)',
    enum: ['posted'],
  })
  status!: 'posted';

  @ApiProperty({ description: 'Accounting date YYYY-MM-DD', example: '2026-03-31' })
  effectiveDate!: string;

  @ApiProperty({ description: 'Description', example: 'Office rent March' })
  description!: string;

  @ApiProperty({
    description: 'External reference',
    nullable: true,
    type: String,
    example: 'INV-4711',
  })
  reference!: string | null;

  @ApiProperty({
    description: 'Lines; amounts as decimal strings',
    type: [EntryLineResponse],
    example: [
      { lineNo: 0, account: '6310', debit: '1200.00', currency: 'EUR', memo: 'March' },
      { lineNo: 1, account: '1200', credit: '1200.00', currency: 'EUR' },
    ],
  })
  lines!: EntryLineResponse[];

  @ApiProperty({
    description: 'Flat metadata',
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  metadata!: Record<string, unknown> | null;

  @ApiProperty({
    description:
      'Ids of the vault documents (Belege) the entry was booked from (GET …/documents/:id); empty for none',
    type: [String],
    example: ['sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
  })
  documents!: string[];

  @ApiProperty({ description: 'The entry this one reverses', nullable: true, type: String })
  reversalOf!: string | null;

  @ApiProperty({ description: 'The entry that reverses this one', nullable: true, type: String })
  reversedBy!: string | null;

  @ApiPropertyOptional({
    description: 'Only on an opening entry (Eröffnungsbuchung): the fiscal year it carries forward',
    example: 2026,
  })
  carryForwardOf?: number;

  @ApiProperty({ description: 'Log position of the JournalEntryPosted event', type: 'integer' })
  position!: number;

  @ApiProperty({ description: 'When it was recorded (ISO 8601 UTC)' })
  recordedAt!: string;
}

export class JournalEntriesPageResponse {
  @ApiProperty({
    type: [JournalEntryResponse],
    description: 'Entries by effective date, then log position',
  })
  items!: JournalEntryResponse[];

  @ApiProperty({
    description: 'Cursor of the next page, null on the last',
    nullable: true,
    type: String,
  })
  nextCursor!: string | null;
}
