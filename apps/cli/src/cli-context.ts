import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { JsonLogger, loadRuntimeConfig, type CairnConfig } from '@cairn/common';
import { prepareDatabase, resolveDatabase } from '@cairn/database';
import { CliModule } from './cli.module';

export interface CliContext {
  config: CairnConfig;
  /** The owner (migrations, ANALYZE); `app` connects as the run-time login, like the API. */
  databaseUrl: string;
  app: INestApplicationContext;
}

/**
 * Runs fn with the same database and domain services the API uses, without the API's doors
 * (CliModule): DATABASE_URL, or the embedded PostgreSQL (reused if a server is running on it, else
 * started for the command and stopped after).
 */
export async function withCliContext<T>(fn: (ctx: CliContext) => Promise<T>, log: (line: string) => void): Promise<T> {
  const config = loadRuntimeConfig();
  const logger = new JsonLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await resolveDatabase(config, log);
  try {
    await prepareDatabase(database.url, database.appUrl, config.databaseTrustKey, log);
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, database.appUrl, logger), { logger });
    try {
      return await fn({ config, databaseUrl: database.url, app });
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}
