import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { RequirePermission } from '../../access/access.module.js';
import { formatAmount, ValidationError } from '../../event-sourcing/index.js';
import { LedgerReports } from '../../ledger/ledger-read.module.js';
import { LedgerLookup, bookParam } from '../../ledger/ledger.module.js';
import {
  reconcileVatReturn,
  VatField,
  vatPeriodRange,
  vatReturnFigures,
} from '../domain/vat-return.js';

export class VatReturnQuery {
  @ApiPropertyOptional({ description: 'A month YYYY-MM or a quarter YYYY-Qn', example: '2026-Q1' })
  @IsOptional()
  @IsString()
  period?: string;
}

export class VatFieldResponse {
  @ApiPropertyOptional({
    description: 'Bemessungsgrundlage (exact; ELSTER takes whole euros)',
    example: '1000.00',
  })
  base?: string;

  @ApiPropertyOptional({ description: 'Steuer', example: '190.00' })
  tax?: string;
}

export class VatReconciliationResponse {
  @ApiProperty({
    description: 'Output − input tax as the VAT accounts moved in the period',
    example: '150.00',
  })
  booked!: string;

  @ApiProperty({ description: 'Field 83', example: '150.00' })
  declared!: string;

  @ApiProperty({ example: '0.00' })
  difference!: string;

  @ApiProperty()
  agrees!: boolean;

  @ApiProperty({ type: [String], example: ['1776', '1771'] })
  outputAccounts!: string[];

  @ApiProperty({ type: [String], example: ['1576', '1571'] })
  inputAccounts!: string[];
}

export class VatReturnResponse {
  @ApiProperty({ example: '2026-Q1' })
  period!: string;

  @ApiProperty({ example: '2026-01-01' })
  from!: string;

  @ApiProperty({ example: '2026-03-31' })
  to!: string;

  @ApiProperty({
    description: 'The book’s base currency: the return counts its lines only',
    example: 'EUR',
  })
  currency!: string;

  @ApiProperty({
    description: 'Kennzahlen of form USt 1 A with amounts (docs/compliance.md)',
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(VatFieldResponse) },
    example: {
      '81': { base: '1000.00', tax: '190.00' },
      '66': { tax: '40.00' },
      '83': { tax: '150.00' },
    },
  })
  fields!: Record<string, VatFieldResponse>;

  @ApiProperty({ type: VatReconciliationResponse })
  reconciliation!: VatReconciliationResponse;

  @ApiProperty({
    type: [String],
    description:
      'Tax codes on lines of the period that are not valid on the line’s date (not counted)',
  })
  unknownTaxCodes!: string[];

  @ApiProperty({
    type: [String],
    description:
      'Currencies other than the base one with tax-coded lines in the period: not in the figures (convert them on posting, § 16 Abs. 6 UStG)',
  })
  otherCurrencies!: string[];
}

/** The VAT return figures (API.md "Compliance reports and exports"), from the ledger read model. */
@ApiTags('compliance')
@ApiExtraModels(VatFieldResponse)
@Controller('v1/books')
export class VatReturnController {
  constructor(
    private readonly reports: LedgerReports,
    private readonly ledger: LedgerLookup,
  ) {}

  @Get(':book/reports/vat-return')
  @RequirePermission('ledger:read')
  @ApiOperation({
    summary:
      'UStVA figures of a month or quarter from the tax codes of the postings, reconciled with the VAT accounts',
  })
  @ApiParam({ name: 'book', description: 'Book id' })
  @ApiOkResponse({ type: VatReturnResponse })
  @ApiBadRequestResponse({ description: 'period missing or not YYYY-MM / YYYY-Qn (`validation`)' })
  @ApiNotFoundResponse({ description: 'no such book (problem+json `not-found`)' })
  async vatReturn(
    @Param('book') book: string,
    @Query() query: VatReturnQuery,
  ): Promise<VatReturnResponse> {
    const bookId = bookParam(book);
    const period = query.period ?? '';
    const range = vatPeriodRange(period);
    if (range === undefined)
      throw new ValidationError('Invalid query', [
        {
          field: 'period',
          message: 'must be a month YYYY-MM or a quarter YYYY-Qn, e.g. 2026-03 or 2026-Q1',
        },
      ]);
    const codes = await this.ledger.taxCodesOf(bookId);
    const { currency, taxedLines, otherCurrencies, movements } = await this.reports.vatReturnInputs(
      bookId,
      range,
    );
    const figures = vatReturnFigures(taxedLines, codes);
    const reconciliation = reconcileVatReturn(figures, codes, movements);
    const amount = (minor: bigint) => formatAmount(minor, currency);
    const field = ({ baseMinor, taxMinor }: VatField): VatFieldResponse => ({
      ...(baseMinor === undefined ? {} : { base: amount(baseMinor) }),
      ...(taxMinor === undefined ? {} : { tax: amount(taxMinor) }),
    });
    const sorted = [...figures.fields.entries()].sort(([a], [b]) => Number(a) - Number(b));
    return {
      period,
      ...range,
      currency,
      fields: Object.fromEntries(sorted.map(([kz, value]) => [kz, field(value)])),
      reconciliation: {
        booked: amount(reconciliation.bookedMinor),
        declared: amount(reconciliation.declaredMinor),
        difference: amount(reconciliation.differenceMinor),
        agrees: reconciliation.agrees,
        outputAccounts: reconciliation.outputAccounts,
        inputAccounts: reconciliation.inputAccounts,
      },
      unknownTaxCodes: figures.unknownCodes,
      otherCurrencies,
    };
  }
}
