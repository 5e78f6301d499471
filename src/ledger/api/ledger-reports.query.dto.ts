import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { positionExpected } from '../../event-sourcing/index.js';
import { IsCalendarDate, IsKnownAtTime, ListQuery } from './ledger-lists.query.dto.js';

const asOfDescription =
  'Effective date up to which lines count (YYYY-MM-DD, inclusive); absent: every date';
const knownAtDescription =
  'Count only lines recorded at or before this time (ISO 8601 with zone): the books as they were known then. Absent: as known now';

const knownAtPositionDescription =
  'Count only the lines of events at or before this log position (an integer, at most the head): the books exactly as they stood after that event (ADR 0021). Not together with knownAt. Absent: as known now';

// The bounds a report was asked for, echoed in its answer.
const EchoedAsOf = () =>
  ApiProperty({
    description: 'The asOf asked for, or null for every date',
    nullable: true,
    type: String,
  });
const EchoedKnownAt = () =>
  ApiProperty({
    description: 'The knownAt asked for (normalized to UTC), or null for as known now',
    nullable: true,
    type: String,
  });
const EchoedKnownAtPosition = () =>
  ApiProperty({
    description: 'The knownAtPosition asked for, or null',
    nullable: true,
    type: 'integer',
  });

/** As known at a recording time or at a log position: the bitemporal "known" axis of a report. */
export class KnownQuery {
  @ApiPropertyOptional({ description: knownAtDescription, example: '2026-04-05T18:00:00Z' })
  @IsOptional()
  @IsKnownAtTime()
  knownAt?: string;

  @KnownAtPositionProperty()
  knownAtPosition?: string;
}

function KnownAtPositionProperty(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: knownAtPositionDescription, example: '1042' }),
    IsOptional(),
    Matches(/^\d{1,16}$/, {
      message: `knownAtPosition must be a log position: ${positionExpected}`,
    }),
  );
}

export class BalanceQuery extends KnownQuery {
  @ApiPropertyOptional({ description: asOfDescription, example: '2026-03-31' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class BalanceSheetQuery extends BalanceQuery {}

export class PeriodRangeQuery extends KnownQuery {
  @ApiPropertyOptional({
    description: 'First effective date (YYYY-MM-DD, inclusive); absent: from the start',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    description: 'Last effective date (YYYY-MM-DD, inclusive); absent: to the end',
    example: '2026-03-31',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

export class RegisterQuery extends ListQuery {
  @ApiPropertyOptional({
    description: 'First effective date (inclusive); earlier lines make the opening balance',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Last effective date (inclusive)', example: '2026-03-31' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @KnownAtPositionProperty()
  knownAtPosition?: string;
}

export class CurrencyBalanceResponse {
  @ApiProperty({ description: 'ISO 4217 currency', example: 'EUR' })
  currency!: string;

  @ApiProperty({ description: 'Sum of debits (decimal string)', example: '1500.00' })
  debit!: string;

  @ApiProperty({ description: 'Sum of credits (decimal string)', example: '300.00' })
  credit!: string;

  @ApiProperty({
    description: 'debit − credit (credit-normal accounts show negative)',
    example: '1200.00',
  })
  balance!: string;
}

export class AccountBalanceResponse {
  @ApiProperty({ description: 'Account code', example: '1200' })
  account!: string;

  @EchoedAsOf()
  asOf!: string | null;

  @EchoedKnownAt()
  knownAt!: string | null;

  @EchoedKnownAtPosition()
  knownAtPosition!: number | null;

  @ApiProperty({
    type: [CurrencyBalanceResponse],
    description: 'One per currency the account has lines in',
  })
  balances!: CurrencyBalanceResponse[];
}

export class TrialBalanceLineResponse {
  @ApiProperty({ description: 'Account code' })
  account!: string;

  @ApiProperty({ description: 'Account name' })
  name!: string;

  @ApiProperty({
    description: 'Account type',
    enum: ['asset', 'liability', 'equity', 'revenue', 'expense'],
  })
  type!: string;

  @ApiProperty({ description: 'Sum of debits' })
  debit!: string;

  @ApiProperty({ description: 'Sum of credits' })
  credit!: string;

  @ApiProperty({ description: 'debit − credit' })
  balance!: string;
}

export class TotalsResponse {
  @ApiProperty({ description: 'Sum of all debits' })
  debit!: string;

  @ApiProperty({ description: 'Sum of all credits (always equal to debit)' })
  credit!: string;
}

export class TrialBalanceCurrencyResponse {
  @ApiProperty({ description: 'ISO 4217 currency' })
  currency!: string;

  @ApiProperty({
    type: [TrialBalanceLineResponse],
    description: 'Accounts with lines in this currency, by code',
  })
  lines!: TrialBalanceLineResponse[];

  @ApiProperty({ type: TotalsResponse, description: 'Column totals' })
  totals!: TotalsResponse;
}

export class TrialBalanceResponse {
  @EchoedAsOf()
  asOf!: string | null;

  @EchoedKnownAt()
  knownAt!: string | null;

  @EchoedKnownAtPosition()
  knownAtPosition!: number | null;

  @ApiProperty({ type: [TrialBalanceCurrencyResponse], description: 'One block per currency' })
  currencies!: TrialBalanceCurrencyResponse[];
}

export class RegisterLineResponse {
  @ApiProperty({ description: 'Entry id' })
  entryId!: string;

  @ApiProperty({ description: 'Line number within the entry', type: 'integer' })
  lineNo!: number;

  @ApiProperty({ description: 'Accounting date' })
  effectiveDate!: string;

  @ApiProperty({ description: "The entry's description" })
  description!: string;

  @ApiProperty({ description: "The entry's reference", nullable: true, type: String })
  reference!: string | null;

  @ApiProperty({ description: 'ISO 4217 currency' })
  currency!: string;

  @ApiPropertyOptional({ description: 'Debit amount; exactly one of debit/credit' })
  debit?: string;

  @ApiPropertyOptional({ description: 'Credit amount; exactly one of debit/credit' })
  credit?: string;

  @ApiPropertyOptional({ description: 'Line memo' })
  memo?: string;

  @ApiProperty({
    description: 'Running balance (debit − credit) of the account in this currency after this line',
  })
  balance!: string;

  @ApiProperty({ description: 'Log position of the entry', type: 'integer' })
  position!: number;
}

export class OpeningBalanceResponse {
  @ApiProperty({ description: 'ISO 4217 currency' })
  currency!: string;

  @ApiProperty({ description: 'Balance before the first line of this page' })
  balance!: string;
}

export class RegisterResponse {
  @ApiProperty({ description: 'Account code' })
  account!: string;

  @EchoedKnownAtPosition()
  knownAtPosition!: number | null;

  @ApiProperty({
    type: [OpeningBalanceResponse],
    description: 'Balances before the first line of this page',
  })
  openingBalances!: OpeningBalanceResponse[];

  @ApiProperty({
    type: [RegisterLineResponse],
    description: 'Lines by effective date, log position, line number',
  })
  items!: RegisterLineResponse[];

  @ApiProperty({
    description: 'Cursor of the next page, null on the last',
    nullable: true,
    type: String,
  })
  nextCursor!: string | null;
}

export class StatementLineResponse {
  @ApiProperty({ description: 'Account code' })
  account!: string;

  @ApiProperty({ description: 'Account name' })
  name!: string;

  @ApiProperty({
    description:
      'Amount in the natural sign of the section (assets/expenses debit − credit, others credit − debit)',
  })
  amount!: string;
}

export class StatementSectionResponse {
  @ApiProperty({ type: [StatementLineResponse], description: 'Accounts of this section' })
  lines!: StatementLineResponse[];

  @ApiProperty({ description: 'Section total' })
  total!: string;
}

export class BalanceSheetCurrencyResponse {
  @ApiProperty({ description: 'ISO 4217 currency' })
  currency!: string;

  @ApiProperty({ type: StatementSectionResponse, description: 'Assets' })
  assets!: StatementSectionResponse;

  @ApiProperty({ type: StatementSectionResponse, description: 'Liabilities' })
  liabilities!: StatementSectionResponse;

  @ApiProperty({ type: StatementSectionResponse, description: 'Equity' })
  equity!: StatementSectionResponse;

  @ApiProperty({ description: 'Unclosed result: revenue − expenses up to asOf' })
  result!: string;

  @ApiProperty({ description: 'liabilities + equity + result' })
  liabilitiesAndEquity!: string;

  @ApiProperty({ description: 'Check: assets = liabilities + equity + result' })
  balanced!: boolean;
}

export class BalanceSheetResponse {
  @EchoedAsOf()
  asOf!: string | null;

  @EchoedKnownAt()
  knownAt!: string | null;

  @EchoedKnownAtPosition()
  knownAtPosition!: number | null;

  @ApiProperty({ type: [BalanceSheetCurrencyResponse], description: 'One per currency' })
  currencies!: BalanceSheetCurrencyResponse[];

  @ApiProperty({ description: 'Every currency balances' })
  balanced!: boolean;
}

export class IncomeStatementCurrencyResponse {
  @ApiProperty({ description: 'ISO 4217 currency' })
  currency!: string;

  @ApiProperty({ type: StatementSectionResponse, description: 'Revenue (credit − debit)' })
  revenue!: StatementSectionResponse;

  @ApiProperty({ type: StatementSectionResponse, description: 'Expenses (debit − credit)' })
  expenses!: StatementSectionResponse;

  @ApiProperty({ description: 'revenue − expenses' })
  netIncome!: string;
}

export class IncomeStatementResponse {
  @ApiProperty({ description: 'First effective date, or null', nullable: true, type: String })
  from!: string | null;

  @ApiProperty({ description: 'Last effective date, or null', nullable: true, type: String })
  to!: string | null;

  @EchoedKnownAt()
  knownAt!: string | null;

  @EchoedKnownAtPosition()
  knownAtPosition!: number | null;

  @ApiProperty({
    type: [IncomeStatementCurrencyResponse],
    description: 'One per currency with revenue or expenses',
  })
  currencies!: IncomeStatementCurrencyResponse[];
}
