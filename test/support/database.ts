import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loginUrl } from '../../libs/database/src/bootstrap';

/** The run-time login of every test app (created by the global setup, like the embedded server's `cairn_api`). */
export const TEST_APP_LOGIN = 'cairn_test_app';
export const TEST_APP_PASSWORD = 'cairn-test-app-login';

/** The URL the API connects with for the database at `ownerUrl`: same server and database, the run-time login. */
export function appUrlFor(ownerUrl: string): string {
  return loginUrl(ownerUrl, TEST_APP_LOGIN, TEST_APP_PASSWORD);
}

/** Superuser URL of the test run's PostgreSQL server (set by the jest global setup). */
export function testServerUrl(): string {
  const url = process.env.CAIRN_TEST_PG_URL;
  if (!url) throw new Error('CAIRN_TEST_PG_URL is not set: run the tests through jest (npm test)');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated database for one suite: a copy of the template the global setup migrated. */
export async function createTestDatabase(): Promise<string> {
  const name = `cairn_t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE cairn_template`);
  } finally {
    await client.end();
  }
  return withDatabase(testServerUrl(), name);
}
