import { Module } from '@nestjs/common';
import { ConsoleController } from './api/console.controller.js';

/** The web console (docs/console.md): static files only; everything it shows or does goes through the HTTP API. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
