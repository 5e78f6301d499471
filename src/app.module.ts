import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthController } from './infrastructure/http/health.controller.js';

@Module({
  imports: [CqrsModule.forRoot()],
  controllers: [HealthController],
})
export class AppModule {}
