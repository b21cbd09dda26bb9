import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { JsonLogger, loadRuntimeConfig, type CairnConfig } from '@cairn/common';
import { migrate, resolveDatabase } from '@cairn/database';
import { AppModule } from '../../api/src/app.module';

export interface CliContext {
  config: CairnConfig;
  databaseUrl: string;
  app: INestApplicationContext;
}

/**
 * Runs fn with the same database and services the API uses: DATABASE_URL, or the embedded
 * PostgreSQL (reused if a server is running on it, else started for the command and stopped after).
 */
export async function withCliContext<T>(fn: (ctx: CliContext) => Promise<T>, log: (line: string) => void): Promise<T> {
  const config = loadRuntimeConfig();
  const logger = new JsonLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const database = await resolveDatabase(config, log);
  try {
    await migrate(database.url, log);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: database.url, connectDatabase: true }, logger), {
      logger,
    });
    try {
      return await fn({ config, databaseUrl: database.url, app });
    } finally {
      await app.close();
    }
  } finally {
    await database.stop();
  }
}
