import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { IsDate } from '../../api/banking.dto.js';
import { paymentRunItemsMax } from '../domain/payment-selection.js';

export class DebtorRequest {
  @ApiProperty({ example: 'Müller & Söhne KG' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'DE89370400440532013000' })
  @IsString()
  @Length(1, 50)
  iban!: string;

  @ApiPropertyOptional({ example: 'COBADEFFXXX' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  bic?: string;
}

export class CreatePaymentRunRequest {
  @ApiProperty({ description: 'The requested execution date (ReqdExctnDt)', example: '2027-01-15' })
  @IsDate()
  executionDate!: string;

  @ApiProperty({ description: 'The bank account (ledger account) paid from', example: '1200' })
  @IsString()
  @Length(1, 20)
  bankAccount!: string;

  @ApiPropertyOptional({
    type: DebtorRequest,
    description: 'Who pays; absent: the book’s company data (name, iban, bic)',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DebtorRequest)
  debtor?: DebtorRequest;

  @ApiPropertyOptional({
    description: 'Pay the booked incoming invoices due on or before (default: executionDate)',
    example: '2027-01-31',
  })
  @IsOptional()
  @IsDate()
  dueUntil?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Pay exactly these incoming invoices (ids); instead of dueUntil',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(paymentRunItemsMax)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  items?: string[];
}

export class CancelPaymentRunRequest {
  @ApiPropertyOptional({ example: 'Lieferant zahlt per Lastschrift' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class PaymentRunItemResponse {
  @ApiProperty() invoice!: string;
  @ApiProperty() number!: string;
  @ApiProperty() party!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty({ example: '1561.03' }) amount!: string;
  @ApiProperty() creditor!: DebtorRequest;
  @ApiPropertyOptional({ description: 'Once executed: the pain.001 EndToEndId' })
  endToEndId?: string;
}

export class PaymentRunResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['draft', 'executed', 'cancelled'] }) status!: string;
  @ApiProperty() executionDate!: string;
  @ApiProperty() bankAccount!: string;
  @ApiProperty() debtor!: DebtorRequest;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '1561.03' }) total!: string;
  @ApiProperty({ type: [PaymentRunItemResponse] }) items!: PaymentRunItemResponse[];
  @ApiPropertyOptional() executedAt?: string;
  @ApiPropertyOptional() messageId?: string;
  @ApiPropertyOptional() cancelledAt?: string;
  @ApiProperty() position!: number;
}

export class PaymentRunsResponse {
  @ApiProperty({ type: [PaymentRunResponse] }) items!: PaymentRunResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: null;
}
