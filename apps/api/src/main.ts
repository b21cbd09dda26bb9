import 'reflect-metadata';
import { ConfigError, JsonLogger, loadRuntimeConfig } from '@cairn/common';
import { analyze, migrate, resolveDatabase } from '@cairn/database';
import { SightingsService } from '@cairn/sightings';
import { createApp, inFlightOf } from './create-app';
import { gracefulShutdown } from './shutdown';
import { demoSignInHint, seedDemoIfEmpty } from './demo/demo-seeder';
import { listen } from './listen';

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

  const database = await resolveDatabase(config, log);
  await migrate(database.url, log);
  const app = await createApp({ config, databaseUrl: database.url, connectDatabase: true }, logger);
  if (config.seedDemo && (await seedDemoIfEmpty(app, { seed: config.demoSeed, scale: config.demoScale }, log))) await analyze(database.url);
  await app.get(SightingsService).publishCellIdentities();

  try {
    await listen(app, config.host, config.port);
  } catch (err) {
    await app.close();
    await database.stop();
    throw err;
  }
  const shutdown = async () => {
    log('shutting down: draining requests in flight');
    const { drained } = await gracefulShutdown(app, inFlightOf(app), 15_000);
    log(drained ? 'all requests finished; stopped' : 'stopped with requests still in flight after 15 s');
    await database.stop();
  };
  process.once('SIGINT', () => void shutdown().finally(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown().finally(() => process.exit(0)));

  const base = config.publicUrl;
  process.stdout.write(
    [
      '',
      `Cairn is running${database.embedded ? ' on the embedded PostgreSQL (data in ' + config.embeddedPg.dataDir + ')' : ''}.`,
      `  GraphQL (browser: GraphiQL)  ${base}/graphql`,
      `  GraphQL subscriptions        ${base.replace(/^http/, 'ws')}/graphql  (graphql-ws)`,
      `  TAXII 2.1 discovery          ${base}/taxii2/`,
      `  Health                       ${base}/health`,
      `  Metrics (Prometheus)         ${base}/metrics`,
      '',
      ...(config.seedDemo ? [...demoSignInHint({ seed: config.demoSeed, scale: config.demoScale }), ''] : []),
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`Cairn failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
