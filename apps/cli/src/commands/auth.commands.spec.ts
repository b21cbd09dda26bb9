import { randomBytes } from 'node:crypto';
import { runCli } from '../cli-runner';
import { authCommands, parseExpiry } from './auth.commands';
import { createTestDatabase } from '../../../../test/support/database';
import { fakeIo, sqlOn, cliEnv } from '../../../../test/support/cli';

describe('auth CLI: usage errors (exit 2, nothing touched)', () => {
  it.each([
    [['user', 'create', '--email', 'a@b.example', '--role', 'admin'], '--tenant is required'],
    [['user', 'create', '--tenant', 't', '--email', 'a@b.example', '--role', 'root'], '--role must be one of'],
    [['user', 'create', '--tenant', 't', '--email', 'a@b.example', '--role', 'admin', 'extra'], 'Unexpected argument'],
    [['apikey', 'create', '--tenant', 't'], '--scopes is required'],
    [['apikey', 'create', '--tenant', 't', '--scopes', 'intel:read', '--expires', 'soon'], '--expires must be a date'],
    [['apikey', 'revoke'], 'exactly one key'],
  ])('%j', async (argv, message) => {
    const { io, err } = fakeIo();
    expect(await runCli(authCommands, argv, io)).toBe(2);
    expect(err.join('\n')).toContain(message);
  });

  it('reads expiry dates as midnight UTC', () => {
    expect(parseExpiry('2027-01-01').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('auth CLI against a real database', () => {
  const saved = { ...process.env };
  let databaseUrl: string;
  let slug: string;

  const sql = sqlOn(() => databaseUrl);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    Object.assign(process.env, cliEnv(databaseUrl));
    slug = `cli-${randomBytes(4).toString('hex')}`;
    await sql(`INSERT INTO tenant (slug, name, country) VALUES ($1, 'CLI Member', 'DE')`, [slug]);
  });
  afterAll(() => {
    process.env = saved;
  });

  it('creates a user with a generated password, printed once', async () => {
    const { io, out } = fakeIo();
    const email = `Ops-${randomBytes(3).toString('hex')}@Example.com`;
    expect(
      await runCli(authCommands, ['user', 'create', '--tenant', slug, '--email', email, '--role', 'analyst', '--name', 'Ops'], io),
    ).toBe(0);
    expect(out.join('\n')).toContain(`Created user ${email.toLowerCase()}`);
    expect(out.join('\n')).toMatch(/Password \(shown once\): \S{12,}/);
    const rows = await sql<{ role: string; password_hash: string }>(`SELECT role, password_hash FROM app_user WHERE email = $1`, [
      email.toLowerCase(),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].role).toBe('analyst');
    expect(rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('exits 1 with a clear message on domain errors', async () => {
    const unknown = fakeIo();
    expect(
      await runCli(
        authCommands,
        ['user', 'create', '--tenant', 'no-such-tenant', '--email', 'x@y.example', '--role', 'reader'],
        unknown.io,
      ),
    ).toBe(1);
    expect(unknown.err.join('\n')).toContain('No tenant with slug "no-such-tenant"');

    const operator = fakeIo();
    expect(
      await runCli(
        authCommands,
        ['user', 'create', '--tenant', slug, '--email', 'op@y.example', '--role', 'admin', '--operator'],
        operator.io,
      ),
    ).toBe(1);
    expect(operator.err.join('\n')).toContain('Only users of the exchange tenant can be operators');

    const scope = fakeIo();
    expect(await runCli(authCommands, ['apikey', 'create', '--tenant', slug, '--scopes', 'intel:read,tenant:admin'], scope.io)).toBe(1);
    expect(scope.err.join('\n')).toContain('tenant:admin');
  });

  it('creates an API key (printed once), then revokes it by prefix', async () => {
    const created = fakeIo();
    expect(
      await runCli(
        authCommands,
        ['apikey', 'create', '--tenant', slug, '--scopes', 'taxii:read,intel:read', '--name', 'splunk', '--expires', '2099-01-01'],
        created.io,
      ),
    ).toBe(0);
    const full = /Key \(shown once\): (cairn_[A-Za-z0-9]{8})\.[A-Za-z0-9_-]{43}$/.exec(created.out.join('\n'));
    expect(full).not.toBeNull();
    const prefix = full![1];
    const [row] = await sql<{ scopes: string[]; expires_at: Date; revoked_at: Date | null }>(
      `SELECT scopes, expires_at, revoked_at FROM api_key WHERE prefix = $1`,
      [prefix],
    );
    expect(row.scopes).toEqual(['taxii:read', 'intel:read']);
    expect(row.expires_at.toISOString()).toBe('2099-01-01T00:00:00.000Z');
    expect(row.revoked_at).toBeNull();

    const revoked = fakeIo();
    expect(await runCli(authCommands, ['apikey', 'revoke', prefix], revoked.io)).toBe(0);
    expect(revoked.out.join('\n')).toContain(`Revoked API key ${prefix}`);
    const [after] = await sql<{ revoked_at: Date | null }>(`SELECT revoked_at FROM api_key WHERE prefix = $1`, [prefix]);
    expect(after.revoked_at).not.toBeNull();

    const missing = fakeIo();
    expect(await runCli(authCommands, ['apikey', 'revoke', 'cairn_00000000'], missing.io)).toBe(1);
  });
});
