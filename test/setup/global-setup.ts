import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres, prepareDataDir } from '../../libs/database/src/embedded-postgres';
import { createDatabaseIfMissing, prepareWithLogin } from '../../libs/database/src/bootstrap';
import { deriveDatabaseTrustKey } from '../../libs/common/src/config/config';
import { TEST_SECRETS } from '../../libs/common/src/config/dev-secrets';
import { TEST_APP_LOGIN, TEST_APP_PASSWORD } from '../support/database';
import { unpackBrowser } from '../support/browser';

/**
 * One real PostgreSQL per test run. With DATABASE_URL set, that server is used instead.
 * Migrations run once into a template database; each suite copies it (CREATE DATABASE … TEMPLATE),
 * which takes milliseconds and keeps suites independent. The apps connect as the run-time login
 * TEST_APP_LOGIN, exactly as production does (never as the superuser that migrated).
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-test-pg-'));
    prepareDataDir(dir);
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      serverFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
      initdbFlags: ['--no-sync'],
    });
    (globalThis as { __CAIRN_PG__?: unknown }).__CAIRN_PG__ = pg;
    process.env.CAIRN_TEST_PG_DIR = dir;
    serverUrl = pg.url;
  }
  const templateUrl = withDatabase(serverUrl, 'cairn_template');
  await createDatabaseIfMissing(serverUrl, 'cairn_template');
  await prepareWithLogin(templateUrl, TEST_APP_LOGIN, TEST_APP_PASSWORD, deriveDatabaseTrustKey(TEST_SECRETS.IDENTIFIER_HMAC_SECRET!));
  process.env.CAIRN_TEST_PG_URL = serverUrl;
  // Before any worker starts: the browser tests of two workers would otherwise unpack it at once.
  // (Unpacking can fail where the fallback browser is used; the browser tests say so when they launch.)
  await unpackBrowser().catch(() => undefined);
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
