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
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { accountCodeLengthMax } from '../domain/book.rules.js';
import {
  TaxCodeDefinition,
  taxCodeCodeLengthMax,
  taxCodeKinds,
  taxCodeNameLengthMax,
  taxCodeRatesMax,
} from '../domain/tax-codes.js';

/** Shapes of `GET/POST /v1/books/{book}/tax-codes` (API.md "Tax codes and charts of accounts"). */

export class TaxRateRequest {
  @ApiProperty({ description: 'First day the rate applies (YYYY-MM-DD)', example: '2021-01-01' })
  @IsString()
  validFrom!: string;

  @ApiPropertyOptional({ description: 'Last day the rate applies; open-ended when absent' })
  @IsOptional()
  @IsString()
  validTo?: string;

  @ApiProperty({ description: 'Rate in percent, 0 to 99.99', example: '19' })
  @IsString()
  rate!: string;
}

export class DefineTaxCodeRequest {
  @ApiProperty({
    description: 'Code, unique in the book',
    example: 'USt19-Gastro',
    maxLength: taxCodeCodeLengthMax,
  })
  @IsString()
  @Length(1, taxCodeCodeLengthMax)
  code!: string;

  @ApiProperty({ example: 'Umsatzsteuer 19 % Gastronomie', maxLength: taxCodeNameLengthMax })
  @IsString()
  @Length(1, taxCodeNameLengthMax)
  name!: string;

  @ApiProperty({ enum: taxCodeKinds, description: 'Which tax lines `"tax": "auto"` adds' })
  @IsIn(taxCodeKinds)
  kind!: string;

  @ApiProperty({
    type: [TaxRateRequest],
    description: `1 to ${taxCodeRatesMax} rate periods, in order, not overlapping`,
    minItems: 1,
    maxItems: taxCodeRatesMax,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(taxCodeRatesMax)
  @ValidateNested({ each: true })
  @Type(() => TaxRateRequest)
  rates!: TaxRateRequest[];

  @ApiPropertyOptional({
    description: 'Output VAT account (kinds output, reverse-charge, intra-eu-acquisition)',
    maxLength: accountCodeLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(accountCodeLengthMax)
  outputAccount?: string;

  @ApiPropertyOptional({
    description: 'Input VAT account (kinds input, reverse-charge, intra-eu-acquisition)',
    maxLength: accountCodeLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(accountCodeLengthMax)
  inputAccount?: string;

  @ApiPropertyOptional({
    description: 'Default revenue account for sales under this code',
    maxLength: accountCodeLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(accountCodeLengthMax)
  revenueAccount?: string;

  @ApiPropertyOptional({
    description: 'Default expense account for purchases under this code',
    maxLength: accountCodeLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(accountCodeLengthMax)
  expenseAccount?: string;

  @ApiPropertyOptional({
    description: 'DATEV BU key (Steuerschlüssel), 1 to 4 digits',
    example: '3',
  })
  @IsOptional()
  @IsString()
  datevKey?: string;

  @ApiPropertyOptional({
    description:
      'The VAT return base Kennzahl where the kind’s default does not fit (docs/compliance.md), e.g. "21" or "46"',
    example: '21',
  })
  @IsOptional()
  @IsString()
  vatReturnField?: string;
}

export class TaxCodesQuery {
  @ApiPropertyOptional({ description: 'Only the rates in force on this date (YYYY-MM-DD)' })
  @IsOptional()
  @IsString()
  on?: string;
}

/** One rate period of a code: a code with three periods is three rows. */
export class TaxCodeResponse {
  @ApiProperty({ example: 'USt19' })
  code!: string;

  @ApiProperty({ example: 'Umsatzsteuer 19 %' })
  name!: string;

  @ApiProperty({ description: 'Rate in percent', example: '19' })
  rate!: string;

  @ApiProperty({ enum: taxCodeKinds })
  kind!: string;

  @ApiProperty({ example: '2021-01-01' })
  validFrom!: string;

  @ApiPropertyOptional({ example: '2020-12-31' })
  validTo?: string;

  @ApiPropertyOptional({ example: '1776' })
  outputAccount?: string;

  @ApiPropertyOptional({ example: '1576' })
  inputAccount?: string;

  @ApiPropertyOptional({ example: '8400' })
  revenueAccount?: string;

  @ApiPropertyOptional({ example: '3400' })
  expenseAccount?: string;

  @ApiPropertyOptional({ description: 'DATEV BU key', example: '3' })
  datevKey?: string;

  @ApiPropertyOptional({
    description: 'VAT return base Kennzahl (when not the kind’s default)',
    example: '21',
  })
  vatReturnField?: string;
}

export class TaxCodeDefinedResponse {
  @ApiProperty({ example: 'USt19-Gastro' })
  code!: string;

  @ApiProperty({ type: [TaxCodeResponse], description: 'The code, one row per rate period' })
  rates!: TaxCodeResponse[];

  @ApiProperty({ description: 'Global log position of the TaxCodeDefined event' })
  position!: number;
}

/** The rows of a code: one per rate period (optionally only the one in force on `on`). */
export function taxCodeRows(code: TaxCodeDefinition, on?: string): TaxCodeResponse[] {
  const { rates, ...rest } = code;
  return rates
    .filter(
      (rate) =>
        on === undefined ||
        (rate.validFrom <= on && (rate.validTo === undefined || on <= rate.validTo)),
    )
    .map(({ ratePercent, validFrom, validTo }) => ({
      code: rest.code,
      name: rest.name,
      rate: ratePercent,
      kind: rest.kind,
      validFrom,
      ...(validTo === undefined ? {} : { validTo }),
      ...(rest.outputAccount === undefined ? {} : { outputAccount: rest.outputAccount }),
      ...(rest.inputAccount === undefined ? {} : { inputAccount: rest.inputAccount }),
      ...(rest.revenueAccount === undefined ? {} : { revenueAccount: rest.revenueAccount }),
      ...(rest.expenseAccount === undefined ? {} : { expenseAccount: rest.expenseAccount }),
      ...(rest.datevKey === undefined ? {} : { datevKey: rest.datevKey }),
      ...(rest.vatReturnField === undefined ? {} : { vatReturnField: rest.vatReturnField }),
    }));
}
