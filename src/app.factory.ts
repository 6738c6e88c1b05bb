import { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger as Pino } from 'pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { configureHttp, createFastifyAdapter } from './http';

export type SwayApp = NestFastifyApplication | INestApplicationContext;

/** Builds the process for a ROLE exactly as production does; the e2e harness calls this too. */
export async function createSwayApp(config: AppConfig, logger: LoggerService, pino: Pino): Promise<SwayApp> {
  const module = AppModule.forRoot(config);
  if (config.role === 'worker') {
    const ctx = await NestFactory.createApplicationContext(module, { logger });
    await ctx.init();
    return ctx;
  }
  const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(config), {
    logger,
    abortOnError: false,
    // Webhook signatures are computed over the exact bytes received (req.rawBody).
    rawBody: true,
  });
  await configureHttp(app, config, pino);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
