import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../access/access.module.js';
import { ClusterService } from '../infrastructure/cluster/index.js';

export class ClusterResponse {
  @ApiProperty({
    description: 'This instance (KONTOR_INSTANCE_ID, or generated at start)',
    example: 'kontor-1',
  })
  instanceId!: string;

  @ApiProperty({
    description: 'Whether this instance leads: runs projections, reactors and webhook delivery',
  })
  leader!: boolean;

  @ApiProperty({ description: 'The event store', enum: ['sqlite', 'postgres', 'kurrentdb'] })
  store!: string;

  @ApiProperty({
    description:
      'How the leader is chosen: one PostgreSQL advisory lock per schema, or a single instance (SQLite)',
    enum: ['postgres-advisory-lock', 'single-instance'],
  })
  election!: string;
}

@ApiTags('operations')
@Controller('v1/cluster')
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get()
  @RequirePermission('projections:read')
  @ApiOperation({ summary: 'This instance and whether it leads the cluster' })
  @ApiOkResponse({ type: ClusterResponse })
  state(): ClusterResponse {
    return this.cluster.state();
  }
}
