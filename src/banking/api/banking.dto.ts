import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { isCalendarDate } from '../../ledger/index.js';
import { openItemKinds } from '../domain/open-items.js';
import { paymentAllocationsMax, paymentReferenceLengthMax } from '../domain/payment.js';

/** Long enough for any amount the domain accepts, bounded for hostile input. */
const amountTextLengthMax = 40;
const idTextLengthMax = 128;

export function IsDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value) => typeof value === 'string' && isCalendarDate(value),
      defaultMessage: (args) => `${args?.property} must be a calendar date YYYY-MM-DD`,
    },
  });
}

export class PaymentAllocationRequest {
  @ApiProperty({ description: 'Invoice id (or number) of the party', example: 'RE-2027-00001' })
  @IsString()
  @Length(1, idTextLengthMax)
  invoice!: string;

  @ApiProperty({ description: 'Cash allocated to the invoice (decimal string)', example: '100.00' })
  @IsString()
  @Length(1, amountTextLengthMax)
  amount!: string;
}

export class ReceivePaymentRequest {
  @ApiPropertyOptional({
    enum: openItemKinds,
    description:
      'receivable (default): a customer paid (bank to receivables); payable: a supplier was paid (payables to bank, Skonto received)',
  })
  @IsOptional()
  @IsIn(openItemKinds)
  kind?: 'receivable' | 'payable';

  @ApiProperty({
    description: 'Party id or number (customer who paid, supplier paid)',
    example: '10001',
  })
  @IsString()
  @Length(1, idTextLengthMax)
  party!: string;

  @ApiProperty({ description: 'Value date, the entry’s effective date', example: '2027-02-14' })
  @IsDate()
  date!: string;

  @ApiProperty({ description: 'Amount received (decimal string)', example: '116.62' })
  @IsString()
  @Length(1, amountTextLengthMax)
  amount!: string;

  @ApiPropertyOptional({
    description: 'ISO 4217; default the book’s base currency',
    example: 'EUR',
  })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  currency?: string;

  @ApiProperty({
    description: 'Bank account (debited on a receipt, credited on a supplier payment)',
    example: '1200',
  })
  @IsString()
  @Length(1, idTextLengthMax)
  bankAccount!: string;

  @ApiPropertyOptional({
    description: 'Bank reference / remittance text',
    maxLength: paymentReferenceLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(paymentReferenceLengthMax)
  reference?: string;

  @ApiPropertyOptional({ type: [PaymentAllocationRequest], maxItems: paymentAllocationsMax })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(paymentAllocationsMax)
  @ValidateNested({ each: true })
  @Type(() => PaymentAllocationRequest)
  allocations?: PaymentAllocationRequest[];

  @ApiPropertyOptional({
    description:
      'Cash discount (Skonto) granted, gross; settles the allocated invoices’ rest in order',
    example: '2.38',
  })
  @IsOptional()
  @IsString()
  @Length(1, amountTextLengthMax)
  discount?: string;

  @ApiPropertyOptional({
    description: 'Receivables control account, when the book’s chart names none',
    example: '1400',
  })
  @IsOptional()
  @IsString()
  @Length(1, idTextLengthMax)
  controlAccount?: string;

  @ApiPropertyOptional({
    description: 'Cash discount granted account, when the chart names none',
    example: '8735',
  })
  @IsOptional()
  @IsString()
  @Length(1, idTextLengthMax)
  discountAccount?: string;
}

export class PaymentAllocationResponse {
  @ApiProperty() invoice!: string;
  @ApiProperty() amount!: string;
  @ApiProperty() discount!: string;
}

export class PaymentResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: openItemKinds }) kind!: 'receivable' | 'payable';
  @ApiProperty() entryId!: string;
  @ApiProperty() party!: string;
  @ApiProperty() date!: string;
  @ApiProperty() amount!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() discount!: string;
  @ApiProperty({ type: [PaymentAllocationResponse] }) allocations!: PaymentAllocationResponse[];
  @ApiProperty({ description: 'What stays open on the party’s account (a credit)' })
  unallocated!: string;
  @ApiProperty({
    description: 'Global log position of the write (pass as consistentWith)',
    example: 42,
  })
  position!: number;
}

export class OpenItemsQuery {
  @ApiProperty({ enum: openItemKinds })
  @IsIn(openItemKinds)
  kind!: 'receivable' | 'payable';

  @ApiPropertyOptional({ description: 'Party id' })
  @IsOptional()
  @IsString()
  @Length(1, idTextLengthMax)
  party?: string;

  @ApiPropertyOptional({
    description: 'Open amounts as of this date (YYYY-MM-DD); default today (UTC)',
  })
  @IsOptional()
  @IsDate()
  asOf?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only items past their due date' })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';
}

export class AgingQuery {
  @ApiProperty({ enum: openItemKinds })
  @IsIn(openItemKinds)
  kind!: 'receivable' | 'payable';

  @ApiPropertyOptional({ description: 'As of this date (YYYY-MM-DD); default today (UTC)' })
  @IsOptional()
  @IsDate()
  asOf?: string;
}

export class OpenItemResponse {
  @ApiProperty({
    description: 'Invoice id (or the item’s id: a payment on account, a manual line)',
  })
  invoice!: string;
  @ApiProperty() party!: string;
  @ApiPropertyOptional() number?: string;
  @ApiProperty({
    description: 'InvoiceIssued, PaymentReceived, DunningRunConfirmed, JournalEntry …',
  })
  documentType!: string;
  @ApiProperty() account!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() issueDate!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty({ description: 'Original amount; negative for a credit (e.g. an overpayment)' })
  amount!: string;
  @ApiProperty() openAmount!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiPropertyOptional({
    description: 'A payable in an executed payment run: `{ run, endToEndId }` until it is paid',
  })
  inPayment?: { run: string; endToEndId: string };
}

export class OpenItemsResponse {
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: [OpenItemResponse] }) items!: OpenItemResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class AgingBucketsResponse {
  @ApiProperty() current!: string;
  @ApiProperty({ name: '1-30' }) '1-30'!: string;
  @ApiProperty({ name: '31-60' }) '31-60'!: string;
  @ApiProperty({ name: '61-90' }) '61-90'!: string;
  @ApiProperty({ name: 'over-90' }) 'over-90'!: string;
  @ApiProperty() total!: string;
}

export class AgingPartyResponse extends AgingBucketsResponse {
  @ApiProperty() party!: string;
}

export class AgingCurrencyResponse {
  @ApiProperty() currency!: string;
  @ApiProperty({ type: [AgingPartyResponse] }) parties!: AgingPartyResponse[];
  @ApiProperty({ type: AgingBucketsResponse }) total!: AgingBucketsResponse;
}

export class AgingResponse {
  @ApiProperty() kind!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: [AgingCurrencyResponse] }) currencies!: AgingCurrencyResponse[];
}

export class ReconciliationLineResponse {
  @ApiProperty() account!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'Sum of open items, debit − credit' }) openItems!: string;
  @ApiProperty({ description: 'Ledger balance, debit − credit' }) ledger!: string;
  @ApiProperty() difference!: string;
}

export class ReconciliationResponse {
  @ApiProperty() kind!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [ReconciliationLineResponse] }) lines!: ReconciliationLineResponse[];
}
