import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../infrastructure/http/page-query.dto.js';
import { cityLengthMax, postalCodeLengthMax, streetLengthMax } from '../domain/address.js';
import { contactNameLengthMax, registrationLengthMax } from '../domain/company.js';
import {
  buyerReferenceLengthMax,
  emailLengthMax,
  partyKinds,
  partyNameLengthMax,
  paymentTermsDaysMax,
  phoneLengthMax,
  taxNumberLengthMax,
} from '../domain/party.js';
import {
  partiesLimitDefault,
  partiesLimitMax,
  partySearchLengthMax,
} from '../projections/parties-read-model.js';

/**
 * Request bodies and queries of the parties and company endpoints. class-validator checks types
 * and lengths; the domain then checks meaning (VAT id per country, IBAN checksum, number range,
 * postal codes) and names the fields it refuses.
 */

/** Room for spaces people type into IBANs and VAT ids; the domain checks the real length. */
const spacedIdLengthMax = 64;
const bicLengthMax = 16;
const numberTextLengthMax = 9;

export class PartyAddressRequest {
  @ApiProperty({ description: 'Street and house number (BT-35)', example: 'Hauptstraße 1' })
  @IsString()
  @Length(1, streetLengthMax)
  street!: string;

  @ApiProperty({ description: 'Postal code (BT-38)', example: '10115' })
  @IsString()
  @Length(1, postalCodeLengthMax)
  postalCode!: string;

  @ApiProperty({ description: 'City (BT-37)', example: 'Berlin' })
  @IsString()
  @Length(1, cityLengthMax)
  city!: string;

  @ApiProperty({ description: 'ISO 3166-1 alpha-2 country code (BT-40)', example: 'DE' })
  @IsString()
  @Length(2, 2)
  country!: string;
}

/** The fields a party and the company share; each is optional here. */
class ContactFields {
  @ApiPropertyOptional({
    description: 'VAT id (USt-IdNr.), format checked per country prefix',
    example: 'DE123456789',
  })
  @IsOptional()
  @IsString()
  @MaxLength(spacedIdLengthMax)
  vatId?: string | null;

  @ApiPropertyOptional({ description: 'Tax number (Steuernummer)', example: '143/123/45678' })
  @IsOptional()
  @IsString()
  @MaxLength(taxNumberLengthMax)
  taxNumber?: string | null;

  @ApiPropertyOptional({ description: 'Telephone', example: '+49 30 1234567' })
  @IsOptional()
  @IsString()
  @MaxLength(phoneLengthMax)
  phone?: string | null;

  @ApiPropertyOptional({
    description: 'IBAN (spaces allowed; checksum checked)',
    example: 'DE89 3704 0044 0532 0130 00',
  })
  @IsOptional()
  @IsString()
  @MaxLength(spacedIdLengthMax)
  iban?: string | null;

  @ApiPropertyOptional({ description: 'BIC (ISO 9362)', example: 'COBADEFFXXX' })
  @IsOptional()
  @IsString()
  @MaxLength(bicLengthMax)
  bic?: string | null;
}

class PartyFields extends ContactFields {
  @ApiPropertyOptional({ description: 'E-mail address', example: 'rechnung@example.de' })
  @IsOptional()
  @IsString()
  @MaxLength(emailLengthMax)
  email?: string | null;

  @ApiPropertyOptional({
    description: 'Buyer reference (BT-10); for German public buyers the Leitweg-ID',
    example: '991-12345-67',
  })
  @IsOptional()
  @IsString()
  @MaxLength(buyerReferenceLengthMax)
  buyerReference?: string | null;

  @ApiPropertyOptional({
    description:
      'A supplier’s usual expense account: incoming invoices booked without lines go to it',
    example: '4930',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  defaultExpenseAccount?: string | null;

  @ApiPropertyOptional({
    description: 'Payment terms in days (the due date of invoices)',
    example: 14,
    minimum: 0,
    maximum: paymentTermsDaysMax,
  })
  @IsOptional()
  @IsInt()
  paymentTermsDays?: number | null;
}

export class RegisterPartyRequest extends PartyFields {
  @ApiProperty({ enum: partyKinds, description: 'customer (Debitor) or supplier (Kreditor)' })
  @IsIn(partyKinds)
  kind!: (typeof partyKinds)[number];

  @ApiPropertyOptional({
    description:
      'Personal account number (customers 10000–69999, suppliers 70000–99999); the next free one when left out',
    example: '10001',
  })
  @IsOptional()
  @IsString()
  @Length(1, numberTextLengthMax)
  number?: string;

  @ApiProperty({ description: 'Name (BT-44 for a buyer)', example: 'Muster GmbH' })
  @IsString()
  @Length(1, partyNameLengthMax)
  name!: string;

  @ApiPropertyOptional({
    description: 'A natural person: name, address, e-mail, phone and IBAN are personal data',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  naturalPerson?: boolean;

  @ApiProperty({ type: PartyAddressRequest })
  @ValidateNested()
  @Type(() => PartyAddressRequest)
  address!: PartyAddressRequest;
}

/** PATCH: a merge patch; given fields replace, `null` removes an optional one. */
export class ChangePartyRequest extends PartyFields {
  @ApiPropertyOptional({ description: 'Name', example: 'Muster GmbH & Co. KG' })
  @IsOptional()
  @IsString()
  @Length(1, partyNameLengthMax)
  name?: string;

  @ApiPropertyOptional({ description: 'A natural person' })
  @IsOptional()
  @IsBoolean()
  naturalPerson?: boolean;

  @ApiPropertyOptional({ type: PartyAddressRequest, description: 'The whole new address' })
  @IsOptional()
  @ValidateNested()
  @Type(() => PartyAddressRequest)
  address?: PartyAddressRequest;
}

export class PartiesListQuery extends PageQuery({
  limitDefault: partiesLimitDefault,
  limitMax: partiesLimitMax,
  cursorLengthMax: 100,
}) {
  @ApiPropertyOptional({ enum: partyKinds, description: 'Only customers or only suppliers' })
  @IsOptional()
  @IsIn(partyKinds)
  kind?: (typeof partyKinds)[number];

  @ApiPropertyOptional({
    description: 'Case-insensitive part of the name, the number or the VAT id',
    example: 'muster',
  })
  @IsOptional()
  @IsString()
  @Length(1, partySearchLengthMax)
  q?: string;
}

export class CompanySettingsRequest extends ContactFields {
  @ApiProperty({ description: 'Legal name of the seller (BT-27)', example: 'ACME GmbH' })
  @IsString()
  @Length(1, partyNameLengthMax)
  name!: string;

  @ApiProperty({ type: PartyAddressRequest })
  @ValidateNested()
  @Type(() => PartyAddressRequest)
  address!: PartyAddressRequest;

  @ApiProperty({ description: 'Contact e-mail (BT-43) and electronic address (BT-34)' })
  @IsString()
  @MaxLength(emailLengthMax)
  email!: string;

  @ApiPropertyOptional({
    description: 'Register court and number (BT-30)',
    example: 'Amtsgericht München HRB 123456',
  })
  @IsOptional()
  @IsString()
  @MaxLength(registrationLengthMax)
  registration?: string;

  @ApiPropertyOptional({ description: 'Contact person (BT-41)', example: 'Erika Muster' })
  @IsOptional()
  @IsString()
  @MaxLength(contactNameLengthMax)
  contactName?: string;
}
