import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger, Metrics } from '@cairn/common';
import { AppModule } from './app.module';
import { AppOptions } from './app-options';
import { observabilityMiddleware } from './observability.middleware';

/** Builds the configured API application (not yet listening). Used by main.ts and by the end-to-end tests. */
export async function createApp(options: AppOptions, logger = new JsonLogger(options.config.logLevel)): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options, logger), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  app.use(observabilityMiddleware(logger, app.get(Metrics)));
  app.useBodyParser('json', { limit: '25mb', type: ['application/json', 'application/*+json'] });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  return app;
}
