import { createHash, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DbTrust } from '@cairn/access';
import { ApiKeyService, SessionService, UsersService, parseAuthorization } from '@cairn/auth';
import { SCOPES, type Viewer } from '@cairn/common';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { machineViewer, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { waitFor } from '../../../test/support/wait';
import { AuditService, type AuditAction, type AuditQuery } from './audit.service';

/** AuditService on the real append-only table: who reads which entries, what the filters do, what is never written. */
describe('AuditService on the real audit_log (libs/audit)', () => {
  let ctx: ServiceContext;
  let audit: AuditService;
  let owner: Client;
  let a: TenantEntity;
  let b: TenantEntity;
  let operator: Viewer;

  beforeAll(async () => {
    ctx = await startServiceContext();
    audit = ctx.app.get(AuditService);
    owner = await ctx.owner();
    a = await newTenant(ctx.app);
    b = await newTenant(ctx.app);
    // The operator works from the exchange's own tenant, like the CLI-created operator user.
    const exchange = await ctx.app.get(TenancyService).exchangeTenant();
    operator = {
      kind: 'user',
      tenantId: exchange.id,
      userId: '00000000-0000-4000-8000-0000000000aa',
      role: 'admin',
      operator: true,
      scopes: new Set(SCOPES),
    };
  });

  afterAll(async () => {
    await ctx?.close();
  });

  /** Appends one entry per action for `tenant` with a marker in its details, and returns the marker. */
  async function recordAll(tenant: TenantEntity | null, actions: AuditAction[]): Promise<string> {
    const marker = randomBytes(6).toString('hex');
    await audit.record(actions.map((action) => ({ action, tenantId: tenant?.id ?? null, details: { marker } })));
    return marker;
  }
  const list = async (viewer: Viewer, q: Partial<AuditQuery> = {}) =>
    (await audit.query({ limit: 500, ...q }, viewer)).map((e) => ({ tenant: e.tenantId, action: e.action, marker: e.details.marker }));
  const withMarker = <R extends { marker?: unknown }>(rows: R[], ...markers: string[]): R[] =>
    rows.filter((r) => markers.includes(r.marker as string));

  describe('who reads what', () => {
    let ma: string;
    let mb: string;
    let mnone: string;
    const EVENTS: AuditAction[] = ['tenant.updated', 'apikey.created', 'intel.published', 'sighting.reported', 'lookup.volume'];

    beforeAll(async () => {
      ma = await recordAll(a, EVENTS);
      mb = await recordAll(b, EVENTS);
      mnone = await recordAll(null, ['auth.login_failed']);
    });

    it("a member reads its own tenant's entries only, all of them, newest first", async () => {
      const rows = withMarker(await list(machineViewer(a)), ma, mb, mnone);
      expect(rows).toEqual([...EVENTS].reverse().map((action) => ({ tenant: a.id, action, marker: ma })));
      expect(withMarker(await list(machineViewer(b)), ma, mb, mnone).map((r) => r.marker)).toEqual(EVENTS.map(() => mb));
    });

    it("asking for another tenant's entries gives a member nothing (row-level security, whatever the filter)", async () => {
      expect(withMarker(await list(machineViewer(a), { tenantId: b.id }), ma, mb, mnone)).toEqual([]);
    });

    it("the operator reads every tenant's account and admin events and the tenant-less ones, but no member's publishing, sighting or lookup events", async () => {
      const rows = withMarker(await list(operator), ma, mb, mnone);
      const seen = rows.map((r) => `${r.tenant === a.id ? 'A' : r.tenant === b.id ? 'B' : 'none'} ${r.action}`).sort();
      expect(seen).toEqual(['A apikey.created', 'A tenant.updated', 'B apikey.created', 'B tenant.updated', 'none auth.login_failed']);
    });

    it("the operator's own tenant's events are all shown to it", async () => {
      const mine = await recordAll(await ctx.app.get(TenancyService).exchangeTenant(), ['intel.published', 'sighting.reported']);
      expect(withMarker(await list(operator), mine).map((r) => r.action)).toEqual(['sighting.reported', 'intel.published']);
    });

    it('the operator filters by tenant and by action', async () => {
      expect(withMarker(await list(operator, { tenantId: b.id }), ma, mb, mnone).map((r) => `${r.tenant === b.id} ${r.action}`)).toEqual([
        'true apikey.created',
        'true tenant.updated',
      ]);
      expect(
        withMarker(await list(operator, { actions: ['apikey.created', 'auth.login_failed'] }), ma, mb, mnone)
          .map((r) => r.action)
          .sort(),
      ).toEqual(['apikey.created', 'apikey.created', 'auth.login_failed']);
      // An action filter does not reopen what the operator may not see.
      expect(withMarker(await list(operator, { actions: ['intel.published'] }), ma, mb)).toEqual([]);
    });
  });

  it('pages by keyset (beforeId) with limit, newest first, without repeating or skipping', async () => {
    const marker = await recordAll(a, ['user.created', 'user.updated', 'apikey.created', 'apikey.revoked', 'tenant.updated']);
    const pages: string[][] = [];
    let beforeId: string | undefined;
    for (;;) {
      const page = (
        await audit.query(
          { limit: 2, actions: ['user.created', 'user.updated', 'apikey.created', 'apikey.revoked', 'tenant.updated'], beforeId },
          machineViewer(a),
        )
      ).filter((e) => e.details.marker === marker);
      if (page.length === 0) break;
      pages.push(page.map((e) => e.action));
      beforeId = page[page.length - 1].id;
    }
    expect(pages).toEqual([['tenant.updated', 'apikey.revoked'], ['apikey.created', 'user.updated'], ['user.created']]);
  });

  it('since and before split the log at a moment between two entries', async () => {
    const first = await recordAll(a, ['tenant.updated']);
    const [{ id }] = (await owner.query(`SELECT id FROM audit_log WHERE details->>'marker' = $1`, [first])).rows;
    // A millisecond boundary (what a Date holds) strictly after the first entry's microsecond timestamp.
    const boundary = await waitFor(
      async () => {
        const { rows } = await owner.query(
          `SELECT date_trunc('milliseconds', clock_timestamp()) AS b, date_trunc('milliseconds', clock_timestamp()) > (SELECT at FROM audit_log WHERE id = $1) AS past`,
          [id],
        );
        return rows[0].past ? (rows[0].b as Date) : null;
      },
      { what: "the database clock to pass the first entry's millisecond" },
    );
    const second = await recordAll(a, ['tenant.updated']);
    const markers = async (q: Partial<AuditQuery>) =>
      withMarker(await list(machineViewer(a), q), first, second).map((r) => (r.marker === first ? 'first' : 'second'));
    expect(await markers({ since: boundary })).toEqual(['second']);
    expect(await markers({ before: boundary })).toEqual(['first']);
  });

  it('an entry recorded in a transaction commits with it, or not at all', async () => {
    const marker = randomBytes(6).toString('hex');
    await expect(
      ctx.app.get(DbTrust).asTenant(a.id, async (m) => {
        await audit.record({ action: 'tenant.updated', tenantId: a.id, details: { marker } }, m);
        throw new Error('the change it describes failed');
      }),
    ).rejects.toThrow('the change it describes failed');
    expect((await owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE details->>'marker' = $1`, [marker])).rows[0].n).toBe(0);
  });

  it('records the actor from the viewer: its user or its key', async () => {
    const key: Viewer = { ...machineViewer(a), apiKeyId: '00000000-0000-4000-8000-00000000000b' };
    const user: Viewer = {
      kind: 'user',
      tenantId: a.id,
      userId: '00000000-0000-4000-8000-00000000000c',
      role: 'admin',
      operator: false,
      scopes: new Set(SCOPES),
    };
    await audit.record([
      { action: 'intel.published', viewer: key, details: { marker: 'actor-key' } },
      { action: 'intel.published', viewer: user, details: { marker: 'actor-user' } },
    ]);
    const rows = (await audit.query({ limit: 10, actions: ['intel.published'] }, machineViewer(a))).filter((e) =>
      String(e.details.marker).startsWith('actor-'),
    );
    expect(rows.map((e) => ({ tenant: e.tenantId, key: e.actorKeyId, user: e.actorUserId, marker: e.details.marker }))).toEqual([
      { tenant: a.id, key: null, user: user.userId, marker: 'actor-user' },
      { tenant: a.id, key: key.apiKeyId, user: null, marker: 'actor-key' },
    ]);
  });

  it('no entry carries a secret: key secrets and their hashes, passwords (right or wrong) and hashes, access and refresh tokens', async () => {
    const t = await newTenant(ctx.app);
    const { secret: keySecret } = await ctx.app.get(ApiKeyService).create({ tenantId: t.id, name: 'audit key', scopes: ['intel:read'] });
    // Its first use is audited (apikey.used), off the request path.
    const credential = parseAuthorization(`Bearer ${keySecret}`);
    await ctx.app.get(ApiKeyService).verify(credential as never);
    const password = `pw-${randomBytes(12).toString('hex')}`;
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    const email = `audit-${randomBytes(4).toString('hex')}@${t.slug}.example`;
    await ctx.app.get(UsersService).create({ tenantId: t.id, email, role: 'admin', password });
    const sessions = ctx.app.get(SessionService);
    await expect(sessions.login(email, wrong, { ip: '203.0.113.9' })).rejects.toThrow();
    const session = await sessions.login(email, password, { ip: '203.0.113.9' });
    const next = await sessions.refresh(session.refreshToken);
    await expect(sessions.refresh(session.refreshToken)).rejects.toThrow(); // reuse: audited, family revoked
    await sessions.logout(next.refreshToken);

    const actions = ['apikey.created', 'apikey.used', 'user.created', 'auth.login_failed', 'auth.login', 'auth.refresh_reused'];
    const rows = await waitFor(
      async () => {
        const { rows } = await owner.query(
          `SELECT action, target_type, target_id, details, request_id FROM audit_log WHERE tenant_id = $1`,
          [t.id],
        );
        return actions.every((act) => rows.some((r: { action: string }) => r.action === act)) && rows;
      },
      { what: 'every event of the flow to be audited' },
    );
    const [{ password_hash }] = (await owner.query('SELECT password_hash FROM app_user WHERE email = $1', [email])).rows;
    const keyPart = keySecret.split('.')[1];
    const secrets = {
      keySecret,
      keyPart,
      keyHash: createHash('sha256').update(keyPart).digest('hex'),
      fullKeyHash: createHash('sha256').update(keySecret).digest('hex'),
      password,
      wrong,
      password_hash,
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      nextAccess: next.accessToken,
      nextRefresh: next.refreshToken,
    };
    const written = JSON.stringify(rows);
    const leaked = Object.entries(secrets).filter(([, s]) => written.includes(s) || written.includes(s.slice(-16)));
    expect(leaked.map(([name]) => name)).toEqual([]);
  });
});
