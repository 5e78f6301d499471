import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../access/index.js';
import { Clock, EventStore } from '../../event-sourcing/index.js';
import { CLOCK, EVENT_STORE } from '../../infrastructure/tokens.js';

export class VerifyResponse {
  @ApiProperty({ description: 'true when every hash of the chain recomputes', example: true })
  ok!: boolean;

  @ApiProperty({ description: 'Events whose hash was recomputed', type: 'integer', example: 1200 })
  checkedEvents!: number;

  @ApiProperty({ description: 'Position of the last event checked', type: 'integer', example: 1200 })
  headPosition!: number;

  @ApiProperty({ description: 'Hash of that event (hex sha256); the genesis hash for an empty log' })
  headHash!: string;

  @ApiPropertyOptional({ description: 'The first position whose stored hash does not match (only when ok is false)', type: 'integer' })
  firstBrokenPosition?: number;

  @ApiPropertyOptional({ description: 'What did not match (only when ok is false)' })
  reason?: string;
}

export class DigestResponse {
  @ApiProperty({ description: 'Position of the last committed event', type: 'integer', example: 1200 })
  position!: number;

  @ApiProperty({ description: 'Hash of that event: keep it; a later verify proves nothing up to here changed' })
  hash!: string;

  @ApiProperty({ description: 'When the digest was taken (ISO 8601 UTC)', example: '2026-03-31T18:00:00.000Z' })
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
  @ApiOperation({ summary: 'Recomputes the hash chain of the whole log (tamper check)' })
  @ApiOkResponse({ type: VerifyResponse })
  async verify(): Promise<VerifyResponse> {
    const result = await this.store.verify();
    return {
      ok: result.ok,
      checkedEvents: result.checkedEvents,
      headPosition: Number(result.headPosition),
      headHash: result.headHash,
      ...(result.firstBrokenPosition !== undefined ? { firstBrokenPosition: Number(result.firstBrokenPosition) } : {}),
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
    };
  }

  @Get('digest')
  @RequirePermission('audit:read')
  @ApiOperation({ summary: 'The current head of the hash chain, to keep as proof of the log up to it' })
  @ApiOkResponse({ type: DigestResponse })
  async digest(): Promise<DigestResponse> {
    const digest = await this.store.digest();
    return { position: Number(digest.position), hash: digest.hash, at: this.clock.now().toISOString() };
  }
}
