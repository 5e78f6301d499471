import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { accountTypes } from '../domain/book.events.js';
import { chartIds } from '../domain/charts.js';
import {
  accountCodeLengthMax,
  accountNameLengthMax,
  bookIdLengthMax,
  bookNameLengthMax,
  reopenReasonLengthMax,
} from '../domain/book.rules.js';
import {
  descriptionLengthMax,
  linesMax,
  linesMin,
  memoLengthMax,
  partyLengthMax,
  referenceLengthMax,
  taxCodeLengthMax,
} from '../domain/journal-entry.rules.js';
import { amountTextLengthMax, postJournalEntrySchema } from './journal-entry.schema.js';
import { fastBodyValidation } from '../../infrastructure/http/validation.js';

/**
 * Request bodies of the ledger's write endpoints. class-validator checks types and lengths (a
 * JSON number where an amount string belongs is a 400 here); the book decider then checks what
 * depends on the book (amount digits per currency, calendar dates, balance), naming fields as
 * `lines[1].debit`.
 */

const currencyCodeLength = 3;
const dateTextLength = 'YYYY-MM-DD'.length;

export class OpenBookRequest {
  @ApiProperty({
    description:
      'Book id: letters, digits, ".", "_", "-"; appears in URLs and the stream id `book-<id>`',
    example: 'acme-gmbh',
    maxLength: bookIdLengthMax,
  })
  @IsString()
  @Length(1, bookIdLengthMax)
  id!: string;

  @ApiProperty({
    description: 'Name of the legal entity',
    example: 'ACME GmbH',
    maxLength: bookNameLengthMax,
  })
  @IsString()
  @Length(1, bookNameLengthMax)
  name!: string;

  @ApiProperty({
    description: 'ISO 4217 base currency; lines without a currency are in it',
    example: 'EUR',
    minLength: 3,
    maxLength: 3,
  })
  @IsString()
  @Length(currencyCodeLength, currencyCodeLength)
  baseCurrency!: string;

  @ApiPropertyOptional({
    description: 'Month (1–12) the fiscal year starts in; default 1',
    example: 1,
    minimum: 1,
    maximum: 12,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  fiscalYearStartMonth?: number;

  @ApiPropertyOptional({
    description:
      "Open the book with this chart's accounts (German names, DATEV numbers), control accounts and tax codes (GET /v1/books/{book}/tax-codes); without it the book starts empty",
    enum: chartIds,
    example: 'skr03',
  })
  @IsOptional()
  @IsIn(chartIds)
  chart?: string;
}

/** An IBAN has at most 34 characters; print format adds a space every four. */
const ibanTextLengthMax = 42;

export class OpenAccountRequest {
  @ApiProperty({
    description: 'Account code, unique in the book: letters, digits, ".", "_", "-"',
    example: '1200',
    maxLength: accountCodeLengthMax,
  })
  @IsString()
  @Length(1, accountCodeLengthMax)
  code!: string;

  @ApiProperty({ description: 'Account name', example: 'Bank', maxLength: accountNameLengthMax })
  @IsString()
  @Length(1, accountNameLengthMax)
  name!: string;

  @ApiProperty({
    description: 'Account type (tells the sign of its balance)',
    enum: accountTypes,
    example: 'asset',
  })
  @IsIn(accountTypes)
  type!: string;

  @ApiPropertyOptional({
    description: 'When set, the account takes postings in this ISO 4217 currency only',
    example: 'EUR',
  })
  @IsOptional()
  @IsString()
  @Length(currencyCodeLength, currencyCodeLength)
  currency?: string;

  @ApiPropertyOptional({
    description: 'Code of an existing open parent account (grouping in reports)',
    example: '1000',
    maxLength: accountCodeLengthMax,
  })
  @IsOptional()
  @IsString()
  @Length(1, accountCodeLengthMax)
  parent?: string;

  @ApiPropertyOptional({
    description:
      'The bank account’s IBAN (asset accounts only), unique in the book: bank statements find their account by it',
    example: 'DE02 1203 0000 0000 2020 51',
    maxLength: ibanTextLengthMax,
  })
  @IsOptional()
  @IsString()
  @Length(1, ibanTextLengthMax)
  iban?: string;
}

/** PATCH of an account: its IBAN, or null to remove it (the field is required). */
export class ChangeAccountIbanRequest {
  @ApiProperty({
    description:
      'The bank account’s IBAN (asset accounts only), unique in the book, in print or electronic format; null removes it',
    example: 'DE02 1203 0000 0000 2020 51',
    type: String,
    nullable: true,
    maxLength: ibanTextLengthMax,
  })
  @ValidateIf((body: ChangeAccountIbanRequest) => body.iban !== null)
  @IsString()
  @Length(1, ibanTextLengthMax)
  iban!: string | null;
}

/** The DTO knows no currency yet; the decider then says how many decimals the line's currency has. */
const amountTextMessage = 'must be a decimal string like "1200.00" (a JSON string, never a number)';
const amountTextLengthMessage = `must be a decimal string like "1200.00" of at most ${amountTextLengthMax} characters`;

export class JournalLineRequest {
  @ApiProperty({ description: 'Account code', example: '6310', maxLength: accountCodeLengthMax })
  @IsString()
  @Length(1, accountCodeLengthMax)
  account!: string;

  @ApiPropertyOptional({
    description:
      "Debit amount, a positive decimal string with at most the currency's minor digits (never a JSON number). Exactly one of debit/credit.",
    example: '1200.00',
  })
  @IsOptional()
  @IsString({ message: amountTextMessage })
  @MaxLength(amountTextLengthMax, { message: amountTextLengthMessage })
  debit?: string;

  @ApiPropertyOptional({
    description:
      "Credit amount, a positive decimal string with at most the currency's minor digits (never a JSON number). Exactly one of debit/credit.",
  })
  @IsOptional()
  @IsString({ message: amountTextMessage })
  @MaxLength(amountTextLengthMax, { message: amountTextLengthMessage })
  credit?: string;

  @ApiPropertyOptional({
    description: "ISO 4217 currency of the line; defaults to the book's base currency",
    example: 'EUR',
  })
  @IsOptional()
  @IsString()
  @Length(currencyCodeLength, currencyCodeLength)
  currency?: string;

  @ApiPropertyOptional({
    description: 'Note on the line',
    example: 'March',
    maxLength: memoLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(memoLengthMax)
  memo?: string;

  @ApiPropertyOptional({
    description:
      'Tax code of the book (GET /v1/books/{book}/tax-codes) valid on the entry date: the line is a tax base (or the tax) of that code',
    example: 'USt19',
    maxLength: taxCodeLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(taxCodeLengthMax)
  taxCode?: string;

  @ApiPropertyOptional({
    description: 'Party id (customer, supplier): the personal account of the line',
    maxLength: partyLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(partyLengthMax)
  party?: string;
}

export class PostJournalEntryRequest {
  @ApiProperty({
    description: 'Accounting date YYYY-MM-DD; its period must be open',
    example: '2026-03-31',
  })
  @IsString()
  @Length(dateTextLength, dateTextLength)
  effectiveDate!: string;

  @ApiProperty({
    description: 'What the entry records',
    example: 'Office rent March',
    maxLength: descriptionLengthMax,
  })
  @IsString()
  @Length(1, descriptionLengthMax)
  description!: string;

  @ApiPropertyOptional({
    description: 'External reference (invoice number, …)',
    example: 'INV-4711',
    maxLength: referenceLengthMax,
  })
  @IsOptional()
  @IsString()
  @MaxLength(referenceLengthMax)
  reference?: string;

  @ApiProperty({
    description: `${linesMin} to ${linesMax} lines; debits equal credits per currency`,
    type: [JournalLineRequest],
    example: [
      { account: '6310', debit: '1200.00', memo: 'March' },
      { account: '1200', credit: '1200.00' },
    ],
    minItems: linesMin,
    maxItems: linesMax,
  })
  @IsArray()
  @ArrayMinSize(linesMin)
  @ArrayMaxSize(linesMax)
  @ValidateNested({ each: true })
  @Type(() => JournalLineRequest)
  lines!: JournalLineRequest[];

  @ApiPropertyOptional({
    description: 'Flat key/value metadata (strings, finite numbers, booleans, null)',
    example: { costCenter: 'HQ' },
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string | number | boolean | null>;

  @ApiPropertyOptional({
    description:
      'Ids of documents (Belege) in the book’s vault (POST …/documents) the entry is booked from; an unknown id: 422',
    type: [String],
    example: ['sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    maxItems: 20,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(71, 71, { each: true })
  documents?: string[];

  @ApiPropertyOptional({
    description:
      '`auto`: the lines with a taxCode are net tax bases; Kontor adds the tax lines (per tax code and side, tax on the sum of the bases, rounded half away from zero) to the output/input accounts of the codes, so the entry balances with its gross counter line',
    enum: ['auto'],
  })
  @IsOptional()
  @IsIn(['auto'])
  tax?: 'auto';
}
fastBodyValidation(PostJournalEntryRequest, postJournalEntrySchema);

export class ReverseJournalEntryRequest {
  @ApiProperty({
    description: "Why the entry is reversed; becomes the reversal's description",
    example: 'Posted to the wrong account',
    maxLength: descriptionLengthMax,
  })
  @IsString()
  @Length(1, descriptionLengthMax)
  reason!: string;

  @ApiPropertyOptional({
    description: "Accounting date of the reversal YYYY-MM-DD; defaults to the original's",
    example: '2026-04-01',
  })
  @IsOptional()
  @IsString()
  @Length(dateTextLength, dateTextLength)
  effectiveDate?: string;
}

export class ReopenPeriodRequest {
  @ApiProperty({
    description: 'Why the closed period is reopened (kept in the log)',
    example: 'Late supplier invoice',
    maxLength: reopenReasonLengthMax,
  })
  @IsString()
  @Length(1, reopenReasonLengthMax)
  reason!: string;
}
