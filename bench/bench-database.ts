import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveDatabaseTrustKey } from '@cairn/common';
import { createDatabaseIfMissing, freePort, prepareDataDir, prepareWithLogin, startEmbeddedPostgres } from '@cairn/database';
import { BENCH_APP_LOGIN, BENCH_APP_PASSWORD, BENCH_IDENTIFIER_SECRET } from './bench';

export interface BenchDatabase {
  /** Owner URL of a fresh, migrated database. */
  databaseUrl: string;
  /** The run-time login's URL (benchEnv's DATABASE_APP_URL). */
  appDatabaseUrl: string;
  stop(): Promise<void>;
}

/**
 * A migrated database for one benchmark: a new database on DATABASE_URL's server when set,
 * else a throw-away embedded PostgreSQL (fsync off: benchmarks measure Cairn, not the disk).
 */
export async function benchDatabase(label: string, serverFlags: string[] = []): Promise<BenchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), `cairn-bench-${label}-`));
    prepareDataDir(dir);
    const pg = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      serverFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', ...serverFlags],
      initdbFlags: ['--no-sync'],
    });
    serverUrl = pg.url;
    stopServer = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const name = `cairn_bench_${label.replace(/\W/g, '_')}_${Date.now()}`;
  await createDatabaseIfMissing(serverUrl, name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const appDatabaseUrl = await prepareWithLogin(
    databaseUrl,
    BENCH_APP_LOGIN,
    BENCH_APP_PASSWORD,
    deriveDatabaseTrustKey(BENCH_IDENTIFIER_SECRET),
  );
  return { databaseUrl, appDatabaseUrl, stop: stopServer };
}
