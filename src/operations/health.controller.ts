import { Controller, Get, Header, HttpCode, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/access.module.js';
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

  @ApiProperty({ description: 'Each readiness check', type: [ReadinessCheckResult] })
  checks!: ReadinessCheckResult[];
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
  @ApiOperation({ summary: 'Readiness: the event store answers and every registered check passes' })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({
    description: 'problem+json `not-ready` naming the failed checks',
  })
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    if (report.ready) {
      await reply.status(200).send({ status: 'ready', checks: report.checks });
      return;
    }
    const failed = report.checks
      .filter((check) => !check.ok)
      .map((check) => `${check.name}: ${check.reason ?? 'failed'}`);
    await reply
      .status(503)
      .header('content-type', `${problemContentType}; charset=utf-8`)
      .send({ ...problemDetails('not-ready', failed.join('; ')), checks: report.checks });
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
