import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { partyKinds } from '../domain/party.js';

/** The OpenAPI shapes of the parties and company answers. */

export class PartyAddressResponse {
  @ApiProperty() street!: string;
  @ApiProperty() postalCode!: string;
  @ApiProperty() city!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2' }) country!: string;
}

class ContactResponseFields {
  @ApiPropertyOptional() vatId?: string;
  @ApiPropertyOptional() taxNumber?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional({ description: 'Electronic format (no spaces)' }) iban?: string;
  @ApiPropertyOptional() bic?: string;
}

export class PartySnapshotResponse extends ContactResponseFields {
  @ApiProperty({ description: 'Party id' }) id!: string;
  @ApiProperty({ description: 'Book id' }) book!: string;
  @ApiProperty({ enum: partyKinds }) kind!: string;
  @ApiProperty({ description: 'Personal account number', example: '10001' }) number!: string;
  @ApiProperty() name!: string;
  @ApiProperty() naturalPerson!: boolean;
  @ApiProperty({ type: PartyAddressResponse }) address!: PartyAddressResponse;
  @ApiPropertyOptional({ description: 'Buyer reference / Leitweg-ID' }) buyerReference?: string;
  @ApiPropertyOptional({ description: 'Default expense account of a supplier' })
  defaultExpenseAccount?: string;
  @ApiPropertyOptional({ type: 'integer' }) paymentTermsDays?: number;
}

export class PartyListItemResponse extends PartySnapshotResponse {
  @ApiProperty({ type: 'integer', description: 'Master-data versions so far (1: as registered)' })
  version!: number;

  @ApiProperty({ description: 'When it was registered (ISO 8601 UTC)' }) registeredAt!: string;
  @ApiProperty({ description: 'When its master data last changed' }) updatedAt!: string;
}

export class PartyResponse extends PartyListItemResponse {
  @ApiProperty({ type: 'integer', description: "Log position of the party's last event" })
  position!: number;
}

export class PartiesPageResponse {
  @ApiProperty({ type: [PartyListItemResponse] }) items!: PartyListItemResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class PartyActorResponse {
  @ApiProperty({ description: 'API key id' }) id!: string;
  @ApiProperty({ description: 'Key holder name' }) name!: string;
}

export class PartyHistoryEntryResponse {
  @ApiProperty({ enum: ['PartyRegistered', 'PartyChanged'] }) type!: string;
  @ApiProperty({ description: 'When (ISO 8601 UTC)' }) at!: string;
  @ApiProperty({ type: PartyActorResponse }) by!: PartyActorResponse;
  @ApiProperty({ type: [String], description: 'Fields changed (empty for the registration)' })
  changed!: string[];
  @ApiProperty({ type: PartySnapshotResponse, description: 'The master data from then on' })
  party!: PartySnapshotResponse;
  @ApiProperty({ type: 'integer' }) position!: number;
}

export class PartyHistoryResponse {
  @ApiProperty({ type: [PartyHistoryEntryResponse], description: 'Oldest first' })
  items!: PartyHistoryEntryResponse[];
}

export class MissingSellerFieldResponse {
  @ApiProperty({ example: 'contactName' }) field!: string;
  @ApiProperty({ type: [String], example: ['BR-DE-5'] }) rules!: string[];
  @ApiProperty() message!: string;
}

export class CompanySettingsResponse extends ContactResponseFields {
  @ApiProperty({ description: 'Book id' }) book!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: PartyAddressResponse }) address!: PartyAddressResponse;
  @ApiPropertyOptional() registration?: string;
  @ApiPropertyOptional() contactName?: string;

  @ApiProperty({
    type: [MissingSellerFieldResponse],
    description:
      'What EN 16931 / XRechnung still need of the seller; empty: invoices can be issued',
  })
  missingSellerFields!: MissingSellerFieldResponse[];

  @ApiProperty({ description: 'When it was last set' }) updatedAt!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
}
