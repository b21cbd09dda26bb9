import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { TEST_SECRETS } from '@cairn/common';
import { fakeIo } from './support/cli';
import { runCli } from '../apps/cli/src/cli-runner';
import { ALL_COMMANDS } from '../apps/cli/src/commands';
import { appUrlFor, createTestDatabase, testServerUrl, withDatabase } from './support/database';

/** Backup → restore into a fresh database → every table equal, against the real test PostgreSQL. */
describe('CLI backup and restore', () => {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'cairn-backup-'));
  let source: string;

  async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Runs the CLI against the database at `url` (as DATABASE_URL / DATABASE_APP_URL). */
  async function cli(url: string, ...argv: string[]) {
    Object.assign(process.env, { DATABASE_URL: url, DATABASE_APP_URL: appUrlFor(url) });
    const { io, out, err } = fakeIo();
    const code = await runCli(ALL_COMMANDS, argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  /** Every table's rows (order-independent digest and count) and every sequence, as the owner sees them. */
  async function contents(url: string): Promise<Record<string, string>> {
    const tables = await sql<{ t: string }>(
      url,
      `SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
    );
    const result: Record<string, string> = {};
    for (const { t } of tables) {
      const [r] = await sql<{ n: string; d: string }>(
        url,
        `SELECT count(*) AS n, md5(coalesce(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text), '')) AS d FROM ${t} x`,
      );
      result[t] = `${r.n} ${r.d}`;
    }
    for (const { s } of await sql<{ s: string }>(
      url,
      `SELECT format('%I.%I', schemaname, sequencename) AS s FROM pg_sequences WHERE schemaname = 'public' AND sequencename <> 'typeorm_migrations_id_seq'`,
    )) {
      const [v] = await sql<{ v: string }>(url, `SELECT last_value::text || ' ' || is_called::text AS v FROM ${s}`);
      result[s] = v.v;
    }
    return result;
  }

  async function emptyDatabase(): Promise<string> {
    const name = `cairn_restore_${randomBytes(5).toString('hex')}`;
    await sql(testServerUrl(), `CREATE DATABASE ${name}`);
    return withDatabase(testServerUrl(), name);
  }

  beforeAll(async () => {
    Object.assign(process.env, { NODE_ENV: 'test', LOG_LEVEL: 'error', SEED_DEMO: 'false', ...TEST_SECRETS });
    source = await createTestDatabase();
    expect((await cli(source, 'seed-demo', '--scale', '0.05')).code).toBe(0);
    expect((await cli(source, 'lookup', 'reindex')).code).toBe(0);
  }, 300_000);
  afterAll(() => {
    process.env = saved;
  });

  it('restores into a database never migrated: tenants, objects, sightings, index rows and every other table equal', async () => {
    const file = join(dir, 'round-trip.backup.gz');
    const backup = await cli(source, 'backup', file);
    expect(backup.code).toBe(0);
    const before = await contents(source);
    const counts = await sql<{ tenants: string; objects: string; sightings: string; index: string }>(
      source,
      `SELECT (SELECT count(*) FROM tenant) AS tenants, (SELECT count(*) FROM stix_object) AS objects,
              (SELECT count(*) FROM stix_object WHERE type = 'sighting') AS sightings, (SELECT count(*) FROM observable_index) AS index`,
    );
    for (const n of Object.values(counts[0])) expect(Number(n)).toBeGreaterThan(0);

    const target = await emptyDatabase();
    const restored = await cli(target, 'restore', file);
    expect(restored.err).not.toContain('Error');
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/^Restored \d+ rows \(\d+ tenants, \d+ object versions/);
    expect(await contents(target)).toEqual(before);

    // The restored exchange works through the services: the CLI reads it as it read the original.
    expect((await cli(target, 'tenant', 'list')).out).toBe((await cli(source, 'tenant', 'list')).out);
  }, 300_000);

  it('refuses a database that holds data, and changes nothing', async () => {
    const file = join(dir, 'again.backup.gz');
    expect((await cli(source, 'backup', file)).code).toBe(0);
    const before = await contents(source);
    const r = await cli(source, 'restore', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/The database is not empty \(.*public\.tenant/);
    expect(await contents(source)).toEqual(before);
  }, 120_000);

  it('refuses an existing backup file without --force', async () => {
    const file = join(dir, 'exists.backup.gz');
    writeFileSync(file, 'keep me');
    const r = await cli(source, 'backup', file);
    expect(r.code).toBe(2);
    expect(r.err).toContain('exists');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('refuses a backup of another migration, and a cut-off file, restoring nothing', async () => {
    const file = join(dir, 'base.backup.gz');
    expect((await cli(source, 'backup', file)).code).toBe(0);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');

    const header = JSON.parse(lines[0]);
    const older = join(dir, 'older.backup.gz');
    writeFileSync(older, gzipSync([JSON.stringify({ ...header, migration: 'Tenants1763884800000' }), ...lines.slice(1)].join('\n') + '\n'));
    const target = await createTestDatabase();
    const empty = await contents(target);
    const mismatch = await cli(target, 'restore', older);
    expect(mismatch.code).toBe(1);
    expect(mismatch.err).toContain('The backup was made at migration Tenants1763884800000');

    const cut = join(dir, 'cut.backup.gz');
    writeFileSync(cut, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n'));
    const cutOff = await cli(target, 'restore', cut);
    expect(cutOff.code).toBe(1);
    expect(cutOff.err).toContain('cut off');
    expect(await contents(target)).toEqual(empty);

    const notBackup = join(dir, 'not.backup.gz');
    writeFileSync(notBackup, '{"hello": 1}');
    const refused = await cli(target, 'restore', notBackup);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('is not a Cairn backup');
  }, 120_000);
});
