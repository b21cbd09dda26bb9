import { randomBytes } from 'node:crypto';
import { runCli } from '../cli-runner';
import { ALL_COMMANDS } from '.';
import { createTestDatabase } from '../../../../test/support/database';
import { fakeIo, sqlOn, cliEnv } from '../../../../test/support/cli';

async function cli(...argv: string[]) {
  const run = fakeIo();
  const code = await runCli(ALL_COMMANDS, argv, run.io);
  return { code, out: run.out, err: run.err, text: run.text() };
}

describe('operator CLI: help and usage errors (nothing touched)', () => {
  // The issue: each of these answered "Unknown command".
  it.each(['tenant', 'user', 'lookup', 'apikey'])('%s --help lists its subcommands with the documented invocation', async (group) => {
    const r = await cli(group, '--help');
    expect(r.code).toBe(0);
    expect(r.text).not.toContain('Unknown command');
    const lines = r.out.join('\n').split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Usage: npm run cli -- ${group} <`));
    expect(lines.filter((l) => l.startsWith(`  ${group} `)).length).toBeGreaterThan(0);
    expect(lines.filter((l) => /^ {2}\S/.test(l) && !l.startsWith(`  ${group} `))).toEqual([]);
  });

  it.each([
    [['tenant', 'suspend'], 'exactly one tenant slug'],
    [['tenant', 'resume', 'a', 'b'], 'exactly one tenant slug'],
    [['audit', '--limit', '0'], '--limit must be a whole number from 1 to 500'],
    [['audit', '--limit', '501'], '--limit must be a whole number from 1 to 500'],
    [['audit', '--since', 'yesterday'], '--since must be a date'],
    [['user', 'list', 'extra'], 'Unexpected argument'],
    [['apikey', 'list', '--colour', 'red'], 'Unknown flag --colour'],
    [['backup'], 'backup takes one file name'],
    [['restore', 'a', 'b'], 'restore takes one file name'],
    [['restore', '/nonexistent/cairn.backup.gz'], 'no such file'],
    [['migrate', 'status', 'now'], 'Unexpected argument'],
  ])('%j', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(message);
  });

  it('sectors lists the whole vocabulary, with the parents small sectors are reported as', async () => {
    const r = await cli('sectors');
    expect(r.code).toBe(0);
    expect(r.out).toContain('financial-services');
    expect(r.out).toContain('insurance\t(reported as financial-services where too few members share it)');
    expect(r.out.length).toBe(45);
  });
});

describe('operator CLI against a real database', () => {
  const saved = { ...process.env };
  let databaseUrl: string;
  const slug = `op-${randomBytes(4).toString('hex')}`;
  const other = `op2-${randomBytes(4).toString('hex')}`;

  const sql = sqlOn(() => databaseUrl);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    Object.assign(process.env, cliEnv(databaseUrl));
  });
  afterAll(() => {
    process.env = saved;
  });

  it('refuses an unknown sector naming every valid one, and creates nothing', async () => {
    const r = await cli('tenant', 'create', slug, '--name', 'Op Bank', '--country', 'DE', '--sectors', 'finance');
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toContain('Unknown sector "finance"');
    expect(r.err.join('\n')).toMatch(/valid sectors: .*financial-services.*payroll-processing/);
    expect(await sql(`SELECT 1 FROM tenant WHERE slug = $1`, [slug])).toHaveLength(0);
    expect((await cli('tenant', 'create', slug, '--name', 'Op Bank', '--country', 'DE', '--sectors', 'financial-services')).code).toBe(0);
    expect((await cli('tenant', 'create', other, '--name', 'Op Insurer', '--country', 'FR', '--sectors', 'insurance')).code).toBe(0);
  });

  it('accepts the GraphQL spelling of scopes (TAXII_READ) and stores the canonical one', async () => {
    const r = await cli('apikey', 'create', '--tenant', slug, '--scopes', 'TAXII_READ,intel:read,taxii:read', '--name', 'siem');
    expect(r.code).toBe(0);
    expect(r.text).toContain('with scopes taxii:read,intel:read');
    const [row] = await sql<{ scopes: string[] }>(
      `SELECT scopes FROM api_key WHERE tenant_id = (SELECT id FROM tenant WHERE slug = $1) AND name = 'siem'`,
      [slug],
    );
    expect(row.scopes).toEqual(['taxii:read', 'intel:read']);
    const bad = await cli('apikey', 'create', '--tenant', slug, '--scopes', 'TAXII_READ,taxii:delete');
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toContain('Unknown scopes: taxii:delete');
  });

  it('suspends and resumes one tenant (not the other), audited', async () => {
    const suspended = await cli('tenant', 'suspend', slug);
    expect(suspended.code).toBe(0);
    expect(suspended.out.join('\n')).toMatch(/is suspended$/);
    expect((await sql<{ status: string }>(`SELECT status FROM tenant WHERE slug = $1`, [slug]))[0].status).toBe('suspended');
    expect((await sql<{ status: string }>(`SELECT status FROM tenant WHERE slug = $1`, [other]))[0].status).toBe('active');
    const listed = await cli('tenant', 'list');
    expect(listed.out.find((l) => l.startsWith(`${slug}\t`))).toContain('\tsuspended\t');

    const resumed = await cli('tenant', 'resume', slug);
    expect(resumed.code).toBe(0);
    expect((await sql<{ status: string }>(`SELECT status FROM tenant WHERE slug = $1`, [slug]))[0].status).toBe('active');
    const actions = await sql<{ action: string }>(
      `SELECT action FROM audit_log WHERE tenant_id = (SELECT id FROM tenant WHERE slug = $1) ORDER BY id`,
      [slug],
    );
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['tenant.suspended', 'tenant.reactivated']));

    const unknown = await cli('tenant', 'suspend', 'no-such-tenant');
    expect(unknown.code).toBe(1);
    expect(unknown.err.join('\n')).toContain('No tenant with slug "no-such-tenant"');
  });

  it('lists users and API keys of one tenant or all, never a secret or a hash', async () => {
    expect((await cli('user', 'create', '--tenant', slug, '--email', `soc@${slug}.example`, '--role', 'admin')).code).toBe(0);
    expect((await cli('user', 'create', '--tenant', other, '--email', `soc@${other}.example`, '--role', 'reader')).code).toBe(0);
    const created = await cli('apikey', 'create', '--tenant', other, '--scopes', 'intel:read');
    const secret = /Key \(shown once\): (\S+)/.exec(created.out.join('\n'))![1];

    const users = await cli('user', 'list', '--tenant', slug);
    expect(users.code).toBe(0);
    expect(users.out.join('\n')).toContain(`soc@${slug}.example`);
    expect(users.out.join('\n')).not.toContain(`soc@${other}.example`);
    const all = await cli('user', 'list');
    expect(all.out.join('\n')).toContain(`soc@${other}.example`);

    const keys = await cli('apikey', 'list');
    expect(keys.code).toBe(0);
    const text = keys.out.join('\n');
    expect(text).toContain(secret.split('.')[0]);
    expect(text).toMatch(new RegExp(`${other}\\tcairn_\\w{8}\\t[0-9a-f-]{36}\\tcli\\tintel:read\\tnever\\tnever\\tactive`));
    const hashes = await sql<{ h: string }>(`SELECT secret_hash AS h FROM api_key UNION ALL SELECT password_hash FROM app_user`);
    for (const { h } of hashes) expect(all.out.join('\n') + text).not.toContain(h);
    expect(text).not.toContain(secret.split('.')[1]);
    expect((await cli('apikey', 'list', '--tenant', slug)).out.join('\n')).not.toContain(`${other}\t`);
  });

  it('reads the audit log with tenant, action, since and limit filters', async () => {
    const one = await cli('audit', '--tenant', slug, '--action', 'tenant.suspended,tenant.reactivated');
    expect(one.code).toBe(0);
    const rows = one.out.slice(1).map((l) => l.split('\t'));
    expect(rows.map((r) => r[1])).toEqual(['tenant.reactivated', 'tenant.suspended']);
    expect(rows.every((r) => r[2] === slug)).toBe(true);

    const limited = await cli('audit', '--limit', '2');
    expect(limited.out).toHaveLength(3);
    expect((await cli('audit', '--tenant', other, '--action', 'tenant.suspended')).out).toHaveLength(1);
    expect((await cli('audit', '--since', '2999-01-01')).out).toHaveLength(1);
    expect((await cli('audit', '--tenant', other)).out.slice(1).every((l) => l.split('\t')[2] === other)).toBe(true);
  });

  it('migrate status lists applied and pending migrations without applying any', async () => {
    const up = await cli('migrate', 'status');
    expect(up.code).toBe(0);
    expect(up.out[up.out.length - 1]).toMatch(/^\d+ applied, 0 pending$/);
    const [last] = await sql<{ name: string }>(`SELECT name FROM typeorm_migrations ORDER BY timestamp DESC LIMIT 1`);
    await sql(`DELETE FROM typeorm_migrations WHERE name = $1`, [last.name]);
    try {
      const behind = await cli('migrate', 'status');
      expect(behind.code).toBe(1);
      expect(behind.out).toContain(`pending\t${last.name}`);
      expect(behind.out[behind.out.length - 1]).toMatch(/ applied, 1 pending$/);
      // Still pending: status applied nothing.
      expect(await sql(`SELECT 1 FROM typeorm_migrations WHERE name = $1`, [last.name])).toHaveLength(0);
    } finally {
      await sql(`INSERT INTO typeorm_migrations (timestamp, name) VALUES ($1, $2)`, [Number(/\d{13}$/.exec(last.name)![0]), last.name]);
    }
  });
});
