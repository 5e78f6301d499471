import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { ProblemsController } from './problems.controller.js';

/** Public operational routes: /health, /health/ready, /metrics, /problems/<slug>. */
@Module({ controllers: [HealthController, ProblemsController] })
export class OperationsModule {}
