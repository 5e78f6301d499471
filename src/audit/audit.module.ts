import { Module } from '@nestjs/common';
import { VerifyController } from './api/verify.controller.js';

/**
 * The audit module. So far only `GET /v1/audit/verify` and `GET /v1/audit/digest` (straight
 * from the event store); the audit trail projection, its queries and exports join it here.
 */
@Module({ controllers: [VerifyController] })
export class AuditModule {}
