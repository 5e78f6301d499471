import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { formatAmount } from '../../event-sourcing/index.js';
import { JournalEntryPostedData, accountTypes } from '../domain/book.events.js';

/** Response bodies of the ledger's write endpoints (positions are JSON numbers). */

export class BookCreatedResponse {
  @ApiProperty({ description: 'Book id', example: 'acme-gmbh' })
  id!: string;

  @ApiProperty({ description: 'Name of the legal entity', example: 'ACME GmbH' })
  name!: string;

  @ApiProperty({ description: 'ISO 4217 base currency', example: 'EUR' })
  baseCurrency!: string;

  @ApiProperty({ description: 'Month (1–12) the fiscal year starts in', example: 1 })
  fiscalYearStartMonth!: number;

  @ApiPropertyOptional({ description: 'The chart the book opened with', example: 'skr03' })
  chart?: string;

  @ApiPropertyOptional({ description: "The chart's version (fiscal year)", example: '2026' })
  chartVersion?: string;

  @ApiProperty({
    description: 'Global log position of the BookOpened event (pass as consistentWith)',
  })
  position!: number;
}

export class AccountOpenedResponse {
  @ApiProperty({ description: 'Account code', example: '1200' })
  code!: string;

  @ApiProperty({ description: 'Account name', example: 'Bank' })
  name!: string;

  @ApiProperty({ description: 'Account type', enum: accountTypes })
  type!: string;

  @ApiPropertyOptional({
    description: 'The only currency the account takes, when fixed',
    example: 'EUR',
  })
  currency?: string;

  @ApiPropertyOptional({ description: 'Parent account code', example: '1000' })
  parent?: string;

  @ApiPropertyOptional({
    description: "The bank account's IBAN, electronic format",
    example: 'DE02120300000000202051',
  })
  iban?: string;

  @ApiProperty({ description: 'Always open for a new account', enum: ['open'] })
  status!: 'open';

  @ApiProperty({ description: 'Global log position of the AccountOpened event' })
  position!: number;
}

export class AccountIbanChangedResponse {
  @ApiProperty({ description: 'Account code', example: '1200' })
  code!: string;

  @ApiProperty({
    description: "The account's IBAN now, electronic format; null when it has none",
    example: 'DE02120300000000202051',
    type: String,
    nullable: true,
  })
  iban!: string | null;

  @ApiProperty({
    description:
      'Global log position of the AccountIbanChanged event; 0 when the account had this IBAN already (nothing appended)',
  })
  position!: number;
}

export class AccountClosedResponse {
  @ApiProperty({ description: 'Account code', example: '1200' })
  code!: string;

  @ApiProperty({ description: 'Always closed', enum: ['closed'] })
  status!: 'closed';

  @ApiProperty({ description: 'Global log position of the AccountClosed event' })
  position!: number;
}

export class PendingApprovalResponse {
  @ApiProperty({ description: 'The action waits for approval', enum: ['pending_approval'] })
  status!: 'pending_approval';

  @ApiProperty({ description: 'The approval request (GET /v1/approvals/:id)' })
  approvalId!: string;

  @ApiProperty({ description: 'Global log position of the approval request' })
  position!: number;
}

export class PendingJournalEntryResponse extends PendingApprovalResponse {
  @ApiProperty({ description: 'Id the entry will have once approved and posted' })
  id!: string;
}

export class PostedJournalLineResponse {
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

  @ApiProperty({ description: 'ISO 4217 currency of the line', example: 'EUR' })
  currency!: string;

  @ApiPropertyOptional({ description: 'Note on the line' })
  memo?: string;

  @ApiPropertyOptional({
    description: 'Tax code the line is a base (or the tax) of',
    example: 'USt19',
  })
  taxCode?: string;

  @ApiPropertyOptional({ description: 'Party id (customer, supplier) of the line' })
  party?: string;
}

/** The 201 of a post or a reversal: the entry as its event recorded it (GET answers JournalEntryResponse). */
export class PostedJournalEntryResponse {
  @ApiProperty({ description: 'Entry id' })
  id!: string;

  @ApiProperty({
    description: 'Always posted here (see 202 for pending entries)',
    enum: ['posted'],
  })
  status!: 'posted';

  @ApiProperty({
    description:
      'Global log position of the JournalEntryPosted event (the same on an Idempotency-Key replay)',
  })
  position!: number;

  @ApiProperty({ description: 'Accounting date YYYY-MM-DD', example: '2026-03-31' })
  effectiveDate!: string;

  @ApiProperty({ description: 'What the entry records' })
  description!: string;

  @ApiPropertyOptional({ description: 'External reference' })
  reference?: string;

  @ApiProperty({
    description: 'The lines, amounts as decimal strings',
    type: [PostedJournalLineResponse],
    example: [
      { account: '6310', debit: '1200.00', currency: 'EUR', memo: 'March' },
      { account: '1200', credit: '1200.00', currency: 'EUR' },
    ],
  })
  lines!: PostedJournalLineResponse[];

  @ApiPropertyOptional({
    description: 'Entry metadata',
    type: 'object',
    additionalProperties: true,
  })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'For a reversal: the id of the entry it reverses' })
  reversalOf?: string;

  @ApiPropertyOptional({
    description: 'For an opening entry (Eröffnungsbuchung): the fiscal year it carries forward',
    example: 2026,
  })
  carryForwardOf?: number;
}

export class PeriodClosedResponse {
  @ApiProperty({ description: 'The period YYYY-MM', example: '2026-03' })
  period!: string;

  @ApiProperty({ description: 'Always closed', enum: ['closed'] })
  status!: 'closed';

  @ApiProperty({ description: 'Global log position of the PeriodClosed event' })
  position!: number;
}

export class PeriodReopenedResponse {
  @ApiProperty({ description: 'The period YYYY-MM', example: '2026-03' })
  period!: string;

  @ApiProperty({ description: 'Open again', enum: ['open'] })
  status!: 'open';

  @ApiProperty({ description: 'Why it was reopened' })
  reason!: string;

  @ApiProperty({ description: 'Global log position of the PeriodReopened event' })
  position!: number;
}

/** The answer for a posted entry, built from its stored event (so a replay answers identically). */
export function journalEntryResponse(data: JournalEntryPostedData, position: bigint) {
  return {
    id: data.entryId,
    status: 'posted' as const,
    position,
    effectiveDate: data.effectiveDate,
    description: data.description,
    ...(data.reference === undefined ? {} : { reference: data.reference }),
    lines: data.lines.map((line) => ({
      account: line.account,
      [line.side]: formatAmount(BigInt(line.amountMinor), line.currency),
      currency: line.currency,
      ...(line.memo === undefined ? {} : { memo: line.memo }),
      ...(line.taxCode === undefined ? {} : { taxCode: line.taxCode }),
      ...(line.party === undefined ? {} : { party: line.party }),
    })),
    ...(data.metadata === undefined ? {} : { metadata: data.metadata }),
    ...(data.reversalOf === undefined ? {} : { reversalOf: data.reversalOf }),
    ...(data.carryForwardOf === undefined ? {} : { carryForwardOf: data.carryForwardOf }),
  };
}
