import { IntelService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { machineViewer, newApiKey, newTenant, signedInUser } from './factories/tenancy.factory';

const code = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;

describe('tenancy administration over GraphQL, seen from several tenants', () => {
  let api: TestApp;
  let exchange: TenantEntity;
  let a: TenantEntity;
  let b: TenantEntity;
  let c: TenantEntity;
  const as: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    api = await startTestApp();
    exchange = await newTenant(api.app, { kind: 'exchange', name: 'The Exchange', sectors: [] });
    a = await newTenant(api.app, {
      name: 'Alpha Payroll GmbH',
      country: 'DE',
      sectors: ['payroll-processing'],
      redactionTerms: ['Project Nightjar'],
    });
    b = await newTenant(api.app, { name: 'Beta Health Ltd', country: 'GB', sectors: ['healthcare'] });
    c = await newTenant(api.app, { name: 'Gamma Insurance', country: 'US', sectors: ['insurance'] });
    as.operator = await signedInUser(api.app, api.baseUrl, exchange, 'admin', { operator: true });
    as.adminA = await signedInUser(api.app, api.baseUrl, a, 'admin');
    as.readerA = await signedInUser(api.app, api.baseUrl, a, 'reader');
    as.adminB = await signedInUser(api.app, api.baseUrl, b, 'admin');
    as.adminC = await signedInUser(api.app, api.baseUrl, c, 'admin');
  }, 60_000);
  afterAll(async () => {
    await api.close();
  });

  describe('tenants', () => {
    const CREATE = 'mutation($i: CreateTenantInput!) { createTenant(input: $i) { id slug status } }';
    const input = (slug: string) => ({ i: { slug, name: 'Delta Bank', country: 'CA', sectors: ['financial-services'] } });

    it('only the exchange operator onboards tenants; a member admin gets FORBIDDEN and nothing is created', async () => {
      expect(code(await gql(api.baseUrl, CREATE, input('delta-by-a'), as.adminA))).toBe('FORBIDDEN');
      const created = await gql<{ createTenant: { slug: string; status: string } }>(api.baseUrl, CREATE, input('delta-bank'), as.operator);
      expect(created.data?.createTenant).toMatchObject({ slug: 'delta-bank', status: 'active' });
      const accounts = await gql<{ tenantAccounts: Array<{ slug: string }> }>(api.baseUrl, '{ tenantAccounts { slug } }', {}, as.operator);
      expect(accounts.data!.tenantAccounts.map((t) => t.slug)).toContain('delta-bank');
      expect(accounts.data!.tenantAccounts.map((t) => t.slug)).not.toContain('delta-by-a');
    });

    it('rejects a bad country or sector naming the field', async () => {
      const res = await gql(
        api.baseUrl,
        CREATE,
        { i: { slug: 'epsilon', name: 'E', country: 'Germany', sectors: ['banking'] } },
        as.operator,
      );
      expect(code(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions).toMatchObject({ reason: 'INVALID_COUNTRY', field: 'country' });
    });

    it('members list the directory (names, countries, sectors) but not each other’s settings', async () => {
      const dir = await gql<{ tenants: Array<{ id: string; name: string }> }>(
        api.baseUrl,
        '{ tenants { id name country sectors } }',
        {},
        as.adminB,
      );
      const names = dir.data!.tenants.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['Alpha Payroll GmbH', 'Beta Health Ltd']));
      expect(names).not.toContain('The Exchange');
      expect(code(await gql(api.baseUrl, '{ tenantAccounts { slug } }', {}, as.adminB))).toBe('FORBIDDEN');
      expect(code(await gql(api.baseUrl, '{ tenants { redactionTerms } }', {}, as.adminB))).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('myTenant shows each tenant its own settings only', async () => {
      const q = '{ myTenant { id name redactionTerms defaultDistribution } }';
      const mine = await gql<{ myTenant: { id: string; redactionTerms: string[] } }>(api.baseUrl, q, {}, as.readerA);
      expect(mine.data!.myTenant).toMatchObject({ id: a.id, redactionTerms: ['Project Nightjar'] });
      const theirs = await gql<{ myTenant: { id: string; redactionTerms: string[] } }>(api.baseUrl, q, {}, as.adminB);
      expect(theirs.data!.myTenant.id).toBe(b.id);
      expect(JSON.stringify(theirs)).not.toContain('Nightjar');
    });

    it('a tenant admin changes its own defaults; a reader may not; TLP:RED needs ORGANISATION or RECIPIENTS', async () => {
      const M = 'mutation($i: UpdateTenantSettingsInput!) { updateTenantSettings(input: $i) { id defaultTlp attribution } }';
      expect(code(await gql(api.baseUrl, M, { i: { attribution: 'NAMED' } }, as.readerA))).toBe('FORBIDDEN');
      const bad = await gql(api.baseUrl, M, { i: { defaultTlp: 'RED', defaultDistribution: 'SECTOR' } }, as.adminA);
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'defaultTlp' });
      const ok = await gql<{ updateTenantSettings: { id: string; attribution: string } }>(
        api.baseUrl,
        M,
        { i: { attribution: 'NAMED' } },
        as.adminA,
      );
      expect(ok.data!.updateTenantSettings).toMatchObject({ id: a.id, attribution: 'NAMED' });
    });

    it('suspending a tenant stops its keys at once; reactivating restores them', async () => {
      const key = await newApiKey(api.app, c, ['intel:read']);
      const q = '{ objects(first: 1) { edges { cursor } } }';
      expect((await gql(api.baseUrl, q, {}, { authorization: key })).errors).toBeUndefined();
      await gql(api.baseUrl, 'mutation($id: ID!) { suspendTenant(id: $id) { status } }', { id: c.id }, as.operator);
      expect(code(await gql(api.baseUrl, q, {}, { authorization: key }))).toBe('UNAUTHENTICATED');
      await gql(api.baseUrl, 'mutation($id: ID!) { reactivateTenant(id: $id) { status } }', { id: c.id }, as.operator);
      expect((await gql(api.baseUrl, q, {}, { authorization: key })).errors).toBeUndefined();
    });
  });

  describe('sharing groups', () => {
    let groupId: string;
    const GROUPS = '{ sharingGroups { id slug owned members { name } } }';

    it('an admin creates a group inviting another member, which joins by accepting; each member sees it, an outsider does not', async () => {
      const res = await gql<{ createSharingGroup: { id: string; owned: boolean; pendingInvitations: Array<{ name: string }> } }>(
        api.baseUrl,
        'mutation($i: CreateSharingGroupInput!) { createSharingGroup(input: $i) { id owned pendingInvitations { name } } }',
        { i: { slug: 'payroll-health', name: 'Payroll & health', invite: [b.id] } },
        as.adminA,
      );
      groupId = res.data!.createSharingGroup.id;
      expect(res.data!.createSharingGroup).toMatchObject({ owned: true, pendingInvitations: [{ name: 'Beta Health Ltd' }] });
      expect((await gql<{ sharingGroups: unknown[] }>(api.baseUrl, GROUPS, {}, as.adminB)).data!.sharingGroups).toEqual([]);
      const invitations = await gql<{ sharingGroupInvitations: Array<{ id: string; groupId: string }> }>(
        api.baseUrl,
        '{ sharingGroupInvitations { id groupId } }',
        {},
        as.adminB,
      );
      expect(invitations.data!.sharingGroupInvitations).toEqual([expect.objectContaining({ groupId })]);
      const accepted = await gql(
        api.baseUrl,
        'mutation($id: ID!) { acceptSharingGroupInvitation(id: $id) { id } }',
        { id: invitations.data!.sharingGroupInvitations[0].id },
        as.adminB,
      );
      expect(accepted.errors).toBeUndefined();
      const forB = await gql<{ sharingGroups: Array<{ id: string; owned: boolean; members: Array<{ name: string }> }> }>(
        api.baseUrl,
        GROUPS,
        {},
        as.adminB,
      );
      expect(forB.data!.sharingGroups).toEqual([expect.objectContaining({ id: groupId, owned: false })]);
      expect(forB.data!.sharingGroups[0].members.map((m) => m.name).sort()).toEqual(['Alpha Payroll GmbH', 'Beta Health Ltd']);
      const forC = await gql<{ sharingGroups: unknown[] }>(api.baseUrl, GROUPS, {}, as.adminC);
      expect(forC.data!.sharingGroups).toEqual([]);
    });

    it('only the owner changes membership; a removed member stops seeing the group’s objects at once', async () => {
      const doc = {
        type: 'indicator',
        spec_version: '2.1',
        id: 'indicator--0b0f7a3e-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
        created: '2025-03-01T00:00:00.000Z',
        modified: '2025-03-01T00:00:00.000Z',
        pattern: "[email-addr:value = 'x@y.example']",
        pattern_type: 'stix',
        valid_from: '2025-03-01T00:00:00Z',
      };
      await api.app.get(IntelService).storeObjects(machineViewer(a), [doc], { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' });
      const keyB = await newApiKey(api.app, b, ['intel:read']);
      const see = async () =>
        (
          await gql<{ objects: { edges: unknown[] } }>(
            api.baseUrl,
            '{ objects(first: 10) { edges { cursor } } }',
            {},
            { authorization: keyB },
          )
        ).data!.objects.edges.length;
      expect(await see()).toBe(1);

      const CHANGE = 'mutation($g: ID!, $r: [ID!]) { changeSharingGroupMembers(groupId: $g, remove: $r) { members { name } } }';
      expect(code(await gql(api.baseUrl, CHANGE, { g: groupId, r: [a.id] }, as.adminB))).toBe('FORBIDDEN');
      const changed = await gql<{ changeSharingGroupMembers: { members: Array<{ name: string }> } }>(
        api.baseUrl,
        CHANGE,
        { g: groupId, r: [b.id] },
        as.adminA,
      );
      expect(changed.data!.changeSharingGroupMembers.members.map((m) => m.name)).toEqual(['Alpha Payroll GmbH']);
      expect(await see()).toBe(0);
    });
  });

  describe('audit log', () => {
    const AUDIT = '{ auditLog(first: 200) { tenantId action targetId details } }';

    it('a tenant admin reads its own tenant’s entries only; a reader may not read it', async () => {
      const forA = await gql<{ auditLog: Array<{ tenantId: string; action: string }> }>(api.baseUrl, AUDIT, {}, as.adminA);
      expect(forA.data!.auditLog.length).toBeGreaterThan(0);
      expect(new Set(forA.data!.auditLog.map((e) => e.tenantId))).toEqual(new Set([a.id]));
      expect(forA.data!.auditLog.map((e) => e.action)).toEqual(expect.arrayContaining(['tenant.updated', 'group.created', 'auth.login']));
      expect(code(await gql(api.baseUrl, AUDIT, {}, as.readerA))).toBe('FORBIDDEN');
    });

    it('the operator reads every tenant’s entries, filtered by tenant on request', async () => {
      const all = await gql<{ auditLog: Array<{ tenantId: string }> }>(api.baseUrl, AUDIT, {}, as.operator);
      const tenantsSeen = new Set(all.data!.auditLog.map((e) => e.tenantId));
      expect(tenantsSeen.has(a.id) && tenantsSeen.has(b.id)).toBe(true);
      const onlyB = await gql<{ auditLog: Array<{ tenantId: string }> }>(
        api.baseUrl,
        '{ auditLog(filter: { tenantId: "' + b.id + '" }) { tenantId } }',
        {},
        as.operator,
      );
      expect(new Set(onlyB.data!.auditLog.map((e) => e.tenantId))).toEqual(new Set([b.id]));
    });

    it('reads of TLP:RED objects are audited for the reader; the operator does not see them', async () => {
      const id = 'indicator--6f1c2a7e-9d3b-4c5a-8e7f-1a2b3c4d5e6f';
      const doc = {
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: '2025-04-01T00:00:00.000Z',
        modified: '2025-04-01T00:00:00.000Z',
        pattern: "[ipv4-addr:value = '203.0.113.9']",
        pattern_type: 'stix',
        valid_from: '2025-04-01T00:00:00Z',
      };
      await api.app
        .get(IntelService)
        .storeObjects(machineViewer(a), [doc], { distribution: 'RECIPIENTS', recipientTenantIds: [b.id], tlp: 'RED' });
      const keyB = await newApiKey(api.app, b, ['intel:read']);
      await gql(api.baseUrl, '{ objects(first: 50) { edges { cursor } } }', {}, { authorization: keyB });

      const Q = '{ auditLog(filter: { actions: ["intel.read_restricted"] }) { tenantId targetId details } }';
      type Entries = {
        auditLog: Array<{ tenantId: string; details: { objects?: Array<{ id: string }>; count?: number; redacted?: boolean } }>;
      };
      const forB = await gql<Entries>(api.baseUrl, Q, {}, as.adminB);
      expect(forB.data!.auditLog[0].details.objects!.map((o) => o.id)).toEqual([id]);
      const forA = await gql<Entries>(api.baseUrl, Q, {}, as.adminA);
      expect(forA.data!.auditLog).toEqual([]);
      const forOperator = await gql<Entries>(api.baseUrl, Q, {}, as.operator);
      expect(forOperator.data!.auditLog).toEqual([]);

      // The same read over TAXII is audited too, marked as such.
      const siem = { authorization: await newApiKey(api.app, b, ['taxii:read']), accept: 'application/taxii+json;version=2.1' };
      const listed = (await (await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: siem })).json()) as {
        collections: Array<{ id: string; alias: string }>;
      };
      const all = listed.collections.find((c) => c.alias === 'all')!;
      const page = await fetch(`${api.baseUrl}/taxii2/api/collections/${all.id}/objects/`, { headers: siem });
      expect(page.status).toBe(200);
      type ViaEntries = { auditLog: Array<{ details: { via?: string; objects?: Array<{ id: string }> } }> };
      const after = await gql<ViaEntries>(api.baseUrl, Q, {}, as.adminB);
      expect(after.data!.auditLog.filter((e) => e.details.via === 'taxii').map((e) => e.details.objects!.map((o) => o.id))).toEqual([[id]]);
    });
  });
});
