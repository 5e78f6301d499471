import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { bookingLinesMax } from '../domain/incoming-booking.js';
import { incomingInvoiceStatuses } from '../application/incoming-invoices.js';

export class BookingLineRequest {
  @ApiProperty({ description: 'Expense (or asset) account', example: '4930' })
  @IsString()
  @Length(1, 32)
  account!: string;

  @ApiPropertyOptional({
    description: 'Net amount; absent: the invoice’s whole net (one line only)',
    example: '1257.39',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  amount?: string;

  @ApiProperty({
    description: 'Tax code of the book (VSt19, VSt7, RC13b, IGE19 …)',
    example: 'VSt19',
  })
  @IsString()
  @Length(1, 32)
  taxCode!: string;

  @ApiPropertyOptional({
    description: 'Cost centre (Kostenstelle), in the line’s memo',
    example: 'K100',
  })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  costCenter?: string;
}

export class BookIncomingInvoiceRequest {
  @ApiPropertyOptional({
    type: [BookingLineRequest],
    description:
      'Kontierung; absent: one line per VAT rate of the invoice to the supplier’s defaultExpenseAccount (else the tax code’s expense account)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(bookingLinesMax)
  @ValidateNested({ each: true })
  @Type(() => BookingLineRequest)
  lines?: BookingLineRequest[];
}

export class IncomingInvoicesQuery {
  @ApiPropertyOptional({ enum: incomingInvoiceStatuses })
  @IsOptional()
  @IsIn(incomingInvoiceStatuses)
  status?: (typeof incomingInvoiceStatuses)[number];
}

export class IncomingTotalsResponse {
  @ApiProperty({ example: '1317.89', description: 'BT-109' }) net!: string;
  @ApiProperty({ example: '243.14', description: 'BT-110' }) tax!: string;
  @ApiProperty({ example: '1561.03', description: 'BT-112' }) gross!: string;
  @ApiProperty({ example: '1561.03', description: 'BT-115' }) payable!: string;
}

export class RuleViolationResponse {
  @ApiProperty({ example: 'BR-CO-16' }) rule!: string;
  @ApiProperty({ example: 'BT-115 1.00 ≠ BT-112 1561.03 − BT-113 + BT-114' }) message!: string;
}

export class ValidationResponse {
  @ApiProperty() valid!: boolean;
  @ApiProperty({ type: [RuleViolationResponse] }) errors!: RuleViolationResponse[];
}

export class IncomingInvoiceResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: incomingInvoiceStatuses }) status!: string;
  @ApiProperty({ description: 'Supplier party id' }) supplier!: string;
  @ApiProperty({ example: 'RE-2026-00042', description: 'BT-1' }) number!: string;
  @ApiProperty({ example: '2026-11-30' }) issueDate!: string;
  @ApiProperty({ example: '2026-12-14', description: 'BT-9, else the issue date' })
  dueDate!: string;
  @ApiProperty({ type: IncomingTotalsResponse }) totals!: IncomingTotalsResponse;
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ type: ValidationResponse }) validation!: ValidationResponse;
  @ApiProperty({ example: 'sha256:…', description: 'The original in the vault' })
  documentId!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ description: 'Gap-free receipt number of the book' }) sequence!: number;
  @ApiProperty({ enum: ['ubl', 'cii'] }) syntax!: string;
  @ApiProperty({ enum: ['xml', 'pdf'] }) container!: string;
  @ApiProperty() sellerName!: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'What of the seller’s master data was not usable when the supplier was registered',
  })
  supplierNotes?: string[];
  @ApiPropertyOptional() entryId?: string;
}

export class IncomingInvoiceLineResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: string;
  @ApiProperty() unitCode!: string;
  @ApiProperty() netAmount!: string;
  @ApiProperty() vatCategory!: string;
  @ApiPropertyOptional() vatRate?: string;
  @ApiProperty({ description: 'One readable line: "2 × Beratung (HUR) 190.00 EUR, S 19 %"' })
  text!: string;
}

export class IncomingInvoiceDetailResponse extends IncomingInvoiceResponse {
  @ApiProperty({ type: [IncomingInvoiceLineResponse] }) lines!: IncomingInvoiceLineResponse[];
  @ApiProperty({ description: 'Lines in the invoice (the event keeps the first 500)' })
  linesTotal!: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) vatBreakdown!: unknown[];
}

export class IncomingInvoiceListResponse {
  @ApiProperty({ type: [IncomingInvoiceResponse] }) items!: IncomingInvoiceResponse[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: null;
}
