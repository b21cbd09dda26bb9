import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { IntelService } from '@cairn/intel';
import { ApiKeyService, UsersService } from '@cairn/auth';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newTenant, machineViewer, TEST_PASSWORD } from '../factories/tenancy.factory';
import { newIndicator } from '../factories/lookup.factory';

/**
 * Issue 14 item 7: SQL typed on the API's own database connection — the login and URL the app
 * uses — cannot step around row-level security, and the account tables carry it too.
 */
describe('attack: the API database connection tries to escape row-level security', () => {
  let api: TestApp;
  let a: TenantEntity;
  let b: TenantEntity;
  let db: Client;
  const emails = { a: `a-${randomBytes(3).toString('hex')}@alpha.example`, b: `b-${randomBytes(3).toString('hex')}@beta.example` };

  const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }';
  async function login(email: string): Promise<{ accessToken: string; refreshToken: string }> {
    const res = await gql<{ login: { accessToken: string; refreshToken: string } }>(api.baseUrl, LOGIN, { e: email, p: TEST_PASSWORD });
    if (!res.data) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
    return res.data.login;
  }
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  /** Rows of B in each table, read on the app connection after `setup` (an attack). */
  async function bRowsAfter(setup: string[]): Promise<Record<string, number>> {
    await db.query('BEGIN');
    try {
      for (const s of setup) await db.query(s);
      const count = async (sql: string, param: unknown = b.id) => Number((await db.query<{ n: string }>(sql, [param])).rows[0].n);
      return {
        stix_object: await count(`SELECT count(*) AS n FROM stix_object WHERE publisher_tenant_id = $1`),
        app_user: await count(`SELECT count(*) AS n FROM app_user WHERE tenant_id = $1`),
        api_key: await count(`SELECT count(*) AS n FROM api_key WHERE tenant_id = $1`),
        refresh_token: await count(`SELECT count(*) AS n FROM refresh_token WHERE user_id = ANY ($1::uuid[])`, bUserIds),
        audit_log: await count(`SELECT count(*) AS n FROM audit_log WHERE tenant_id = $1`),
      };
    } finally {
      await db.query('ROLLBACK');
    }
  }
  const NONE = { stix_object: 0, app_user: 0, api_key: 0, refresh_token: 0, audit_log: 0 };
  const asViewerA = () => `SELECT set_config('cairn.tenant_id', '${a.id}', true)`;

  /** What the owner sees of B (B's user ids name its refresh tokens, which have no tenant column). */
  let ownerCounts: Record<string, number>;
  let bUserIds: string[];

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { slug: `alpha-${randomBytes(3).toString('hex')}`, name: 'Alpha Payroll GmbH' });
    b = await newTenant(api.app, { slug: `beta-${randomBytes(3).toString('hex')}`, name: 'Beta Health Ltd' });
    await api.app.get(UsersService).create({ tenantId: a.id, email: emails.a, role: 'admin', password: TEST_PASSWORD });
    await api.app.get(UsersService).create({ tenantId: b.id, email: emails.b, role: 'admin', password: TEST_PASSWORD });
    await api.app.get(ApiKeyService).create({ tenantId: b.id, name: 'siem', scopes: ['taxii:read'] });
    await api.app
      .get(IntelService)
      .storeObjects(machineViewer(b), [newIndicator("[ipv4-addr:value = '198.51.100.7']")], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await login(emails.a);
    await login(emails.b); // refresh token + audit rows of B
    db = new Client({ connectionString: api.appDatabaseUrl });
    await db.connect();

    const owner = new Client({ connectionString: api.databaseUrl });
    await owner.connect();
    const n = async (sql: string) => Number((await owner.query<{ n: string }>(sql, [b.id])).rows[0].n);
    bUserIds = (await owner.query<{ id: string }>(`SELECT id FROM app_user WHERE tenant_id = $1`, [b.id])).rows.map((r) => r.id);
    ownerCounts = {
      stix_object: await n(`SELECT count(*) AS n FROM stix_object WHERE publisher_tenant_id = $1`),
      app_user: await n(`SELECT count(*) AS n FROM app_user WHERE tenant_id = $1`),
      api_key: await n(`SELECT count(*) AS n FROM api_key WHERE tenant_id = $1`),
      refresh_token: await n(`SELECT count(*) AS n FROM refresh_token r WHERE r.user_id IN (SELECT id FROM app_user WHERE tenant_id = $1)`),
      audit_log: await n(`SELECT count(*) AS n FROM audit_log WHERE tenant_id = $1`),
    };
    await owner.end();
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('B has rows in every table, so the attacks below have something to find', () => {
    for (const n of Object.values(ownerCounts)) expect(n).toBeGreaterThan(0);
  });

  it('the app login is neither superuser nor BYPASSRLS nor the owner of any table, nor a member of an owner', async () => {
    const { rows } = await db.query<{ rolsuper: boolean; rolbypassrls: boolean; owns: number; is_owner_member: boolean }>(
      `SELECT r.rolsuper, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_tables t WHERE t.schemaname = 'public' AND t.tableowner = current_user) AS owns,
              (SELECT bool_or(pg_has_role(current_user, t.tableowner, 'MEMBER')) FROM pg_tables t WHERE t.schemaname = 'public') AS is_owner_member
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owns: 0, is_owner_member: false });
    // The login itself, not just the role a startup option switched to (what the API did before).
    const { rows: session } = await db.query<{ same: boolean; rolsuper: boolean; rolbypassrls: boolean }>(
      `SELECT session_user = current_user AS same, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = session_user`,
    );
    expect(session[0]).toEqual({ same: true, rolsuper: false, rolbypassrls: false });
  });

  it('SET ROLE to the owner and SET SESSION AUTHORIZATION are refused', async () => {
    const { rows } = await db.query<{ owner: string }>(`SELECT tableowner AS owner FROM pg_tables WHERE tablename = 'stix_object'`);
    for (const target of new Set(['postgres', rows[0].owner])) {
      await expect(db.query(`SET ROLE ${target}`)).rejects.toThrow(/permission denied/);
      await expect(db.query(`SET SESSION AUTHORIZATION ${target}`)).rejects.toThrow(/permission denied/);
    }
    const { rows: who } = await db.query<{ u: string }>(`SELECT current_user AS u`);
    expect(who[0].u).not.toBe(rows[0].owner);
  });

  it.each([
    ['no viewer at all', [] as string[]],
    ['viewer A', ['__A__']],
    ['viewer A after RESET ROLE', ['__A__', 'RESET ROLE']],
    ['viewer A after SET ROLE cairn_app', ['__A__', 'SET ROLE cairn_app']],
    ['a forged operator setting', [`SELECT set_config('cairn.operator', 'on', true)`]],
    ['an operator proof under a guessed key', [`SELECT set_config('cairn.operator', cairn_operator_proof(repeat('x', 64)), true)`]],
    ['a session-wide viewer setting', [`SELECT set_config('cairn.tenant_id', '00000000-0000-4000-8000-000000000000', false)`]],
  ])('with %s, none of B’s rows in stix_object, app_user, api_key, refresh_token, audit_log are readable', async (_label, setup) => {
    expect(await bRowsAfter(setup.map((s) => (s === '__A__' ? asViewerA() : s)))).toEqual(NONE);
  });

  it('viewer A does see its own account rows (the policies are not simply closed)', async () => {
    await db.query('BEGIN');
    try {
      await db.query(asViewerA());
      const { rows } = await db.query<{ users: number; audit: number }>(
        `SELECT (SELECT count(*)::int FROM app_user WHERE tenant_id = $1) AS users, (SELECT count(*)::int FROM audit_log WHERE tenant_id = $1) AS audit`,
        [a.id],
      );
      expect(rows[0].users).toBe(1);
      expect(rows[0].audit).toBeGreaterThan(0);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('cannot read the trust key behind the operator proof', async () => {
    await expect(db.query(`SELECT key FROM cairn_private.trust_key`)).rejects.toThrow(/permission denied/);
  });

  it.each([
    ['update B’s users', `UPDATE app_user SET name = 'pwned' WHERE tenant_id = '__B__'`],
    ['revoke B’s keys', `UPDATE api_key SET revoked_at = now() WHERE tenant_id = '__B__'`],
    ['revoke B’s refresh tokens', `UPDATE refresh_token SET revoked_at = now() WHERE user_id = ANY ('__BUSERS__'::uuid[])`],
    ['rename B', `UPDATE tenant SET name = 'pwned' WHERE id = '__B__'`],
  ])('viewer A cannot %s (no row is touched)', async (_label, sql) => {
    await db.query('BEGIN');
    try {
      await db.query(asViewerA());
      const res = await db.query(sql.replace('__B__', b.id).replace('__BUSERS__', `{${bUserIds.join(',')}}`));
      expect(res.rowCount).toBe(0);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it.each([
    [
      'add a user to B',
      `INSERT INTO app_user (tenant_id, email, password_hash, role) VALUES ('__B__', 'evil@beta.example', 'scrypt$x', 'admin')`,
    ],
    [
      'add a key to B',
      `INSERT INTO api_key (tenant_id, name, prefix, secret_hash, scopes) VALUES ('__B__', 'evil', 'cairn_EVILEVIL', repeat('0', 64), '{intel:read}')`,
    ],
    ['write an audit entry for B', `INSERT INTO audit_log (tenant_id, action) VALUES ('__B__', 'auth.login')`],
    ['create a tenant', `INSERT INTO tenant (slug, name, country) VALUES ('evil-tenant', 'Evil', 'US')`],
    ['delete an audit entry', `DELETE FROM audit_log`],
    ['read the migrations table', `SELECT * FROM typeorm_migrations`],
  ])('viewer A cannot %s', async (_label, sql) => {
    await db.query('BEGIN');
    try {
      await db.query(asViewerA());
      await expect(db.query(sql.replace('__B__', b.id))).rejects.toThrow(/row-level security|permission denied/);
    } finally {
      await db.query('ROLLBACK');
    }
  });

  it('the sign-in lookups answer one exact value only: no patterns, nothing listed', async () => {
    const found = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rowCount;
    expect(await found(`SELECT * FROM cairn_auth_principal_by_email($1)`, ['%'])).toBe(0);
    expect(await found(`SELECT * FROM cairn_auth_principal_by_email($1)`, [null])).toBe(0);
    expect(await found(`SELECT * FROM cairn_auth_api_key($1, $2)`, ['cairn_%', null])).toBe(0);
    expect(await found(`SELECT * FROM cairn_auth_refresh_token_owner($1)`, ['%'])).toBe(0);
    expect(await found(`SELECT * FROM cairn_auth_principal_by_email($1)`, [emails.b])).toBe(1);
  });

  describe('the whole sign-in flow still works on this connection', () => {
    it('login, refresh (with reuse detection) and logout', async () => {
      const first = await login(emails.a);
      const REFRESH = 'mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }';
      const next = await gql<{ refreshToken: { accessToken: string; refreshToken: string } }>(api.baseUrl, REFRESH, {
        t: first.refreshToken,
      });
      expect(next.errors).toBeUndefined();
      const ME = '{ me { tenant { id } } }';
      expect(
        (await gql<{ me: { tenant: { id: string } } }>(api.baseUrl, ME, {}, bearer(next.data!.refreshToken.accessToken))).data!.me.tenant
          .id,
      ).toBe(a.id);
      // The first token again: its family is revoked, the successor too.
      expect((await gql(api.baseUrl, REFRESH, { t: first.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await gql(api.baseUrl, REFRESH, { t: next.data!.refreshToken.refreshToken })).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      const again = await login(emails.a);
      expect(
        (await gql(api.baseUrl, 'mutation ($t: String!) { logout(refreshToken: $t) }', { t: again.refreshToken })).errors,
      ).toBeUndefined();
      expect((await gql(api.baseUrl, REFRESH, { t: again.refreshToken })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('a tenant admin creates, uses, lists and revokes an API key, and reads only its own audit log', async () => {
      const admin = bearer((await login(emails.a)).accessToken);
      const created = await gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
        api.baseUrl,
        'mutation { createApiKey(input: { name: "siem", scopes: [TAXII_READ, INTEL_READ] }) { secret apiKey { id } } }',
        {},
        admin,
      );
      expect(created.errors).toBeUndefined();
      const key = created.data!.createApiKey;
      expect(
        (await gql<{ me: { tenant: { id: string } } }>(api.baseUrl, '{ me { tenant { id } } }', {}, bearer(key.secret))).data!.me.tenant.id,
      ).toBe(a.id);
      const list = await gql<{ apiKeys: Array<{ id: string }> }>(api.baseUrl, '{ apiKeys { id } }', {}, admin);
      expect(list.data!.apiKeys.map((k) => k.id)).toEqual([key.apiKey.id]);
      expect(
        (await gql(api.baseUrl, 'mutation ($id: ID!) { revokeApiKey(id: $id) { id } }', { id: key.apiKey.id }, admin)).errors,
      ).toBeUndefined();
      expect((await gql(api.baseUrl, '{ me { tenant { id } } }', {}, bearer(key.secret))).errors?.[0].extensions?.code).toBe(
        'UNAUTHENTICATED',
      );
      const audit = await gql<{ auditLog: Array<{ tenantId: string | null }> }>(
        api.baseUrl,
        '{ auditLog(first: 500) { tenantId } }',
        {},
        admin,
      );
      expect(audit.data!.auditLog.length).toBeGreaterThan(0);
      expect(new Set(audit.data!.auditLog.map((e) => e.tenantId))).toEqual(new Set([a.id]));
    });

    it('the exchange operator onboards a tenant, sees every tenant and every tenant’s account events', async () => {
      const exchange = await api.app.get(TenancyService).exchangeTenant();
      const email = `op-${randomBytes(3).toString('hex')}@exchange.example`;
      await api.app.get(UsersService).create({ tenantId: exchange.id, email, role: 'admin', password: TEST_PASSWORD, operator: true });
      const op = bearer((await login(email)).accessToken);
      const slug = `gamma-${randomBytes(3).toString('hex')}`;
      const made = await gql<{ createTenant: { id: string } }>(
        api.baseUrl,
        'mutation ($s: String!) { createTenant(input: { slug: $s, name: "Gamma", country: "DE", sectors: ["technology"] }) { id } }',
        { s: slug },
        op,
      );
      expect(made.errors).toBeUndefined();
      const suspended = await gql(
        api.baseUrl,
        'mutation ($id: ID!) { suspendTenant(id: $id) { status } }',
        { id: made.data!.createTenant.id },
        op,
      );
      expect(suspended.errors).toBeUndefined();
      const all = await gql<{ tenantAccounts: Array<{ id: string }> }>(api.baseUrl, '{ tenantAccounts { id } }', {}, op);
      expect(all.data!.tenantAccounts.map((t) => t.id)).toEqual(expect.arrayContaining([a.id, b.id, made.data!.createTenant.id]));
      const audit = await gql<{ auditLog: Array<{ tenantId: string | null; action: string }> }>(
        api.baseUrl,
        '{ auditLog(first: 500) { tenantId action } }',
        {},
        op,
      );
      const tenants = new Set(audit.data!.auditLog.map((e) => e.tenantId));
      expect(tenants.has(a.id) && tenants.has(b.id) && tenants.has(made.data!.createTenant.id)).toBe(true);
      // A member admin asking for B's entries still gets only its own.
      const member = bearer((await login(emails.a)).accessToken);
      const asked = await gql<{ auditLog: Array<{ tenantId: string }> }>(
        api.baseUrl,
        '{ auditLog(first: 500, filter: { tenantId: "' + b.id + '" }) { tenantId } }',
        {},
        member,
      );
      expect(asked.data!.auditLog.every((e) => e.tenantId === a.id)).toBe(true);
    });
  });
});
