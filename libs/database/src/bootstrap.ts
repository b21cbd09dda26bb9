import { Client } from 'pg';
import type { CairnConfig } from '@cairn/common';
import { createDataSource, describeDatabaseUrl, type MigrationList } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';
import { assertDatabasePrivileges } from './privileges';
import { MIGRATIONS } from './migrations';

export interface ResolvedDatabase {
  /** The owner: migrations and the start-up steps below. */
  url: string;
  /** The run-time login the API and the CLI's data commands connect as. */
  appUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'cairn';
/** The run-time login the embedded PostgreSQL gets (an external server's is named by DATABASE_APP_URL). */
export const APP_LOGIN = 'cairn_api';
// Any constant works: it only has to be the same for every instance migrating this database.
const MIGRATION_LOCK_KEY = 7_140_052_118;

/**
 * DATABASE_URL when set; otherwise an embedded PostgreSQL (started or reused) with a `cairn` database.
 * With callerHandlesStopSignals, the caller's SIGINT/SIGTERM handler calls stop() (see EmbeddedPostgresOptions).
 */
export async function resolveDatabase(
  config: CairnConfig,
  log: (line: string) => void,
  opts: { callerHandlesStopSignals?: boolean } = {},
): Promise<ResolvedDatabase> {
  if (config.databaseUrl) {
    // loadConfig refuses DATABASE_URL without DATABASE_APP_URL.
    return { url: config.databaseUrl, appUrl: config.databaseAppUrl!, embedded: false, stop: async () => undefined };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: config.embeddedPg.dataDir,
    port: config.embeddedPg.port,
    log,
    callerHandlesStopSignals: opts.callerHandlesStopSignals,
  });
  await createDatabaseIfMissing(pg.url, EMBEDDED_DATABASE);
  await ensureLoginRole(pg.url, APP_LOGIN, pg.appPassword);
  const url = new URL(pg.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return { url: url.toString(), appUrl: loginUrl(url.toString(), APP_LOGIN, pg.appPassword), embedded: true, stop: pg.stop };
}

/** `url` with another user and password (same server and database). */
export function loginUrl(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Creates (or resets the password and attributes of) a run-time login: LOGIN and nothing else.
 * Its table rights come from membership of cairn_app (granted by prepareDatabase); it is never a superuser,
 * never BYPASSRLS, and never a member of the owner, so SET ROLE / SET SESSION AUTHORIZATION have
 * nowhere to go. Needs CREATEROLE (the embedded and test superusers have it).
 */
export async function ensureLoginRole(serverUrl: string, name: string, password: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ sql: string }>(
      `SELECT format(CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) THEN 'ALTER ROLE %I' ELSE 'CREATE ROLE %I' END
                     || ' LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT PASSWORD %L', $1::text, $2::text) AS sql`,
      [name, password],
    );
    await client.query(rows[0].sql);
  } finally {
    await client.end();
  }
}

/**
 * The start-up steps that run as the owner, in order: a check that both logins have what they
 * need (README "Database privileges"), which fails before anything is changed; migrations, all in
 * one transaction; membership of cairn_app for the run-time login (the login itself needs nothing
 * but LOGIN); and the database trust key.
 */
export async function prepareDatabase(ownerUrl: string, appUrl: string, trustKey: string, log: (line: string) => void): Promise<string[]> {
  await assertDatabasePrivileges(ownerUrl, appUrl);
  const ran = await migrate(ownerUrl, log);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const login = decodeURIComponent(new URL(appUrl).username || 'postgres');
    await client.query('BEGIN');
    // A DBA may have granted it already, to an owner that may not grant it (no ADMIN OPTION).
    const { rows } = await client.query<{ sql: string | null }>(
      `SELECT CASE WHEN NOT pg_has_role($1::text, 'cairn_app', 'USAGE') THEN format('GRANT cairn_app TO %I', $1::text) END AS sql`,
      [login],
    );
    if (rows[0].sql) await client.query(rows[0].sql);
    await upsertTrustKey(client, trustKey);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
  return ran;
}

/** As the owner: the key operator proofs are checked against; read only by cairn_viewer_is_operator() (SECURITY DEFINER), cairn_app has no right on cairn_private. */
export async function storeTrustKey(ownerUrl: string, trustKey: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await upsertTrustKey(client, trustKey);
  } finally {
    await client.end();
  }
}

const upsertTrustKey = (client: Client, trustKey: string) =>
  client.query(`INSERT INTO cairn_private.trust_key (id, key) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key`, [
    trustKey,
  ]);

/**
 * For throw-away servers (tests, benchmarks), as their superuser: a run-time login `login` with
 * `password`, and `ownerUrl`'s database prepared for it (prepareDatabase). Returns the login's URL.
 */
export async function prepareWithLogin(
  ownerUrl: string,
  login: string,
  password: string,
  trustKey: string,
  log: (line: string) => void = () => undefined,
): Promise<string> {
  await ensureLoginRole(ownerUrl, login, password);
  const appUrl = loginUrl(ownerUrl, login, password);
  await prepareDatabase(ownerUrl, appUrl, trustKey, log);
  return appUrl;
}

export interface AppRoleFacts {
  role: string;
  superuser: boolean;
  bypassRls: boolean;
  /** Tables of the schema this login owns, or whose owner it may become (SET ROLE). */
  ownedTables: string[];
  appMember: boolean;
}

/** What the connected role could do to get around row-level security. */
export async function appRoleFacts(db: { query(sql: string): Promise<unknown> }): Promise<AppRoleFacts> {
  const rows = (await db.query(
    `SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass,
            pg_has_role(current_user, 'cairn_app', 'USAGE') AS app_member,
            coalesce((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_has_role(current_user, c.relowner, 'MEMBER')), '{}') AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
  )) as Array<{ role: string; superuser: boolean; bypass: boolean; app_member: boolean; owned: string[] }>;
  const r = rows[0];
  return { role: r.role, superuser: r.superuser, bypassRls: r.bypass, ownedTables: r.owned, appMember: r.app_member };
}

/** Refuses a run-time connection that could escape row-level security, with the reason. */
export async function assertSafeAppRole(db: { query(sql: string): Promise<unknown> }): Promise<void> {
  const f = await appRoleFacts(db);
  const problems = [
    f.superuser && 'is a superuser',
    f.bypassRls && 'has BYPASSRLS',
    f.ownedTables.length > 0 &&
      `owns (or may SET ROLE to the owner of) ${f.ownedTables.slice(0, 3).join(', ')}${f.ownedTables.length > 3 ? ', …' : ''}`,
    !f.appMember && 'is not a member of cairn_app (run the migrations with DATABASE_URL first)',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(
      `the run-time database login "${f.role}" ${problems.join('; ')}: set DATABASE_APP_URL to a login with LOGIN only (README "Running against an external PostgreSQL")`,
    );
  }
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

/**
 * Runs pending migrations as the database owner, one instance at a time (advisory lock), all in one
 * transaction: if any fails, none of this run's is applied or recorded. Returns their names.
 * `migrations` is for tests that append one that fails.
 */
export async function migrate(url: string, log: (line: string) => void, migrations: MigrationList = MIGRATIONS): Promise<string[]> {
  const ds = createDataSource({ url, entities: [], poolSize: 1, applicationName: 'cairn-migrate', migrations });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await ds.runMigrations({ transaction: 'all' });
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
