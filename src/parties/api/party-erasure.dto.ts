import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { erasureReasonLengthMax } from '../domain/party-erasure.js';
import { PartyHistoryEntryResponse, PartySnapshotResponse } from './parties.response.dto.js';

export class ErasePartyRequest {
  @ApiProperty({
    description: 'Why (kept in the log, so no personal data here)',
    example: 'Art. 17 request of 2026-12-03, ticket 4711',
  })
  @IsString()
  @Length(1, erasureReasonLengthMax)
  reason!: string;
}

export class RetentionBasisResponse {
  @ApiProperty({ enum: ['invoices', 'bookings'] }) kind!: string;
  @ApiProperty({ description: 'The last record of this kind naming the party' }) lastDate!: string;
  @ApiProperty({ description: 'Kept until (end of year + 8 / 10 years, §147 AO)' })
  retainedUntil!: string;
}

export class ScheduledErasureResponse {
  @ApiProperty({ type: [String], example: ['name', 'address', 'iban'] }) fields!: string[];
  @ApiProperty({ example: '2036-12-31' }) retainedUntil!: string;
  @ApiProperty({ description: 'Erased automatically on this day', example: '2037-01-01' })
  erasableFrom!: string;
  @ApiProperty({ type: [RetentionBasisResponse] }) basis!: RetentionBasisResponse[];
}

export class ErasureResponse {
  @ApiProperty() partyId!: string;
  @ApiProperty() book!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [String], description: 'Erased now (their key is destroyed)' })
  erased!: string[];
  @ApiProperty({
    type: ScheduledErasureResponse,
    nullable: true,
    description: 'Fields a retention duty still covers; null: nothing kept',
  })
  scheduled!: ScheduledErasureResponse | null;
  @ApiPropertyOptional({ type: 'integer' }) position?: number;
}

export class PartyReferencesInvoiceResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) number!: string | null;
  @ApiProperty({ type: String, nullable: true }) issueDate!: string | null;
  @ApiProperty() status!: string;
}

export class PartyReferencesBookingResponse {
  @ApiProperty() entryId!: string;
  @ApiProperty() date!: string;
  @ApiProperty() account!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() debitMinor!: string;
  @ApiProperty() creditMinor!: string;
  @ApiProperty({ type: String, nullable: true }) memo!: string | null;
}

export class PersonalDataResponse {
  @ApiProperty({ description: 'When this report was made' }) generatedAt!: string;
  @ApiProperty({ type: PartySnapshotResponse }) party!: PartySnapshotResponse;
  @ApiProperty({ type: [PartyHistoryEntryResponse] }) history!: PartyHistoryEntryResponse[];
  @ApiProperty({ type: [PartyReferencesInvoiceResponse] })
  invoices!: PartyReferencesInvoiceResponse[];
  @ApiProperty({ type: [PartyReferencesBookingResponse] })
  bookings!: PartyReferencesBookingResponse[];
  @ApiProperty({ type: ErasureResponse, nullable: true }) erasure!: ErasureResponse | null;
  @ApiProperty({ description: 'How Kontor keeps the data (encryption, retention)' })
  processing!: string;
}
