import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { bundleOf as bundle } from './factories/stix.factory';
import { seedDemo } from '@cairn/demo';

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f, first: 1000) { edges { node { id revoked dateAdded modified } } } }';
const sdo = (type: string, props: Record<string, unknown>) => ({
  type,
  spec_version: '2.1',
  id: `${type}--${randomUUID()}`,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  ...props,
});
const ind = (name: string, props: Record<string, unknown> = {}) =>
  sdo('indicator', {
    name,
    pattern: "[ipv4-addr:value = '198.51.100.50']",
    pattern_type: 'stix',
    valid_from: '2025-01-01T00:00:00Z',
    ...props,
  });

describe('objects(filter) and exportBundle(filter): what each tenant may and may not find', () => {
  let api: TestApp;
  let a: TenantEntity; // healthcare DE, publisher
  let b: TenantEntity; // healthcare FR
  let c: TenantEntity; // technology US, publisher
  const key = new Map<string, string>();
  const x1 = ind('Laptop farm in Ohio', {
    labels: ['laptop-farm'],
    description: 'VPN exits of a laptop farm',
    modified: '2025-03-01T00:00:00.000Z',
  });
  const x2 = ind('Résumé reuse', { labels: ['resume'], modified: '2025-05-01T00:00:00.000Z' });
  const actor = sdo('threat-actor', { name: 'Filter Test Actor', aliases: ['FTA Alias'] });
  const rel = sdo('relationship', { relationship_type: 'indicates', source_ref: x1.id, target_ref: actor.id });
  const y1 = ind('Another laptop farm', { labels: ['laptop-farm'] });

  const ids = async (t: TenantEntity, f: Record<string, unknown>) => {
    const res = await gql<{ objects: { edges: Array<{ node: { id: string; revoked: boolean; dateAdded: string } }> } }>(
      api.baseUrl,
      OBJECTS,
      { f },
      { authorization: key.get(t.id)! },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.objects.edges.map((e) => e.node.id).sort();
  };
  const sorted = (...xs: Array<{ id: string }>) => xs.map((x) => x.id).sort();

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    c = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    for (const t of [a, b, c]) key.set(t.id, await newApiKey(api.app, t));
    const pub = async (t: TenantEntity, s: Record<string, unknown>, ...objects: unknown[]) => {
      const res = await gql(api.baseUrl, PUBLISH, { b: bundle(...objects), s }, { authorization: key.get(t.id)! });
      expect(res.errors).toBeUndefined();
    };
    await pub(a, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, actor);
    await pub(a, { distribution: 'SECTOR', tlp: 'GREEN' }, x1);
    await pub(a, { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'US'] }, x2);
    await pub(a, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, rel);
    await pub(c, { distribution: 'COMMUNITY', tlp: 'AMBER' }, y1);
  });
  afterAll(() => api.close());

  it.each([
    ['types', { types: ['threat-actor'] }, () => [sorted(actor), sorted(actor)]],
    // rel references x1 (healthcare, TLP:GREEN): references never widen, so it is stored as x1 is.
    ['tlp', { tlp: ['GREEN'] }, () => [sorted(x1, rel), []]],
    ['sectors (audience)', { sectors: ['healthcare'] }, () => [sorted(x1, rel), []]],
    // Answered for the viewer's own country only (B is in FR, C in US), whatever the narrowing: for
    // its own y1 (not narrowed) too: a row of its own may carry another member’s narrowing, so none answers for DE.
    ['countries (audience), not the viewer’s', { countries: ['DE'] }, () => [[], []]],
    ['countries (audience), the viewer’s', { countries: ['US', 'FR'] }, () => [sorted(actor, x1, rel, y1), sorted(actor, x2, y1)]],
    ['labels', { labels: ['laptop-farm'] }, () => [sorted(x1, y1), sorted(y1)]],
    ['actor by alias (visible relationship, visible object)', { actor: 'fta alias' }, () => [sorted(x1), []]],
    ['actor by id', { actor: actor.id }, () => [sorted(x1), []]],
    ['text search on name and description', { search: 'laptop farm' }, () => [sorted(x1, y1), sorted(y1)]],
    ['modifiedAfter', { modifiedAfter: '2025-04-01T00:00:00Z', types: ['indicator'] }, () => [[], sorted(x2)]],
    ['modifiedBefore', { modifiedBefore: '2025-04-01T00:00:00Z', types: ['indicator'] }, () => [sorted(x1, y1), sorted(y1)]],
  ] as Array<[string, Record<string, unknown>, () => [string[], string[]]]>)(
    '%s: tenant B (healthcare, FR) and tenant C (technology, US)',
    async (_name, filter, expected) => {
      const [forB, forC] = expected();
      expect(await ids(b, filter)).toEqual(forB);
      expect(await ids(c, filter)).toEqual(forC);
    },
  );

  it('addedAfter / addedBefore use the exchange time, exclusively', async () => {
    const all = await gql<{ objects: { edges: Array<{ node: { id: string; dateAdded: string } }> } }>(
      api.baseUrl,
      OBJECTS,
      { f: {} },
      { authorization: key.get(c.id)! },
    );
    const added = new Map(all.data!.objects.edges.map((e) => [e.node.id, e.node.dateAdded]));
    expect(await ids(c, { addedAfter: added.get(x2.id) })).toEqual(sorted(y1));
    expect(await ids(c, { addedBefore: added.get(x2.id) })).toEqual(sorted(actor));
    expect(await ids(b, { addedAfter: added.get(x2.id) })).toEqual(sorted(rel, y1));
    const bad = await gql(api.baseUrl, OBJECTS, { f: { addedAfter: 'yesterday' } }, { authorization: key.get(b.id)! });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.addedAfter' });
  });

  it('revoked: included, only, or not', async () => {
    const res = await gql(
      api.baseUrl,
      'mutation($id: String!) { revoke(id: $id) { revoked } }',
      { id: y1.id },
      { authorization: key.get(c.id)! },
    );
    expect(res.errors).toBeUndefined();
    for (const t of [b, c]) {
      expect(await ids(t, { ids: [y1.id] })).toEqual([y1.id, y1.id]);
      expect(await ids(t, { ids: [y1.id], revoked: true })).toEqual([y1.id]);
      expect(await ids(t, { ids: [y1.id], revoked: false })).toEqual([y1.id]);
    }
    expect(await ids(a, { revoked: true })).toEqual([y1.id]);
  });

  it('exportBundle applies the same filters and visibility, newest versions only, with TLP definitions', async () => {
    const EXPORT = 'query($f: ObjectFilterInput) { exportBundle(filter: $f) { bundle objectCount truncated } }';
    const forC = await gql<{
      exportBundle: { bundle: { id: string; objects: Array<Record<string, unknown>> }; objectCount: number; truncated: boolean };
    }>(api.baseUrl, EXPORT, { f: { types: ['indicator'] } }, { authorization: key.get(c.id)! });
    const e = forC.data!.exportBundle;
    expect(e).toMatchObject({ objectCount: 2, truncated: false });
    expect(e.bundle.id).toMatch(/^bundle--/);
    const indicators = e.bundle.objects.filter((o) => o.type === 'indicator');
    expect(indicators.map((o) => o.id).sort()).toEqual(sorted(x2, y1));
    expect(indicators.find((o) => o.id === y1.id)!.revoked).toBe(true);
    expect(
      e.bundle.objects
        .filter((o) => o.type === 'marking-definition')
        .map((o) => o.name)
        .sort(),
    ).toEqual(['TLP:AMBER', 'TLP:CLEAR']);
    const again = await gql<{ exportBundle: { bundle: { id: string } } }>(
      api.baseUrl,
      EXPORT,
      { f: { types: ['indicator'] } },
      { authorization: key.get(c.id)! },
    );
    expect(again.data!.exportBundle.bundle.id).not.toBe(e.bundle.id);
  });
});

describe('demo seeding publishes the campaign through the pipeline', () => {
  // No time limit: how long seeding takes is the machine's business (a loaded machine took 16 s), not a test's.
  it('at scale 1: the actor is COMMUNITY/CLEAR and members see indicators linked to it, without raw e-mail addresses', async () => {
    const api = await startTestApp();
    try {
      const summary = await seedDemo(api.app, { seed: 1, scale: 1 });
      expect(summary).toContain('intel:');
      const member = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
      const auth = { authorization: await newApiKey(api.app, member) };
      const actors = await gql<{ objects: { edges: Array<{ node: { tlp: string; object: { name: string } } }> } }>(
        api.baseUrl,
        'query { objects(filter: { types: ["threat-actor", "intrusion-set"] }) { edges { node { tlp object } } } }',
        {},
        auth,
      );
      expect(actors.data!.objects.edges.map((e) => [e.node.object.name, e.node.tlp]).sort()).toEqual([
        ['DPRK remote IT workers', 'CLEAR'],
        ['Famous Chollima', 'CLEAR'],
      ]);
      const linked = await gql<{ objects: { edges: unknown[] } }>(
        api.baseUrl,
        'query { objects(first: 1000, filter: { actor: "Jasper Sleet", types: ["indicator"] }) { edges { node { object } } } }',
        {},
        auth,
      );
      expect(linked.data!.objects.edges.length).toBeGreaterThan(50);
      // E-mail patterns compare the protected rendering (<hmac>@protected.invalid), never a raw address.
      const emailTests = [...JSON.stringify(linked).matchAll(/\[email-addr:value = '([^']*)'\]/g)].map((m) => m[1]);
      expect(emailTests.length).toBeGreaterThan(0);
      expect(emailTests.filter((v) => !/^[0-9a-f]{64}@protected\.invalid$/.test(v))).toEqual([]);
    } finally {
      await api.close();
    }
  });
});
