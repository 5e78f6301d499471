import { Injectable, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { auditTrailProjection } from './audit-trail.projection.js';

/** Registers the audit trail with the app's projections (its runner starts with the others). */
@Injectable()
export class AuditTrailRegistration implements OnModuleInit {
  constructor(private readonly projections: ProjectionsService) {}

  onModuleInit(): void {
    this.projections.register(auditTrailProjection);
  }
}
