import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger, Metrics } from '@cairn/common';
import { AppModule } from './app.module';
import { AppOptions } from './app-options';
import { observabilityMiddleware } from './observability.middleware';
import { InFlight } from './shutdown';
import { graphqlRequestGuard } from './graphql/request-guard.middleware';
import { graphqlResponseHeaders } from './graphql/response-headers.middleware';
import { transportSecurity } from './transport-security.middleware';

const inFlightByApp = new WeakMap<object, InFlight>();

/** The in-flight request counter of an app made by createApp (for graceful shutdown). */
export function inFlightOf(app: object): InFlight {
  const tracker = inFlightByApp.get(app);
  if (!tracker) throw new Error('not an app made by createApp');
  return tracker;
}

/** Builds the configured API application (not yet listening). Used by main.ts and by the end-to-end tests. */
export async function createApp(options: AppOptions, logger = new JsonLogger(options.config.logLevel)): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options, logger), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  const inFlight = new InFlight();
  inFlightByApp.set(app, inFlight);
  app.use(inFlight.middleware);
  app.use(observabilityMiddleware(logger, app.get(Metrics)));
  const hsts = transportSecurity(options.config.publicUrl);
  if (hsts) app.use(hsts);
  app.useBodyParser('json', { limit: options.config.maxBodyBytes, type: ['application/json', 'application/*+json'] });
  app.use('/graphql', graphqlResponseHeaders);
  app.use('/graphql', graphqlRequestGuard(options.config.limits.graphqlMaxQueryLength));
  app.disable('x-powered-by');
  // Express hashes every res.send body for an ETag (SHA-1 over the whole text: ~4 ms for a 4.5 MB export);
  // nothing here is cacheable across requests (GraphQL POSTs, tenant-specific answers), so no client can use one.
  app.set('etag', false);
  // No enableShutdownHooks(): main.ts drains requests on SIGTERM first (see shutdown.ts).
  return app;
}
