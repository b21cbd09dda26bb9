import type { NestExpressApplication } from '@nestjs/platform-express';
import { storeTrustKey } from '../../libs/database/src/bootstrap';
import { JsonLogger, loadConfig, TEST_SECRETS, type CairnConfig } from '@cairn/common';
import { createApp } from '../../apps/api/src/create-app';
import { appUrlFor, createTestDatabase } from './database';

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** The owner (superuser) URL of the app's database, for tests that look at rows behind the API's back. */
  databaseUrl: string;
  /** What the app connects with: the run-time login, as in production. */
  appDatabaseUrl: string;
  config: CairnConfig;
  close(): Promise<void>;
}

/** A real API instance on a random port, on its own fresh database (or on `databaseUrl` to share one). */
export async function startTestApp(
  opts: { databaseUrl?: string; env?: Record<string, string>; logLines?: string[] } = {},
): Promise<TestApp> {
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase());
  const appDatabaseUrl = appUrlFor(databaseUrl);
  // With logLines, every line the server logs (at LOG_LEVEL, debug unless set) is kept there for the test to read.
  const level = opts.logLines ? { LOG_LEVEL: 'debug' } : { LOG_LEVEL: 'error' };
  const config = loadConfig(
    { NODE_ENV: 'test', ...level, DATABASE_URL: databaseUrl, DATABASE_APP_URL: appDatabaseUrl, SEED_DEMO: 'false', ...opts.env },
    TEST_SECRETS,
  );
  const lines = opts.logLines;
  // A test that brings its own secrets (production mode) brings its own database trust key, which
  // start-up stores as the owner (prepareDatabase); the template database holds the test one.
  if (opts.env?.IDENTIFIER_HMAC_SECRET) await storeTrustKey(databaseUrl, config.databaseTrustKey);
  const app = await createApp(
    { config, appDatabaseUrl, connectDatabase: true },
    new JsonLogger(config.logLevel, lines ? (l) => lines.push(l) : undefined),
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, baseUrl: `http://127.0.0.1:${port}`, databaseUrl, appDatabaseUrl, config, close: () => app.close() };
}

/** POSTs a GraphQL operation and returns the parsed body (data and errors). */
export async function gql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: res.status, ...body };
}
