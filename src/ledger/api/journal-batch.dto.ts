import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Length } from 'class-validator';
import { idempotencyKeyLengthMax } from '../domain/book.rules.js';
import { fastBodyValidation } from '../../infrastructure/http/validation.js';
import { batchJournalEntrySchema } from './journal-entry.schema.js';
import { PostJournalEntryRequest } from './ledger-commands.request.dto.js';

/** At most this many entries in one batch request (API.md "Many entries at once"). */
export const batchEntriesMax = 1000;

/** One entry of a batch: the single route's body, with its own optional idempotency key. */
export class BatchJournalEntryRequest extends PostJournalEntryRequest {
  @ApiPropertyOptional({
    description:
      "This entry's Idempotency-Key: the same key and entry again answer with the original result (also across the single route)",
    maxLength: idempotencyKeyLengthMax,
  })
  @IsOptional()
  @IsString()
  @Length(1, idempotencyKeyLengthMax)
  idempotencyKey?: string;
}
fastBodyValidation(BatchJournalEntryRequest, batchJournalEntrySchema);

export class PostJournalEntriesBatchRequest {
  @ApiProperty({
    description: `1 to ${batchEntriesMax} entries, each the body of POST /v1/books/{book}/journal-entries (plus an optional idempotencyKey); each is validated and decided on its own`,
    type: [BatchJournalEntryRequest],
    minItems: 1,
    maxItems: batchEntriesMax,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(batchEntriesMax)
  entries!: unknown[];
}

export class BatchEntryResultResponse {
  @ApiProperty({ description: 'Index of the entry in the request', example: 0 })
  index!: number;

  @ApiProperty({
    description:
      '201 posted, 202 held for approval (see approvalId), 4xx refused (see problem): the status the single route would have answered',
    example: 201,
  })
  status!: number;

  @ApiPropertyOptional({ description: 'Entry id (posted, or the id it gets once approved)' })
  id?: string;

  @ApiPropertyOptional({
    description:
      'true: the idempotencyKey repeated an earlier post; nothing was posted, the original is answered',
  })
  repeated?: boolean;

  @ApiPropertyOptional({ description: 'The approval request of a held entry (202)' })
  approvalId?: string;

  @ApiPropertyOptional({
    description:
      'Position of the JournalEntryPosted event (201; the original one for a repeated key) or of the approval request (202)',
  })
  position?: number;

  @ApiPropertyOptional({
    description: 'RFC 9457 problem details of a refused entry, as the single route answers them',
    type: 'object',
    additionalProperties: true,
  })
  problem?: Record<string, unknown>;
}

export class JournalEntriesBatchResponse {
  @ApiProperty({ type: [BatchEntryResultResponse], description: 'One result per entry, in order' })
  results!: BatchEntryResultResponse[];

  @ApiProperty({
    description:
      'The highest position the batch wrote or answered with (pass as consistentWith); the head of the request when nothing was',
  })
  position!: number;
}
