import { Controller, Get, Header, HttpCode, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public, type KontorRequest } from '../access/access.module.js';
import { Metrics } from '../infrastructure/http/metrics.js';
import { problemContentType, problemDetails } from '../infrastructure/http/problems.js';
import { ReadinessRegistry } from '../infrastructure/http/readiness.js';

export class HealthResponse {
  @ApiProperty({ description: 'Always "ok" when the process answers', example: 'ok' })
  status!: 'ok';
}

export class ReadinessCheckResult {
  @ApiProperty({ description: 'Name of the check (event-store, projections, …)' })
  name!: string;

  @ApiProperty({ description: 'Whether the check passed' })
  ok!: boolean;

  @ApiProperty({ description: 'Why the check failed', required: false })
  reason?: string;
}

export class ReadinessResponse {
  @ApiProperty({ description: '"ready" when every check passed', example: 'ready' })
  status!: 'ready';

  @ApiProperty({
    description: 'Each readiness check (only for a caller with a valid API key)',
    type: [ReadinessCheckResult],
    required: false,
  })
  checks?: ReadinessCheckResult[];
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthResponse })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({
    summary: 'Readiness: the event store answers and every registered check passes',
    description:
      'Anonymous callers get the status only; a caller with a valid API key (any role) also gets each check and why it failed (which may name the database address).',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({
    description: 'problem+json `not-ready`; naming the failed checks for a caller with a valid key',
  })
  async ready(@Req() request: KontorRequest, @Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    const detailed = request.kontorActor !== undefined;
    if (report.ready) {
      await reply
        .status(200)
        .send(detailed ? { status: 'ready', checks: report.checks } : { status: 'ready' });
      return;
    }
    const failed = report.checks.filter((check) => !check.ok);
    const problem = detailed
      ? {
          ...problemDetails(
            'not-ready',
            failed.map((check) => `${check.name}: ${check.reason ?? 'failed'}`).join('; '),
          ),
          checks: report.checks,
        }
      : problemDetails(
          'not-ready',
          `failed: ${failed.map((check) => check.name).join(', ')}; send an API key to see why`,
        );
    await reply
      .status(503)
      .header('content-type', `${problemContentType}; charset=utf-8`)
      .send(problem);
  }

  @Get('metrics')
  @Public()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiOkResponse({
    description: 'Prometheus text format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    await reply.header('content-type', contentType).send(body);
  }
}
