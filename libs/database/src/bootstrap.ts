import { Client } from 'pg';
import type { CairnConfig } from '@cairn/common';
import { createDataSource, describeDatabaseUrl } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'cairn';
// Any constant works: it only has to be the same for every instance migrating this database.
const MIGRATION_LOCK_KEY = 7_140_052_118;

/** DATABASE_URL when set; otherwise an embedded PostgreSQL (started or reused) with a `cairn` database. */
export async function resolveDatabase(config: CairnConfig, log: (line: string) => void): Promise<ResolvedDatabase> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  }
  const pg = await startEmbeddedPostgres({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port, log });
  await createDatabaseIfMissing(pg.url, EMBEDDED_DATABASE);
  const url = new URL(pg.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), embedded: true, stop: pg.stop };
}

export async function createDatabaseIfMissing(serverUrl: string, name: string, template?: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}

/** Runs pending migrations as the database owner, one instance at a time (advisory lock). Returns their names. */
export async function migrate(url: string, log: (line: string) => void): Promise<string[]> {
  const ds = createDataSource({ url, entities: [], poolSize: 1, applicationName: 'cairn-migrate' });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await ds.runMigrations({ transaction: 'each' });
    for (const m of ran) log(`migration applied: ${m.name}`);
    if (ran.length === 0) log(`database ${describeDatabaseUrl(url)} is up to date`);
    return ran.map((m) => m.name);
  } finally {
    await ds.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await ds.destroy();
  }
}

/**
 * Refreshes the planner's statistics, as the owner, after a bulk load (demo data, benchmark
 * corpora). Autovacuum would get there within a minute or two; until it does, the feed and TAXII
 * queries are planned for empty tables and read every row instead of walking an index.
 */
export async function analyze(url: string): Promise<void> {
  const ds = createDataSource({ url, entities: [], poolSize: 1, applicationName: 'cairn-analyze' });
  await ds.initialize();
  try {
    await ds.query('ANALYZE');
  } finally {
    await ds.destroy();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
