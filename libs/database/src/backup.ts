import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { unlink } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { Client } from 'pg';
import { MIGRATIONS } from './migrations';

/**
 * Cairn's own logical backup: every row of every table as JSON, gzip'd, one line each, with the
 * migration the database was at. Why not pg_dump: the embedded server is PostgreSQL 18 and ships
 * none, and an older pg_dump (Debian's 15) refuses a newer server; plain SQL over the owner's
 * connection works against any server. The schema is not in the file: the migrations are, so a
 * backup is restored only into an empty database migrated to the same version.
 *
 * File: a header line {cairn_backup, migration, migrations, created_at, server_version}; per table
 * a line {table, columns} followed by its rows (to_jsonb of each); a line per sequence
 * {sequence, last_value, is_called}; and a trailer {end: true, rows: {table: count}} so a cut-off
 * file is refused rather than half restored.
 */
export const BACKUP_FORMAT = 1;

/** Tables that the migrations themselves fill with one row; restore replaces that row. */
const MIGRATION_SEEDED_TABLES = new Set(['public.crowd_generation', 'public.feed_counter']);
/**
 * Kept out of a backup: the migrations table is the version, the trust key is written at start-up
 * from the config, and stix_object_audience is derived: its trigger writes the same keys again as
 * the object versions are restored (migration AudienceKeys1766000500000).
 */
const EXCLUDED_TABLES = new Set(['public.typeorm_migrations', 'cairn_private.trust_key', 'public.stix_object_audience']);
const EXCLUDED_SEQUENCES = new Set(['public.typeorm_migrations_id_seq']);
const BATCH_ROWS = 1000;
const BATCH_BYTES = 4 * 1024 * 1024;

export interface BackupHeader {
  cairn_backup: number;
  migration: string | null;
  migrations: string[];
  created_at: string;
  server_version: string;
}

export interface BackupSummary {
  migration: string | null;
  rows: Record<string, number>;
}

export class BackupError extends Error {}

/**
 * One line for the operator about a backup's rows: the total, and the tables a reader checks first.
 * Here, beside the backup, because this lib is the schema: the CLI names no table.
 */
export function describeBackupRows(rows: Record<string, number>): string {
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  const of = (t: string) => rows[`public.${t}`] ?? 0;
  return `${total} rows (${of('tenant')} tenants, ${of('stix_object')} object versions, ${of('sighting_fact')} sighting facts, ${of('observable_index')} index rows)`;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Recorded in the database but unknown to this version of Cairn (a newer one migrated it). */
  unknown: string[];
}

const migrationNames = (): string[] => MIGRATIONS.map((m) => m.name);

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'cairn-backup' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function appliedMigrations(c: Client): Promise<string[]> {
  const { rows } = await c.query<{ exists: boolean }>(`SELECT to_regclass('public.typeorm_migrations') IS NOT NULL AS exists`);
  if (!rows[0].exists) return [];
  return (await c.query<{ name: string }>(`SELECT name FROM typeorm_migrations ORDER BY timestamp, id`)).rows.map((r) => r.name);
}

/** Applied vs pending migrations, read without applying any. */
export function migrationStatus(url: string): Promise<MigrationStatus> {
  return withClient(url, async (c) => {
    const applied = await appliedMigrations(c);
    const known = migrationNames();
    return { applied, pending: known.filter((n) => !applied.includes(n)), unknown: applied.filter((n) => !known.includes(n)) };
  });
}

/** The application's tables, parents before children (foreign keys), so a restore inserts them in file order. */
async function tablesInDependencyOrder(c: Client): Promise<string[]> {
  const { rows: tables } = await c.query<{ name: string }>(
    `SELECT format('%s.%s', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'
      ORDER BY 1`,
  );
  const { rows: edges } = await c.query<{ child: string; parent: string }>(
    `SELECT format('%s.%s', cn.nspname, cc.relname) AS child, format('%s.%s', pn.nspname, pc.relname) AS parent
       FROM pg_constraint k JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
       JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE k.contype = 'f' AND k.conrelid <> k.confrelid`,
  );
  const names = tables.map((t) => t.name).filter((n) => !EXCLUDED_TABLES.has(n));
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const e of edges) if (e.child === name && names.includes(e.parent)) visit(e.parent);
    ordered.push(name);
  };
  names.forEach(visit);
  // Seeded singletons last: inserting tenants fires the trigger that bumps the crowd generation, the backup's value then wins.
  return [...ordered.filter((n) => !MIGRATION_SEEDED_TABLES.has(n)), ...ordered.filter((n) => MIGRATION_SEEDED_TABLES.has(n))];
}

const quoteQualified = (name: string) =>
  name
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');

/** Writes a backup of the database at `ownerUrl` to `file`, from one consistent snapshot. */
export async function backupDatabase(ownerUrl: string, file: string): Promise<BackupSummary> {
  const gzip = createGzip();
  const out = createWriteStream(file, { mode: 0o600 });
  gzip.pipe(out);
  const write = async (value: unknown) => {
    if (!gzip.write(JSON.stringify(value) + '\n')) await once(gzip, 'drain');
  };
  const rows: Record<string, number> = {};
  let migration: string | null = null;
  let failed = true;
  try {
    await withClient(ownerUrl, async (c) => {
      // One snapshot for every table: the backup is what the database held at one instant.
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const migrations = await appliedMigrations(c);
      migration = migrations[migrations.length - 1] ?? null;
      const version = (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v;
      await write({
        cairn_backup: BACKUP_FORMAT,
        migration,
        migrations,
        created_at: new Date().toISOString(),
        server_version: version,
      } satisfies BackupHeader);
      for (const table of await tablesInDependencyOrder(c)) {
        const { rows: cols } = await c.query<{ name: string }>(
          `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
          [table],
        );
        await write({ table, columns: cols.map((x) => x.name) });
        rows[table] = 0;
        await c.query(`DECLARE backup_rows NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS row FROM ${quoteQualified(table)} t`);
        for (;;) {
          const batch = await c.query<{ row: string }>(`FETCH ${BATCH_ROWS} FROM backup_rows`);
          for (const r of batch.rows) {
            if (!gzip.write(r.row + '\n')) await once(gzip, 'drain');
          }
          rows[table] += batch.rows.length;
          if (batch.rows.length < BATCH_ROWS) break;
        }
        await c.query('CLOSE backup_rows');
      }
      const { rows: sequences } = await c.query<{ name: string }>(
        `SELECT format('%s.%s', schemaname, sequencename) AS name FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      );
      for (const s of sequences.filter((x) => !EXCLUDED_SEQUENCES.has(x.name))) {
        const { rows: v } = await c.query<{ last_value: string; is_called: boolean }>(
          `SELECT last_value::text, is_called FROM ${quoteQualified(s.name)}`,
        );
        await write({ sequence: s.name, last_value: v[0].last_value, is_called: v[0].is_called });
      }
      await write({ end: true, rows });
      await c.query('COMMIT');
    });
    failed = false;
  } finally {
    gzip.end();
    await once(out, 'close');
    // A half-written file must not pass for a backup.
    if (failed) await unlink(file).catch(() => undefined);
  }
  return { migration, rows };
}

/**
 * Restores `file` into the database at `ownerUrl`, in one transaction: refused (nothing written)
 * unless that database is migrated to exactly the backup's migration and holds no data.
 */
export async function restoreDatabase(ownerUrl: string, file: string): Promise<BackupSummary> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown> | undefined> => {
    const r = await iterator.next();
    if (r.done) return undefined;
    try {
      return JSON.parse(r.value) as Record<string, unknown>;
    } catch {
      throw new BackupError(`${file} is damaged (a line is not JSON)`);
    }
  };
  let header: Record<string, unknown> | undefined;
  try {
    header = await next();
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`${file} is not a Cairn backup (${(err as Error).message})`);
  }
  if (!header || header.cairn_backup !== BACKUP_FORMAT) throw new BackupError(`${file} is not a Cairn backup (format ${BACKUP_FORMAT})`);
  const made = header as unknown as BackupHeader;

  return withClient(ownerUrl, async (c) => {
    const migrations = await appliedMigrations(c);
    const current = migrations[migrations.length - 1] ?? null;
    if (current !== made.migration) {
      throw new BackupError(
        `The backup was made at migration ${String(made.migration)}, this database is at ${String(current)}: restore with the Cairn version that made it, then upgrade`,
      );
    }
    await c.query('BEGIN');
    try {
      const nonEmpty: string[] = [];
      for (const table of await tablesInDependencyOrder(c)) {
        if (MIGRATION_SEEDED_TABLES.has(table)) continue;
        const { rowCount } = await c.query(`SELECT 1 FROM ${quoteQualified(table)} LIMIT 1`);
        if (rowCount) nonEmpty.push(table);
      }
      if (nonEmpty.length)
        throw new BackupError(
          `The database is not empty (${nonEmpty.slice(0, 5).join(', ')}${nonEmpty.length > 5 ? ', …' : ''} hold rows): restore only into a fresh database`,
        );
      const rows: Record<string, number> = {};
      let table: string | undefined;
      let columns: string[] = [];
      let batch: string[] = [];
      let bytes = 0;
      const flush = async () => {
        if (!table || batch.length === 0) return;
        const list = columns.map((x) => `"${x.replace(/"/g, '""')}"`).join(', ');
        await c.query(
          `INSERT INTO ${quoteQualified(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM jsonb_populate_recordset(NULL::${quoteQualified(table)}, $1::jsonb)`,
          [`[${batch.join(',')}]`],
        );
        batch = [];
        bytes = 0;
      };
      let trailer: Record<string, unknown> | undefined;
      for (;;) {
        const r = await iterator.next();
        if (r.done) break;
        const line = r.value;
        if (line.startsWith('{"table":') || line.startsWith('{"sequence":') || line.startsWith('{"end":')) {
          await flush();
          const meta = JSON.parse(line) as Record<string, unknown>;
          if (meta.end === true) {
            trailer = meta;
            break;
          }
          if (typeof meta.sequence === 'string') {
            await c.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [meta.sequence, meta.last_value, meta.is_called]);
            continue;
          }
          table = String(meta.table);
          columns = meta.columns as string[];
          rows[table] = 0;
          const exists = (await c.query(`SELECT to_regclass($1) IS NOT NULL AS e`, [table])).rows[0].e as boolean;
          if (!exists) throw new BackupError(`The backup holds table ${table}, which this database does not have`);
          if (MIGRATION_SEEDED_TABLES.has(table)) await c.query(`DELETE FROM ${quoteQualified(table)}`);
          continue;
        }
        if (!table) throw new BackupError(`${file} is damaged (rows before any table)`);
        batch.push(line);
        bytes += line.length;
        rows[table]++;
        if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush();
      }
      const expected = trailer?.rows as Record<string, number> | undefined;
      if (!expected) throw new BackupError(`${file} is cut off (no end marker): nothing restored`);
      const mismatch = Object.keys({ ...expected, ...rows }).filter((t) => (expected[t] ?? 0) !== (rows[t] ?? 0));
      if (mismatch.length) throw new BackupError(`${file} is damaged (row counts differ for ${mismatch.join(', ')}): nothing restored`);
      await c.query('COMMIT');
      return { migration: current, rows };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      if (err instanceof BackupError) throw err;
      throw new BackupError(`Restore failed, nothing restored: ${(err as Error).message}`);
    }
  });
}
