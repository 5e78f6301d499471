import { Controller, Get, Inject, Query } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermission } from '../../access/access.module.js';
import { Clock, EventStore, ValidationError, VerifyResult } from '../../event-sourcing/index.js';
import { IsOptional, IsString } from 'class-validator';
import { verifyDigest } from '../application/verify-digest.js';
import { parseDigest } from '../domain/digest.js';
import { CLOCK, EVENT_STORE } from '../../infrastructure/tokens.js';

export class DigestCheckResponse {
  @ApiProperty({ description: 'Position of the kept digest', type: 'integer' })
  position!: number;

  @ApiProperty({ description: 'The kept hash' })
  hash!: string;

  @ApiProperty({
    description: 'true when the chain up to that position recomputes and ends in that hash',
  })
  matches!: boolean;

  @ApiPropertyOptional({ description: 'Why it does not match' })
  reason?: string;
}

export class VerifyResponse {
  @ApiProperty({ description: 'true when every hash of the chain recomputes', example: true })
  ok!: boolean;

  @ApiProperty({ description: 'Events whose hash was recomputed', type: 'integer', example: 1200 })
  checkedEvents!: number;

  @ApiProperty({
    description: 'Position of the last event checked',
    type: 'integer',
    example: 1200,
  })
  headPosition!: number;

  @ApiProperty({
    description: 'Hash of that event (hex sha256); the genesis hash for an empty log',
  })
  headHash!: string;

  @ApiPropertyOptional({
    description: 'The first position whose stored hash does not match (only when ok is false)',
    type: 'integer',
  })
  firstBrokenPosition?: number;

  @ApiPropertyOptional({ description: 'What did not match (only when ok is false)' })
  reason?: string;

  @ApiPropertyOptional({
    description: 'The check of a kept digest (only with ?digest=)',
    type: DigestCheckResponse,
  })
  digest?: DigestCheckResponse;
}

export class VerifyQuery {
  @ApiPropertyOptional({
    description:
      'A kept digest `<hash>@<position>`: verify the log up to it and compare (then `ok` includes the match)',
  })
  @IsOptional()
  @IsString()
  digest?: string;
}

export class DigestResponse {
  @ApiProperty({
    description: 'Position of the last committed event',
    type: 'integer',
    example: 1200,
  })
  position!: number;

  @ApiProperty({
    description: 'Hash of that event: keep it; a later verify proves nothing up to here changed',
  })
  hash!: string;

  @ApiProperty({
    description: 'When the digest was taken (ISO 8601 UTC)',
    example: '2026-03-31T18:00:00.000Z',
  })
  at!: string;
}

@ApiTags('audit')
@Controller('v1/audit')
export class VerifyController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'Recomputes the hash chain of the whole log (tamper check), or up to a kept digest',
    description:
      'With `?digest=<hash>@<position>`: proves the log up to that position is unchanged (`ok` and `digest.matches`).',
  })
  @ApiOkResponse({ type: VerifyResponse })
  async verify(@Query() query: VerifyQuery): Promise<VerifyResponse> {
    if (query.digest === undefined) return toVerifyResponse(await this.store.verify());
    const digest = parseDigest(query.digest);
    if (!digest) {
      const message = 'must be <64 hex digits>@<position>, as GET /v1/audit/digest gave it';
      throw new ValidationError(`digest: ${message}`, [{ field: 'digest', message }]);
    }
    const checked = await verifyDigest(this.store, digest);
    return {
      ...toVerifyResponse(checked.verify),
      ok: checked.matches,
      digest: {
        position: Number(digest.position),
        hash: digest.hash,
        matches: checked.matches,
        ...(checked.reason !== undefined ? { reason: checked.reason } : {}),
      },
    };
  }

  @Get('digest')
  @RequirePermission('audit:read')
  @ApiOperation({
    summary: 'The current head of the hash chain, to keep as proof of the log up to it',
  })
  @ApiOkResponse({ type: DigestResponse })
  async digest(): Promise<DigestResponse> {
    const digest = await this.store.digest();
    return {
      position: Number(digest.position),
      hash: digest.hash,
      at: this.clock.now().toISOString(),
    };
  }
}

function toVerifyResponse(result: VerifyResult): VerifyResponse {
  return {
    ok: result.ok,
    checkedEvents: result.checkedEvents,
    headPosition: Number(result.headPosition),
    headHash: result.headHash,
    ...(result.firstBrokenPosition !== undefined
      ? { firstBrokenPosition: Number(result.firstBrokenPosition) }
      : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
  };
}
