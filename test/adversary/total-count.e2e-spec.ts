import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf } from '../factories/stix.factory';

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const SIGHT = 'mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id } }';
const OBJECTS =
  'query($f: ObjectFilterInput, $n: Int!) { objects(filter: $f, first: $n) { totalCount edges { node { id } } pageInfo { hasNextPage } } }';
const FEED = 'query($f: FeedFilterInput) { feed(filter: $f, first: 500) { totalCount edges { node { id } } } }';
const T = '2025-05-01T00:00:00.000Z';
const indicator = () => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: T,
  modified: T,
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: T,
});
type Conn = { totalCount: number | null; edges: Array<{ node: { id: string } }> };

describe('totalCount counts only what the viewer may see, and no small crowd', () => {
  let api: TestApp;
  let a: TenantEntity;
  let b: TenantEntity;
  let viewer: TenantEntity;
  let reporters: TenantEntity[];
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const publish = async (t: TenantEntity, s: Record<string, unknown>, ...objects: unknown[]) => {
    const res = await gql(api.baseUrl, PUBLISH, { b: bundleOf(...objects), s }, as(t));
    expect(res.errors).toBeUndefined();
  };
  const objects = async (t: TenantEntity, f: Record<string, unknown>, n = 1000) => {
    const res = await gql<{ objects: Conn }>(api.baseUrl, OBJECTS, { f, n }, as(t));
    expect(res.errors).toBeUndefined();
    return res.data!.objects;
  };
  const feed = async (t: TenantEntity, f: Record<string, unknown>) => {
    const res = await gql<{ feed: Conn }>(api.baseUrl, FEED, { f }, as(t));
    expect(res.errors).toBeUndefined();
    return res.data!.feed;
  };

  const subject = indicator();

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    b = await newTenant(api.app, { country: 'IT', sectors: ['technology'] });
    viewer = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    reporters = [];
    for (let i = 0; i < api.config.kAnonymity; i++) reporters.push(await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] }));
    for (const t of [a, b, viewer, ...reporters]) key.set(t.id, await newApiKey(api.app, t));
    await publish(a, { distribution: 'ORGANISATION' }, indicator(), indicator(), indicator());
    await publish(a, { distribution: 'COMMUNITY', tlp: 'GREEN' }, indicator(), indicator());
    await publish(b, { distribution: 'ORGANISATION' }, indicator(), indicator(), indicator(), indicator(), indicator());
    await publish(b, { distribution: 'COMMUNITY', tlp: 'GREEN' }, subject);
  }, 90_000);
  afterAll(() => api.close());

  it('equals what paging finds, for each tenant: the other tenant’s private objects are never counted', async () => {
    const forA = await objects(a, { types: ['indicator'] });
    const forB = await objects(b, { types: ['indicator'] });
    expect(forA.totalCount).toBe(3 + 2 + 1);
    expect(forB.totalCount).toBe(5 + 1 + 2);
    expect(forA.totalCount).toBe(forA.edges.length);
    expect(forB.totalCount).toBe(forB.edges.length);
    expect((await objects(a, { types: ['indicator'], mine: false })).totalCount).toBe(1);
    expect((await objects(a, { types: ['indicator'], mine: true })).totalCount).toBe(5);
    // Over all pages, not one page.
    const small = await objects(a, { types: ['indicator'] }, 2);
    expect(small.edges).toHaveLength(2);
    expect(small.totalCount).toBe(6);
    // The feed: the same predicate.
    const feedA = await feed(a, { types: ['INDICATOR'] });
    const feedB = await feed(b, { types: ['INDICATOR'] });
    expect(feedA.totalCount).toBe(feedA.edges.length);
    expect(feedB.totalCount).toBe(feedB.edges.length);
    expect(feedA.totalCount).toBe(6);
    expect(feedB.totalCount).toBe(8);
  });

  it('a count of sightings by fewer than k other members is suppressed (null); from k on, and for the viewer’s own, it is shown', async () => {
    const sight = async (t: TenantEntity) => {
      const res = await gql(api.baseUrl, SIGHT, { i: { sightingOf: subject.id, firstSeen: '2025-05-02T00:00:00Z' } }, as(t));
      expect(res.errors).toBeUndefined();
    };
    // The viewer's own sighting: nobody else behind the figure.
    await sight(viewer);
    expect((await feed(viewer, { types: ['SIGHTING'] })).totalCount).toBe(1);
    expect((await objects(viewer, { types: ['sighting'] })).totalCount).toBe(1);
    // One other member: with the count of its own, it would tell that member's count.
    await sight(reporters[0]);
    expect((await feed(viewer, { types: ['SIGHTING'] })).totalCount).toBeNull();
    expect((await objects(viewer, { types: ['sighting'] })).totalCount).toBeNull();
    expect((await objects(viewer, {})).totalCount).toBeNull();
    for (const r of reporters.slice(1)) await sight(r);
    const k = api.config.kAnonymity;
    expect((await feed(viewer, { types: ['SIGHTING'] })).totalCount).toBe(k + 1);
    expect((await objects(viewer, { types: ['sighting'] })).totalCount).toBe(k + 1);
    // A tenant that sees none of these sightings counts none of them.
    const forA = await objects(a, { types: ['sighting'] });
    expect(forA.totalCount).toBe(forA.edges.length);
  });
});
