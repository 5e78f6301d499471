import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import {
  buyerReferenceLengthMax,
  creditNoteReasonLengthMax,
  invoiceLinesMax,
  invoiceNoteLengthMax,
  lineDescriptionLengthMax,
} from '../domain/invoice-limits.js';

// Request bodies of the invoice endpoints: class-validator checks JSON types and lengths; the
// draft check (src/billing/domain/invoice-draft.ts) checks decimals, dates and the rules,
// naming fields as `lines[1].quantity`.

const decimalTextLengthMax = 40;
const idLengthMax = 128;

export class ServicePeriodRequest {
  @ApiProperty({ example: '2027-01-01' })
  @IsString()
  @Length(10, 10)
  from!: string;

  @ApiProperty({ example: '2027-01-31' })
  @IsString()
  @Length(10, 10)
  to!: string;
}

export class InvoiceLineRequest {
  @ApiProperty({
    description: 'Item name (BT-153)',
    example: 'Beratung',
    maxLength: lineDescriptionLengthMax,
  })
  @IsString()
  @Length(1, lineDescriptionLengthMax)
  description!: string;

  @ApiProperty({ description: 'Positive, at most 4 decimals (a JSON string)', example: '3' })
  @IsString()
  @Length(1, decimalTextLengthMax)
  quantity!: string;

  @ApiPropertyOptional({ description: 'UN/ECE Rec 20 unit code, default C62', example: 'HUR' })
  @IsOptional()
  @IsString()
  @Length(1, 3)
  unit?: string;

  @ApiProperty({
    description: 'Net unit price, at most 4 decimals (a JSON string)',
    example: '100.00',
  })
  @IsString()
  @Length(1, decimalTextLengthMax)
  unitPrice!: string;

  @ApiProperty({ description: 'A tax code of the book valid on the issue date', example: 'USt19' })
  @IsString()
  @Length(1, 64)
  taxCode!: string;

  @ApiPropertyOptional({
    description: "Revenue account; default the tax code's (SKR03 USt19 → 8400)",
    example: '8400',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  revenueAccount?: string;

  @ApiPropertyOptional({ description: 'Cost centre (a memo on the revenue line)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  costCenter?: string;
}

export class InvoiceDraftRequest {
  @ApiProperty({ description: 'Party id or customer number', example: '10000' })
  @IsString()
  @Length(1, idLengthMax)
  customer!: string;

  @ApiPropertyOptional({
    description: 'Issue date (decides the number’s fiscal year); default the day of issue',
    example: '2027-01-31',
  })
  @IsOptional()
  @IsString()
  @Length(10, 10)
  issueDate?: string;

  @ApiPropertyOptional({
    description: 'Delivery date; this or servicePeriod is required (§ 14 Abs. 4 UStG)',
    example: '2027-01-15',
  })
  @IsOptional()
  @IsString()
  @Length(10, 10)
  deliveryDate?: string;

  @ApiPropertyOptional({ type: ServicePeriodRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ServicePeriodRequest)
  servicePeriod?: ServicePeriodRequest;

  @ApiPropertyOptional({
    description: "ISO 4217; only the book's base currency (no exchange-rate policy)",
    example: 'EUR',
  })
  @IsOptional()
  @IsString()
  @Length(3, 3)
  currency?: string;

  @ApiPropertyOptional({
    description: "Days to the due date; default the customer's terms, else 14",
    example: 14,
  })
  @IsOptional()
  @IsInt()
  paymentTermsDays?: number;

  @ApiPropertyOptional({ maxLength: invoiceNoteLengthMax })
  @IsOptional()
  @IsString()
  @MaxLength(invoiceNoteLengthMax)
  note?: string;

  @ApiPropertyOptional({
    description: "Leitweg-ID / buyer reference (BT-10); default the customer's",
    maxLength: buyerReferenceLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(buyerReferenceLengthMax)
  buyerReference?: string;

  @ApiProperty({ type: [InvoiceLineRequest], maxItems: invoiceLinesMax })
  @IsArray()
  @ArrayMaxSize(invoiceLinesMax, {
    message: `lines must hold at most ${invoiceLinesMax} lines (invoiceLinesMax)`,
  })
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineRequest)
  lines!: InvoiceLineRequest[];
}

export class CreditNoteRequest {
  @ApiProperty({
    description: 'Why the invoice is credited',
    example: 'Storno: falsche Menge',
    maxLength: creditNoteReasonLengthMax,
  })
  @IsString()
  @Length(1, creditNoteReasonLengthMax)
  reason!: string;

  @ApiPropertyOptional({
    type: [InvoiceLineRequest],
    description:
      'Lines to credit (positive quantities); without: the whole invoice, which is then cancelled',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(invoiceLinesMax)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineRequest)
  lines?: InvoiceLineRequest[];
}

export const invoiceStatuses = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'] as const;

export class InvoicesQueryRequest {
  @ApiPropertyOptional({ enum: invoiceStatuses })
  @IsOptional()
  @IsIn(invoiceStatuses)
  status?: (typeof invoiceStatuses)[number];

  @ApiPropertyOptional({ description: 'Party id of the customer' })
  @IsOptional()
  @IsString()
  @Length(1, idLengthMax)
  customer?: string;

  @ApiPropertyOptional({ description: 'Issue date from (inclusive)', example: '2027-01-01' })
  @IsOptional()
  @IsString()
  @Length(10, 10)
  from?: string;

  @ApiPropertyOptional({ description: 'Issue date to (inclusive)', example: '2027-12-31' })
  @IsOptional()
  @IsString()
  @Length(10, 10)
  to?: string;

  @ApiPropertyOptional({ description: 'Page size, 1–1000 (default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  cursor?: string;
}

export const renderSyntaxes = ['ubl', 'cii'] as const;

export class XrechnungQueryRequest {
  @ApiPropertyOptional({ enum: renderSyntaxes, description: 'default ubl' })
  @IsOptional()
  @IsIn(renderSyntaxes)
  syntax?: (typeof renderSyntaxes)[number];
}
