import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { ConfigError, JsonLogger, loadRuntimeConfig, type CairnConfig } from '@cairn/common';
import { prepareDatabase, resolveDatabase } from '@cairn/database';
import { createApp, inFlightOf } from './create-app';
import { gracefulShutdown } from './shutdown';
import { demoSignInHint } from '@cairn/demo';
import { loadStartUpData } from './start-up-data';
import { listen } from './listen';
import { isApiWorker, startWorkers, type Workers } from './workers';

async function main(): Promise<void> {
  let config;
  try {
    config = loadRuntimeConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = new JsonLogger(config.logLevel);
  const log = (line: string) => logger.log(line, 'Bootstrap');

  // An API worker (API_WORKERS > 1): the starting process has prepared the database.
  if (isApiWorker()) return serve(config, config.databaseAppUrl!, logger, async () => undefined);

  const database = await resolveDatabase(config, log, { callerHandlesStopSignals: true });
  await prepareDatabase(database.url, database.appUrl, config.databaseTrustKey, log);
  const app = await createApp({ config, appDatabaseUrl: database.appUrl, connectDatabase: true }, logger);
  await loadStartUpData(app, config, database.url, log);

  if (config.apiWorkers === 1) {
    await serve(config, database.appUrl, logger, database.stop, app);
  } else {
    await app.close();
    // The workers get this process's secrets and database, and neither start nor seed one.
    let workers: Workers;
    try {
      workers = await startWorkers(
        config.apiWorkers,
        {
          DATABASE_URL: database.url,
          DATABASE_APP_URL: database.appUrl,
          SEED_DEMO: 'false',
          JWT_SECRET: config.auth.jwtSecret,
          IDENTIFIER_HMAC_SECRET: config.identifierHmacSecret,
          CURSOR_SECRET: config.cursorSecret,
        },
        log,
      );
    } catch (err) {
      await database.stop();
      throw err;
    }
    onStopSignal(async () => {
      log('shutting down: each API worker drains its requests in flight');
      await workers.stop();
      await database.stop();
    });
  }

  const base = config.publicUrl;
  process.stdout.write(
    [
      '',
      `Cairn is running${database.embedded ? ' on the embedded PostgreSQL (data in ' + config.embeddedPg.dataDir + ')' : ''}.`,
      `  Web console                  ${base}/`,
      `  GraphQL (browser: GraphiQL)  ${base}/graphql`,
      `  GraphQL subscriptions        ${base.replace(/^http/, 'ws')}/graphql  (graphql-ws)`,
      `  TAXII 2.1 discovery          ${base}/taxii2/`,
      `  Health                       ${base}/health`,
      `  Metrics (Prometheus)         ${metricsWhere(config)}`,
      '',
      ...(config.seedDemo ? [...demoSignInHint({ seed: config.demoSeed, scale: config.demoScale }), ''] : []),
    ].join('\n') + '\n',
  );
}

/** Listens (a worker: on the port its primary shares), and on SIGTERM or SIGINT drains, closes the app, then stops the database. */
async function serve(
  config: CairnConfig,
  appDatabaseUrl: string,
  logger: JsonLogger,
  stopDatabase: () => Promise<void>,
  app?: INestApplication,
): Promise<void> {
  const log = (line: string) => logger.log(line, 'Bootstrap');
  const api = app ?? (await createApp({ config, appDatabaseUrl, connectDatabase: true }, logger));
  try {
    await listen(api, config.host, config.port);
  } catch (err) {
    await api.close();
    await stopDatabase();
    throw err;
  }
  onStopSignal(async () => {
    log('shutting down: draining requests in flight');
    const { drained } = await gracefulShutdown(api, inFlightOf(api), 15_000);
    log(drained ? 'all requests finished; stopped' : 'stopped with requests still in flight after 15 s');
    await stopDatabase();
  });
}

/**
 * On SIGINT or SIGTERM, runs `stop` — once, though both may come (Ctrl-C reaches the workers and
 * their primary, which then sends SIGTERM) — and exits.
 */
function onStopSignal(stop: () => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  const shutdown = () => void (stopping ??= stop()).finally(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`Cairn failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/** Where /metrics is served, for the banner (README "Observability"). */
function metricsWhere(config: CairnConfig): string {
  const { port, host, token, onPublicPort } = config.metrics;
  const auth = token ? '  (needs METRICS_TOKEN)' : '';
  if (port !== undefined) return `http://${host}:${port}/metrics${auth}`;
  return onPublicPort ? `${config.publicUrl}/metrics${auth}` : 'not served (production: set METRICS_TOKEN or METRICS_PORT)';
}
