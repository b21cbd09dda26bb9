import { randomBytes } from 'node:crypto';
import { ApiKeyService, UsersService } from '@cairn/auth';
import type { Role } from '@cairn/common';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { waitFor } from './support/wait';
import { sqlOn } from './support/cli';

const PASSWORD = 'correct horse battery staple';
const NO_STACK = /stacktrace|\bat .*\.[jt]s:\d+|node_modules/;

type GqlResult = Awaited<ReturnType<typeof gql>>;
function code(res: GqlResult): unknown {
  return res.errors?.[0]?.extensions?.code;
}
function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresAt user { id email name role tenant { id slug name } } }
}`;
const REFRESH = `mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken expiresAt user { id } } }`;
const ME = `{ me { kind role operator scopes tenant { id slug } user { id email } apiKey { id prefix } } }`;
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix name scopes expiresAt } } }`;

interface LoginData {
  login: {
    accessToken: string;
    refreshToken: string;
    expiresAt: string;
    user: { id: string; email: string; role: string; tenant: { id: string; slug: string } };
  };
}

describe('authentication over real HTTP', () => {
  let api: TestApp;
  let tenantA: TenantEntity;
  let tenantB: TenantEntity;
  const emails: Record<string, string> = {};

  async function newUser(tenant: TenantEntity, role: Role, label: string): Promise<string> {
    const email = `${label}-${randomBytes(4).toString('hex')}@Example.COM`;
    const user = await api.app.get(UsersService).create({ tenantId: tenant.id, email, name: label, role, password: PASSWORD });
    emails[label] = user.email;
    return user.id;
  }

  async function login(email: string, password = PASSWORD): Promise<GqlResult & { data?: LoginData }> {
    return gql<LoginData>(api.baseUrl, LOGIN, { email, password });
  }

  async function tokenOf(label: string): Promise<string> {
    const res = await login(emails[label]);
    expect(res.errors).toBeUndefined();
    return res.data!.login.accessToken;
  }

  const sql = sqlOn(() => api.databaseUrl);

  beforeAll(async () => {
    api = await startTestApp();
    const tenancy = api.app.get(TenancyService);
    tenantA = await tenancy.createTenant({
      slug: `a-${randomBytes(4).toString('hex')}`,
      name: 'Alpha Bank',
      country: 'DE',
      sectors: ['financial-services'],
    });
    tenantB = await tenancy.createTenant({
      slug: `b-${randomBytes(4).toString('hex')}`,
      name: 'Beta Insurance',
      country: 'GB',
      sectors: ['insurance'],
    });
    await newUser(tenantA, 'admin', 'adminA');
    await newUser(tenantA, 'analyst', 'analystA');
    await newUser(tenantA, 'reader', 'readerA');
    await newUser(tenantB, 'admin', 'adminB');
  });
  afterAll(async () => {
    await api.close();
  });

  describe('sign-in and sessions', () => {
    it('signs in by e-mail (any case) and the access token works on `me`', async () => {
      const res = await login(emails.adminA.toUpperCase());
      expect(res.errors).toBeUndefined();
      const session = res.data!.login;
      expect(session.user).toMatchObject({ email: emails.adminA, role: 'ADMIN', tenant: { id: tenantA.id, slug: tenantA.slug } });
      expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());

      const me = await gql(api.baseUrl, ME, {}, bearer(session.accessToken));
      expect(me.errors).toBeUndefined();
      expect(me.data).toEqual({
        me: {
          kind: 'USER',
          role: 'ADMIN',
          operator: false,
          scopes: expect.arrayContaining(['INTEL_READ', 'INTEL_WRITE', 'TENANT_ADMIN']),
          tenant: { id: tenantA.id, slug: tenantA.slug },
          user: { id: session.user.id, email: emails.adminA },
          apiKey: null,
        },
      });
      const rows = await sql(`SELECT last_login_at FROM app_user WHERE id = $1`, [session.user.id]);
      expect(rows[0].last_login_at).not.toBeNull();
    });

    it('refuses `me` without credentials, and with garbage, as UNAUTHENTICATED', async () => {
      for (const headers of [
        {},
        { authorization: 'Bearer nonsense' },
        { authorization: 'Digest abc' },
        basic('someone', 'password123456'),
      ]) {
        const res = await gql(api.baseUrl, ME, {}, headers);
        expect(code(res)).toBe('UNAUTHENTICATED');
        expect(res.errors![0].message).toBe('Invalid or missing credentials');
        expect(JSON.stringify(res)).not.toMatch(NO_STACK);
      }
    });

    it('gives the same error for a wrong password and for an unknown e-mail', async () => {
      const wrong = await login(emails.readerA, 'not the password at all');
      const unknown = await login(`nobody-${randomBytes(4).toString('hex')}@example.com`, PASSWORD);
      expect(code(wrong)).toBe('UNAUTHENTICATED');
      expect(code(unknown)).toBe('UNAUTHENTICATED');
      expect(wrong.errors![0]).toEqual(unknown.errors![0]);
      const audit = await sql<{ details: { reason: string } }>(
        `SELECT details FROM audit_log WHERE action = 'auth.login_failed' ORDER BY id`,
      );
      expect(audit.map((a) => a.details.reason)).toEqual(expect.arrayContaining(['bad_password', 'unknown_email']));
    });

    it('rotates refresh tokens: the new pair works, the old refresh token is consumed', async () => {
      const first = (await login(emails.analystA)).data!.login;
      const second = await gql<{ refreshToken: LoginData['login'] }>(api.baseUrl, REFRESH, { t: first.refreshToken });
      expect(second.errors).toBeUndefined();
      const next = second.data!.refreshToken;
      expect(next.refreshToken).not.toBe(first.refreshToken);
      expect(next.user.id).toBe(first.user.id);
      expect((await gql(api.baseUrl, ME, {}, bearer(next.accessToken))).errors).toBeUndefined();
      const third = await gql<{ refreshToken: LoginData['login'] }>(api.baseUrl, REFRESH, { t: next.refreshToken });
      expect(third.errors).toBeUndefined();
    });

    it('re-use of a consumed refresh token revokes the whole family and is audited', async () => {
      const first = (await login(emails.analystA)).data!.login;
      const rotated = (await gql<{ refreshToken: LoginData['login'] }>(api.baseUrl, REFRESH, { t: first.refreshToken })).data!.refreshToken;

      const replay = await gql(api.baseUrl, REFRESH, { t: first.refreshToken });
      expect(code(replay)).toBe('UNAUTHENTICATED');
      // The legitimate-looking successor dies with it: whoever holds either copy must sign in again.
      expect(code(await gql(api.baseUrl, REFRESH, { t: rotated.refreshToken }))).toBe('UNAUTHENTICATED');

      const audit = await sql<{ tenant_id: string; target_id: string }>(
        `SELECT tenant_id, target_id FROM audit_log WHERE action = 'auth.refresh_reused'`,
      );
      expect(audit).toContainEqual({ tenant_id: tenantA.id, target_id: first.user.id });
    });

    it('logout revokes the family; unknown tokens get the same answer', async () => {
      const session = (await login(emails.readerA)).data!.login;
      const out = await gql(api.baseUrl, `mutation ($t: String!) { logout(refreshToken: $t) }`, { t: session.refreshToken });
      expect(out.data).toEqual({ logout: true });
      expect(code(await gql(api.baseUrl, REFRESH, { t: session.refreshToken }))).toBe('UNAUTHENTICATED');
      const unknown = await gql(api.baseUrl, `mutation ($t: String!) { logout(refreshToken: $t) }`, {
        t: randomBytes(32).toString('base64url'),
      });
      expect(unknown.data).toEqual({ logout: true });
      expect((await sql(`SELECT 1 FROM audit_log WHERE action = 'auth.logout' AND target_id = $1`, [session.user.id])).length).toBe(1);
    });

    it('rejects a disabled user at once: access token, refresh token and password', async () => {
      const id = await newUser(tenantA, 'analyst', 'soonDisabled');
      const session = (await login(emails.soonDisabled)).data!.login;
      const admin = await tokenOf('adminA');
      const upd = await gql(
        api.baseUrl,
        `mutation ($id: ID!) { updateUser(id: $id, input: { disabled: true }) { id disabled } }`,
        { id },
        bearer(admin),
      );
      expect(upd.data).toEqual({ updateUser: { id, disabled: true } });

      for (const res of [
        await gql(api.baseUrl, ME, {}, bearer(session.accessToken)),
        await gql(api.baseUrl, REFRESH, { t: session.refreshToken }),
        await login(emails.soonDisabled),
      ]) {
        expect(code(res)).toBe('UNAUTHENTICATED');
        expect(JSON.stringify(res)).not.toMatch(NO_STACK);
      }
    });

    it('rejects the tokens and keys of a suspended tenant', async () => {
      const tenancy = api.app.get(TenancyService);
      const tenant = await tenancy.createTenant({
        slug: `s-${randomBytes(4).toString('hex')}`,
        name: 'Soon Suspended',
        country: 'FR',
        sectors: ['healthcare'],
      });
      await newUser(tenant, 'admin', 'suspendedAdmin');
      const token = await tokenOf('suspendedAdmin');
      const { secret } = await api.app.get(ApiKeyService).create({ tenantId: tenant.id, name: 'siem', scopes: ['taxii:read'] });
      expect((await gql(api.baseUrl, ME, {}, bearer(secret))).errors).toBeUndefined();

      await sql(`UPDATE tenant SET status = 'suspended' WHERE id = $1`, [tenant.id]);
      for (const res of [
        await gql(api.baseUrl, ME, {}, bearer(token)),
        await gql(api.baseUrl, ME, {}, bearer(secret)),
        await login(emails.suspendedAdmin),
      ]) {
        expect(code(res)).toBe('UNAUTHENTICATED');
        expect(JSON.stringify(res)).not.toMatch(NO_STACK);
      }
    });
  });

  describe('API keys', () => {
    let key: { secret: string; apiKey: { id: string; prefix: string; name: string; scopes: string[] } };

    beforeAll(async () => {
      const res = await gql<{ createApiKey: typeof key }>(
        api.baseUrl,
        CREATE_KEY,
        { input: { name: 'SIEM', scopes: ['INTEL_READ', 'TAXII_READ'] } },
        bearer(await tokenOf('adminA')),
      );
      expect(res.errors).toBeUndefined();
      key = res.data!.createApiKey;
    });

    it('shows the full key once, in the documented format, and stores only a hash', async () => {
      expect(key.apiKey.prefix).toMatch(/^cairn_[A-Za-z0-9]{8}$/);
      expect(key.secret).toMatch(new RegExp(`^${key.apiKey.prefix}\\.[A-Za-z0-9_-]{43}$`));
      expect(key.apiKey.scopes).toEqual(['INTEL_READ', 'TAXII_READ']);
      const [row] = await sql<{ secret_hash: string }>(`SELECT secret_hash FROM api_key WHERE id = $1`, [key.apiKey.id]);
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(key.secret.split('.')[1]);
      const list = await gql<{ apiKeys: Array<Record<string, unknown>> }>(
        api.baseUrl,
        `{ apiKeys { id prefix } }`,
        {},
        bearer(await tokenOf('adminA')),
      );
      expect(list.data!.apiKeys).toContainEqual({ id: key.apiKey.id, prefix: key.apiKey.prefix });
      expect(JSON.stringify(list)).not.toContain(key.secret);
    });

    it('is accepted as Bearer and as HTTP Basic in all three forms', async () => {
      const secretPart = key.secret.split('.')[1];
      for (const headers of [
        bearer(key.secret),
        basic('anything', key.secret),
        basic('', key.secret),
        basic(key.apiKey.prefix, secretPart),
        basic(key.apiKey.id, secretPart),
      ]) {
        const res = await gql<{ me: Record<string, unknown> }>(api.baseUrl, ME, {}, headers);
        expect(res.errors).toBeUndefined();
        expect(res.data!.me).toMatchObject({
          kind: 'API_KEY',
          role: null,
          user: null,
          scopes: ['INTEL_READ', 'TAXII_READ'],
          tenant: { id: tenantA.id },
          apiKey: { id: key.apiKey.id },
        });
      }
    });

    it('rejects a wrong secret for a real prefix, and a prefix/id that does not match the secret', async () => {
      const other = randomBytes(32).toString('base64url');
      for (const headers of [
        bearer(`${key.apiKey.prefix}.${other}`),
        basic(key.apiKey.prefix, other),
        basic(key.apiKey.id, other),
        basic('cairn_ZZZZZZZZ', key.secret.split('.')[1]),
      ]) {
        expect(code(await gql(api.baseUrl, ME, {}, headers))).toBe('UNAUTHENTICATED');
      }
    });

    it('records last use without a write per request, and audits use once', async () => {
      for (let i = 0; i < 3; i++) await gql(api.baseUrl, ME, {}, bearer(key.secret));
      // Both are written in the background, after the first request: wait for them.
      await waitFor(
        async () => (await sql(`SELECT 1 FROM audit_log WHERE action = 'apikey.used' AND target_id = $1`, [key.apiKey.id])).length > 0,
        { what: 'the key’s use to be audited' },
      );
      const [row] = await sql<{ last_used_at: Date | null }>(`SELECT last_used_at FROM api_key WHERE id = $1`, [key.apiKey.id]);
      expect(row.last_used_at).not.toBeNull();
      const used = await sql(`SELECT 1 FROM audit_log WHERE action = 'apikey.used' AND target_id = $1`, [key.apiKey.id]);
      expect(used.length).toBe(1);
    });

    it('is FORBIDDEN where its scopes do not reach (tenant administration needs tenant:admin)', async () => {
      for (const query of [`{ users { id } }`, `{ apiKeys { id } }`]) {
        const res = await gql(api.baseUrl, query, {}, bearer(key.secret));
        expect(code(res)).toBe('FORBIDDEN');
        expect(JSON.stringify(res)).not.toMatch(NO_STACK);
      }
    });

    it('refuses to grant tenant:admin to a key', async () => {
      const res = await gql(
        api.baseUrl,
        CREATE_KEY,
        { input: { name: 'too strong', scopes: ['TENANT_ADMIN'] } },
        bearer(await tokenOf('adminA')),
      );
      expect(code(res)).toBe('BAD_USER_INPUT');
    });

    it('stops working as soon as it is revoked', async () => {
      const created = await api.app.get(ApiKeyService).create({ tenantId: tenantA.id, name: 'to revoke', scopes: ['intel:read'] });
      expect((await gql(api.baseUrl, ME, {}, bearer(created.secret))).errors).toBeUndefined();
      const res = await gql(
        api.baseUrl,
        `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`,
        { id: created.apiKey.id },
        bearer(await tokenOf('adminA')),
      );
      expect(res.errors).toBeUndefined();
      expect(code(await gql(api.baseUrl, ME, {}, bearer(created.secret)))).toBe('UNAUTHENTICATED');
      expect((await sql(`SELECT 1 FROM audit_log WHERE action = 'apikey.revoked' AND target_id = $1`, [created.apiKey.id])).length).toBe(1);
    });

    it('stops working when it expires', async () => {
      const created = await api.app
        .get(ApiKeyService)
        .create({ tenantId: tenantA.id, name: 'short-lived', scopes: ['intel:read'], expiresAt: new Date(Date.now() + 60_000) });
      expect((await gql(api.baseUrl, ME, {}, bearer(created.secret))).errors).toBeUndefined();
      await sql(`UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.apiKey.id]);
      expect(code(await gql(api.baseUrl, ME, {}, bearer(created.secret)))).toBe('UNAUTHENTICATED');
    });
  });

  describe('tenant administration', () => {
    it('lets an admin create and list users of their own tenant only', async () => {
      const adminB = await tokenOf('adminB');
      const email = `new-${randomBytes(4).toString('hex')}@beta.example`;
      const created = await gql<{ createUser: { id: string; role: string; tenant: { id: string } } }>(
        api.baseUrl,
        `mutation ($input: CreateUserInput!) { createUser(input: $input) { id role tenant { id } } }`,
        { input: { email, name: 'New', role: 'ANALYST', password: 'a long enough password' } },
        bearer(adminB),
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createUser).toMatchObject({ role: 'ANALYST', tenant: { id: tenantB.id } });
      expect(code(await login(email, 'a long enough password'))).toBeUndefined();

      const list = await gql<{ users: Array<{ email: string }> }>(api.baseUrl, `{ users { email } }`, {}, bearer(adminB));
      const seen = list.data!.users.map((u) => u.email);
      expect(seen).toContain(email);
      expect(seen).not.toContain(emails.adminA);
      expect(seen).not.toContain(emails.analystA);
    });

    it("cannot see or manage another tenant's users and keys", async () => {
      const adminA = await tokenOf('adminA');
      const adminB = await tokenOf('adminB');
      const keyA = (
        await gql<{ createApiKey: { apiKey: { id: string } } }>(
          api.baseUrl,
          CREATE_KEY,
          { input: { name: 'A only', scopes: ['INTEL_READ'] } },
          bearer(adminA),
        )
      ).data!.createApiKey.apiKey;
      const [{ id: analystA }] = await sql<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [emails.analystA]);

      const keysB = await gql<{ apiKeys: Array<{ id: string }> }>(api.baseUrl, `{ apiKeys { id } }`, {}, bearer(adminB));
      expect(keysB.data!.apiKeys.map((k) => k.id)).not.toContain(keyA.id);
      const revoke = await gql(api.baseUrl, `mutation ($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: keyA.id }, bearer(adminB));
      expect(code(revoke)).toBe('NOT_FOUND');
      const update = await gql(
        api.baseUrl,
        `mutation ($id: ID!) { updateUser(id: $id, input: { role: ADMIN }) { id } }`,
        { id: analystA },
        bearer(adminB),
      );
      expect(code(update)).toBe('NOT_FOUND');
      const [row] = await sql<{ role: string }>(`SELECT role FROM app_user WHERE id = $1`, [analystA]);
      expect(row.role).toBe('analyst');
      const [key] = await sql<{ revoked_at: Date | null }>(`SELECT revoked_at FROM api_key WHERE id = $1`, [keyA.id]);
      expect(key.revoked_at).toBeNull();
    });

    it('does not let readers or analysts create keys or users', async () => {
      for (const label of ['readerA', 'analystA']) {
        const token = await tokenOf(label);
        expect(code(await gql(api.baseUrl, CREATE_KEY, { input: { name: 'nope', scopes: ['INTEL_READ'] } }, bearer(token)))).toBe(
          'FORBIDDEN',
        );
        expect(code(await gql(api.baseUrl, `{ users { id } }`, {}, bearer(token)))).toBe('FORBIDDEN');
      }
      expect((await sql(`SELECT 1 FROM api_key WHERE name = 'nope'`)).length).toBe(0);
    });

    it('refuses a short password, a taken e-mail (any case), and an admin demoting themselves', async () => {
      const adminA = await tokenOf('adminA');
      const create = `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`;
      expect(
        code(
          await gql(api.baseUrl, create, { input: { email: 'short@alpha.example', role: 'READER', password: 'short' } }, bearer(adminA)),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        code(
          await gql(
            api.baseUrl,
            create,
            { input: { email: emails.adminB.toUpperCase(), role: 'READER', password: PASSWORD } },
            bearer(adminA),
          ),
        ),
      ).toBe('CONFLICT');
      const [{ id }] = await sql<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [emails.adminA]);
      expect(
        code(await gql(api.baseUrl, `mutation ($id: ID!) { updateUser(id: $id, input: { role: READER }) { id } }`, { id }, bearer(adminA))),
      ).toBe('BAD_USER_INPUT');
    });

    it('allows the operator flag only on the exchange tenant, in the service and in the table itself', async () => {
      const users = api.app.get(UsersService);
      await expect(
        users.create({
          tenantId: tenantA.id,
          email: `op-${randomBytes(3).toString('hex')}@alpha.example`,
          role: 'admin',
          password: PASSWORD,
          operator: true,
        }),
      ).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
      });
      const [{ id: analystA }] = await sql<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [emails.analystA]);
      await expect(sql(`UPDATE app_user SET operator = true WHERE id = $1`, [analystA])).rejects.toThrow(/exchange tenant only/);

      const exchange = await api.app.get(TenancyService).createTenant({
        slug: `ex-${randomBytes(3).toString('hex')}`,
        name: 'The Exchange',
        country: 'GB',
        sectors: ['technology'],
        kind: 'exchange',
      });
      const staff = await users.create({
        tenantId: exchange.id,
        email: `staff-${randomBytes(3).toString('hex')}@exchange.example`,
        role: 'admin',
        password: PASSWORD,
        operator: true,
      });
      emails.staff = staff.email;
      const me = await gql<{ me: { operator: boolean } }>(api.baseUrl, ME, {}, bearer(await tokenOf('staff')));
      expect(me.data!.me.operator).toBe(true);
    });

    it('audits user and key administration with the acting admin', async () => {
      const [{ id: adminId }] = await sql<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [emails.adminA]);
      const rows = await sql<{ action: string }>(`SELECT DISTINCT action FROM audit_log WHERE actor_user_id = $1`, [adminId]);
      expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['auth.login', 'apikey.created', 'apikey.revoked', 'user.updated']));
    });
  });
});
