import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermission } from '../access/access.module.js';
import {
  ProjectionState,
  ProjectionStatus,
  ProjectionsService,
} from '../infrastructure/projections/index.js';

const statuses: ProjectionStatus[] = ['stopped', 'running', 'rebuilding', 'failed'];

export class ProjectionStateResponse {
  @ApiProperty({ description: 'Projection name', example: 'account-balances' })
  name!: string;

  @ApiProperty({
    description: 'Last log position applied and committed',
    type: 'integer',
    example: 1200,
  })
  position!: number;

  @ApiProperty({
    description: 'Events in the log not applied yet (head − position)',
    type: 'integer',
    example: 0,
  })
  lag!: number;

  @ApiProperty({
    description: 'stopped | running | rebuilding | failed (retried with backoff)',
    enum: statuses,
  })
  status!: ProjectionStatus;

  @ApiPropertyOptional({ description: 'The last error, while failed' })
  lastError?: string;
}

export class RebuildAcceptedResponse {
  @ApiProperty({ description: 'Projection name' })
  name!: string;

  @ApiProperty({ description: 'Status right after the request: rebuilding', enum: statuses })
  status!: ProjectionStatus;
}

@ApiTags('projections')
@Controller('v1/projections')
export class ProjectionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @RequirePermission('projections:read')
  @ApiOperation({ summary: 'Each read model with its checkpoint position, lag and status' })
  @ApiOkResponse({ type: [ProjectionStateResponse] })
  async list(): Promise<ProjectionStateResponse[]> {
    const states = await this.projections.states();
    return states.map(toResponse);
  }

  @Post(':name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequirePermission('projections:rebuild')
  @ApiOperation({ summary: 'Empties a read model and replays the log into it, in the background' })
  @ApiParam({ name: 'name', description: 'Projection name (see GET /v1/projections)' })
  @ApiAcceptedResponse({ type: RebuildAcceptedResponse })
  @ApiNotFoundResponse({ description: 'no projection of that name (problem+json `not-found`)' })
  rebuild(@Param('name') name: string): RebuildAcceptedResponse {
    const runner = this.projections.requestRebuild(name);
    return { name: runner.name, status: runner.currentStatus };
  }
}

function toResponse(state: ProjectionState): ProjectionStateResponse {
  return {
    name: state.name,
    position: Number(state.position),
    lag: Number(state.lag),
    status: state.status,
    ...(state.lastError !== undefined ? { lastError: state.lastError } : {}),
  };
}
