import { Module } from '@nestjs/common';
import { ClusterController } from './cluster.controller.js';
import { HealthController } from './health.controller.js';
import { ProblemsController } from './problems.controller.js';
import { ProjectionsController } from './projections.controller.js';

/**
 * The operator's HTTP routes: /health, /health/ready, /metrics and /problems/<slug> (public),
 * /v1/cluster and /v1/projections (permission-checked). They sit above infrastructure (which
 * imports no module) because they use the access module's route decorators.
 */
@Module({
  controllers: [HealthController, ProblemsController, ClusterController, ProjectionsController],
})
export class OperationsModule {}
