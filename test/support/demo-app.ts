import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger, loadConfig, TEST_SECRETS } from '@cairn/common';
import { createApp } from '../../apps/api/src/create-app';
import { DEMO_PASSWORD } from '@cairn/demo';
import { loadStartUpData } from '../../apps/api/src/start-up-data';
import { gql } from './test-app';
import { appUrlFor, createTestDatabase } from './database';

export interface DemoApp {
  app: NestExpressApplication;
  baseUrl: string;
  /** The owner URL of its database, to read rows behind the API's back. */
  databaseUrl: string;
  /** Signs a demo user in and returns the header to send. */
  signIn(email: string): Promise<{ authorization: string }>;
}

/**
 * The demo as `npm start` leaves it: loaded by the very function main.ts calls (loadStartUpData,
 * before the app listens), on a fresh database, served over real HTTP.
 */
export async function startDemoApp(scale: number, seed = 1): Promise<DemoApp> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      DATABASE_URL: databaseUrl,
      DATABASE_APP_URL: appUrlFor(databaseUrl),
      SEED_DEMO: 'true',
      DEMO_SEED: String(seed),
      DEMO_SCALE: String(scale),
    },
    TEST_SECRETS,
  );
  const app = await createApp({ config, appDatabaseUrl: appUrlFor(databaseUrl), connectDatabase: true }, new JsonLogger(config.logLevel));
  await loadStartUpData(app, config, databaseUrl, () => undefined);
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const signIn = async (email: string) => {
    const res = await gql<{ login: { accessToken: string } }>(
      baseUrl,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
      { e: email, p: DEMO_PASSWORD },
    );
    if (res.errors || !res.data) throw new Error(`demo sign-in of ${email} failed: ${JSON.stringify(res.errors)}`);
    return { authorization: `Bearer ${res.data.login.accessToken}` };
  };
  return { app, baseUrl, databaseUrl, signIn };
}
