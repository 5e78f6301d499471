import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { KontorConfig } from './config.js';

export async function startServer(config: KontorConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  console.log(`Kontor listening on http://${config.host}:${config.port} (store: ${config.store})`);
  return app;
}
