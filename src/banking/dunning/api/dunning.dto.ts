import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDate } from '../../api/banking.dto.js';
import { dunningLevelMax } from '../domain/dunning.js';
import { baseRatesMax, dunningDaysMax } from '../domain/dunning-settings.js';

export class ProposeDunningRunRequest {
  @ApiProperty({
    description: 'The run’s date: what is overdue then, interest up to it',
    example: '2027-03-31',
  })
  @IsDate()
  asOf!: string;
}

export class BaseRateRequest {
  @ApiProperty({ example: '2025-07-01' })
  @IsDate()
  validFrom!: string;

  @ApiProperty({ description: 'Basiszinssatz in percent (may be negative)', example: '1.27' })
  @IsString()
  @Length(1, 10)
  rate!: string;
}

export class DunningSettingsRequest {
  @ApiProperty({
    description: 'Fee per level 1–3 (decimal strings)',
    example: ['0.00', '5.00', '10.00'],
  })
  @IsArray()
  @ArrayMinSize(dunningLevelMax)
  @ArrayMaxSize(dunningLevelMax)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  fees!: string[];

  @ApiPropertyOptional({
    type: [BaseRateRequest],
    description: 'Base rates in date order; absent: the built-in Bundesbank rates',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(baseRatesMax)
  @ValidateNested({ each: true })
  @Type(() => BaseRateRequest)
  baseRates?: BaseRateRequest[];

  @ApiPropertyOptional({
    description: 'Days between two notices to a customer (default 14)',
    example: 14,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(dunningDaysMax)
  intervalDays?: number;

  @ApiPropertyOptional({
    description: 'Days overdue before a first notice (default 0)',
    example: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(dunningDaysMax)
  graceDays?: number;

  @ApiPropertyOptional({
    description: 'Receivables account, when the chart names none',
    example: '1400',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  receivablesAccount?: string;

  @ApiPropertyOptional({
    description: 'Dunning fee income account, when the chart names none',
    example: '2650',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  feesAccount?: string;

  @ApiPropertyOptional({
    description: 'Interest income account, when the chart names none',
    example: '2650',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  interestAccount?: string;
}

export class DunningNoticeItemResponse {
  @ApiProperty() invoice!: string;
  @ApiPropertyOptional() number?: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty() openAmount!: string;
  @ApiProperty() daysOverdue!: number;
  @ApiProperty() interest!: string;
}

export class DunningNoticeResponse {
  @ApiProperty() party!: string;
  @ApiProperty({ minimum: 1, maximum: dunningLevelMax }) level!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() openAmount!: string;
  @ApiProperty() fee!: string;
  @ApiProperty({ description: '§288 BGB default interest up to asOf' }) interest!: string;
  @ApiProperty({ description: 'Points over the base rate: 5 (consumer) or 9 (business)' })
  interestPoints!: number;
  @ApiProperty({ type: [DunningNoticeItemResponse] }) items!: DunningNoticeItemResponse[];
}

export class DunningRunResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['proposed', 'confirmed'] }) status!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ type: [DunningNoticeResponse] }) notices!: DunningNoticeResponse[];
  @ApiPropertyOptional() entryId?: string;
  @ApiPropertyOptional({ description: 'Global log position of the write' }) position?: number;
}

export class DunningRunsResponse {
  @ApiProperty({ type: [DunningRunResponse] }) items!: DunningRunResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class DunningSettingsResponse {
  @ApiProperty() fees!: string[];
  @ApiProperty({ type: [BaseRateRequest] }) baseRates!: BaseRateRequest[];
  @ApiProperty() intervalDays!: number;
  @ApiProperty() graceDays!: number;
  @ApiPropertyOptional() receivablesAccount?: string;
  @ApiPropertyOptional() feesAccount?: string;
  @ApiPropertyOptional() interestAccount?: string;
  @ApiPropertyOptional() position?: number;
}
