import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { ApprovalStreamController } from './api/approval-stream.controller.js';
import { ConsoleController } from './api/console.controller.js';

/**
 * The web console (docs/console.md): static files, and the inbox's live feed. Everything it
 * shows or does goes through the HTTP API; its sign-in lives in the access module (ADR 0018).
 */
@Module({
  imports: [SubscriptionsModule],
  controllers: [ConsoleController, ApprovalStreamController],
})
export class ConsoleModule {}
