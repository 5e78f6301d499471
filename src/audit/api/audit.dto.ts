import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsPosition } from '../../infrastructure/http/page-query.dto.js';
import { csvDialects, type CsvDialect } from '../../event-sourcing/csv/index.js';
import { auditExportFormats, type AuditExportFormat } from '../domain/audit-export-format.js';
import { auditPageLimitDefault, auditPageLimitMax } from '../projections/audit-trail.queries.js';

const nameLengthMax = 200;
const timeDescription =
  'ISO 8601 time with a zone (e.g. 2026-03-01T00:00:00Z) or a date (YYYY-MM-DD, UTC)';

const timeExpectation =
  'must be an ISO 8601 time with a zone (e.g. 2026-03-01T00:00:00Z) or a date YYYY-MM-DD';

/** The filters of `GET /v1/audit` and `GET /v1/audit/export`; given ones combine with AND. */
export class AuditFilterQuery {
  @ApiPropertyOptional({ description: 'Only events of this book', example: 'acme-gmbh' })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  book?: string;

  @ApiPropertyOptional({
    description: 'Only events caused by this actor: an API key id or the key holder’s name',
    example: 'alice',
  })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  actor?: string;

  @ApiPropertyOptional({ description: 'Only events of this type', example: 'JournalEntryPosted' })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  type?: string;

  @ApiPropertyOptional({ description: 'Only events of this stream', example: 'book-acme-gmbh' })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  stream?: string;

  @ApiPropertyOptional({
    description: 'Only events caused by the request with this X-Correlation-Id',
  })
  @IsOptional()
  @IsString()
  @Length(1, nameLengthMax)
  correlationId?: string;

  @ApiPropertyOptional({ description: `Recorded at or after (inclusive). ${timeDescription}` })
  @IsOptional()
  @IsString()
  @Length(10, 40, { message: timeExpectation })
  from?: string;

  @ApiPropertyOptional({
    description: `Recorded before (exclusive; a date includes that whole day). ${timeDescription}`,
  })
  @IsOptional()
  @IsString()
  @Length(10, 40, { message: timeExpectation })
  to?: string;
}

export class AuditQuery extends AuditFilterQuery {
  @ApiPropertyOptional({
    description: 'Page size',
    minimum: 1,
    maximum: auditPageLimitMax,
    default: auditPageLimitDefault,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(auditPageLimitMax)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page (opaque)' })
  @IsOptional()
  @IsPosition('cursor must be a cursor returned by this endpoint')
  cursor?: string;
}

export class AuditExportQuery extends AuditFilterQuery {
  @ApiProperty({ description: 'File format', enum: auditExportFormats })
  @IsIn(auditExportFormats as unknown as string[], { message: 'format must be csv or jsonl' })
  format!: AuditExportFormat;

  @ApiPropertyOptional({
    description:
      'CSV dialect: `standard` (RFC 4180, `,`, decimal point) or `de` (`;`, decimal comma, UTF-8 BOM)',
    enum: csvDialects,
    default: 'standard',
  })
  @IsOptional()
  @IsIn(csvDialects as unknown as string[], { message: 'dialect must be standard or de' })
  dialect?: CsvDialect;
}

export class AuditActorResponse {
  @ApiProperty({ description: 'API key id, or "system"' })
  id!: string;

  @ApiProperty({ description: 'Name of the key holder' })
  name!: string;
}

export class AuditEntryResponse {
  @ApiProperty({ description: 'Global log position', type: 'integer', example: 42 })
  position!: number | string;

  @ApiProperty({ description: 'When the store committed the event (ISO 8601 UTC)' })
  recordedAt!: string;

  @ApiProperty({ description: 'Event type', example: 'JournalEntryPosted' })
  type!: string;

  @ApiProperty({ description: 'Stream of the event', example: 'book-acme-gmbh' })
  streamId!: string;

  @ApiProperty({ description: 'The book it belongs to, if any', nullable: true, type: String })
  book!: string | null;

  @ApiProperty({ description: 'Who caused it', type: AuditActorResponse })
  actor!: AuditActorResponse;

  @ApiProperty({
    description: 'X-Correlation-Id of the request that caused it',
    nullable: true,
    type: String,
  })
  correlationId!: string | null;

  @ApiProperty({
    description:
      'Id of the event or request that caused it (e.g. the approval of an executed entry)',
    nullable: true,
    type: String,
  })
  causationId!: string | null;

  @ApiProperty({
    description: 'One line for people, e.g. "alice posted JE-1 1,200.00 EUR: Rent February"',
  })
  summary!: string;

  @ApiProperty({
    description: 'The event payload as recorded',
    type: 'object',
    additionalProperties: true,
  })
  data!: unknown;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse], description: 'Oldest first (newest last)' })
  items!: AuditEntryResponse[];

  @ApiProperty({
    description: 'Give it as `cursor` for the next page; null at the end',
    nullable: true,
    type: String,
  })
  nextCursor!: string | null;
}

export class AuditExportRecordResponse {
  @ApiProperty({ description: 'The export id (the `Kontor-Export-Id` header of the export)' })
  id!: string;

  @ApiProperty({
    description:
      'completed: the whole file was sent and its sha256 recorded; aborted: the reader went away (rowCount and sha256 cover what was produced); running: no end recorded yet',
    enum: ['running', 'completed', 'aborted'],
  })
  status!: string;

  @ApiProperty({ enum: auditExportFormats })
  format!: string;

  @ApiProperty({ description: 'CSV dialect; null for jsonl', nullable: true, type: String })
  dialect!: string | null;

  @ApiProperty({
    description: 'The filters as given',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  filter!: Record<string, string>;

  @ApiProperty({ description: 'The export reads entries up to this log position' })
  untilPosition!: string;

  @ApiProperty({ description: 'Data lines in the file', nullable: true, type: 'integer' })
  rowCount!: number | null;

  @ApiProperty({
    description: 'sha256 (hex) of the whole file as sent: `sha256sum FILE` shows the same',
    nullable: true,
    type: String,
  })
  sha256!: string | null;

  @ApiProperty({
    description: 'The book the export was restricted to',
    nullable: true,
    type: String,
  })
  book!: string | null;

  @ApiProperty({ type: AuditActorResponse })
  actor!: AuditActorResponse;

  @ApiProperty({ description: 'When the start was recorded (ISO 8601 UTC)' })
  startedAt!: string;

  @ApiProperty({ description: 'When the end was recorded', nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ description: 'Log position of AuditTrailExportStarted' })
  startedPosition!: string;

  @ApiProperty({ description: 'Log position of AuditTrailExported', nullable: true, type: String })
  finishedPosition!: string | null;
}
