import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf, indicatorObject } from '../factories/stix.factory';

/**
 * Cursors are sealed so that they "count nothing" of other members' writes (cursor.ts: "a readable
 * one would let a member count the writes it may not see"). exportBundle's nextCursor seals, next to
 * the page position, the snapshot horizon — the exchange-wide feed head when the export began. Sealed
 * deterministically, two exports of the same first page, started at two moments, gave the same cursor
 * exactly when no member at all wrote in between: a member polling exportBundle(first: 1) learnt when
 * anyone published, sighted or revoked anything it may not see (ORGANISATION, TLP:RED …).
 *
 * Every other token a member is handed (GraphQL edge cursors and pageInfo, feed cursors, TAXII `next`
 * and X-TAXII-Date-Added-First/Last, watchlist hit cursors) seals or shows only rows the member was
 * served, so the same page gives the same tokens whatever others wrote: guarded below.
 */
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const REVOKE = 'mutation($id: String!) { revoke(id: $id) { id } }';
const EXPORT = 'query($a: String) { exportBundle(first: 1, after: $a, filter: { mine: true }) { bundle nextCursor } }';
const OBJECTS =
  'query { objects(first: 1, filter: { mine: true }) { edges { cursor node { id dateAdded } } pageInfo { endCursor hasNextPage } totalCount } }';
const FEED =
  'query { feed(first: 1, newestFirst: false) { edges { cursor node { id dateAdded } } pageInfo { endCursor hasNextPage } totalCount } }';
const HITS = 'query { watchlistHits(first: 1) { headCursor endCursor hasNextPage hits { cursor } } }';
const TAXII = 'application/taxii+json;version=2.1';
const indicator = () => indicatorObject();

describe('adversary: sealed tokens tell a member nothing of writes it may not see', () => {
  let api: TestApp;
  let hostile: TenantEntity;
  let victim: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const ok = async <T>(query: string, vars: Record<string, unknown>, t: TenantEntity): Promise<T> => {
    const res = await gql<T>(api.baseUrl, query, vars, as(t));
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  /** The victim publishes something the hostile member may never see, then revokes it: two invisible writes. */
  const invisibleWrites = async () => {
    const secret = indicator();
    await ok(PUBLISH, { b: bundleOf(secret), s: { distribution: 'ORGANISATION', tlp: 'RED' } }, victim);
    await ok(REVOKE, { id: secret.id }, victim);
  };
  const exportPage = async (after?: string) =>
    (await ok<{ exportBundle: { bundle: { objects: Array<{ id: string }> }; nextCursor: string | null } }>(EXPORT, { a: after }, hostile))
      .exportBundle;
  const cursor = async () => (await exportPage()).nextCursor!;

  beforeAll(async () => {
    api = await startTestApp();
    hostile = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    victim = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    for (const t of [hostile, victim]) key.set(t.id, await newApiKey(api.app, t));
    // The hostile member's own three objects: its first page of one object always ends at the same row.
    await ok(PUBLISH, { b: bundleOf(indicator(), indicator(), indicator()), s: { distribution: 'ORGANISATION', tlp: 'AMBER' } }, hostile);
  }, 60_000);
  afterAll(() => api?.close());

  it('export cursors compare alike whether or not another member wrote something invisible in between', async () => {
    const quiet = [await cursor(), await cursor()];
    const before = await cursor();
    await invisibleWrites();
    const after = await cursor();
    // The attacker's observation — are two cursors of the same page equal? — is the same with and without the writes.
    expect(after === before).toBe(quiet[0] === quiet[1]);
    // …because no two export cursors are equal (random IV): they compare to nothing.
    expect(new Set([...quiet, before, after]).size).toBe(4);
    expect(new Set([...quiet, before, after].map((c) => c.length))).toEqual(new Set([60]));
  });

  it('an export cursor still continues its own snapshot: from before and after the writes, the same rest', async () => {
    const walk = async (from: string) => {
      const ids: string[] = [];
      for (let after: string | null = from; after;) {
        const page = await exportPage(after);
        ids.push(...page.bundle.objects.filter((o) => o.id.startsWith('indicator--')).map((o) => o.id));
        after = page.nextCursor;
      }
      return ids;
    };
    const before = await cursor();
    await invisibleWrites();
    const after = await cursor();
    const rest = await walk(before);
    expect(rest).toHaveLength(2);
    expect(await walk(after)).toEqual(rest);
  });

  it('guard: GraphQL objects and feed pages (edge cursors, pageInfo, totalCount) are the same across invisible writes', async () => {
    const read = async () => [await ok(OBJECTS, {}, hostile), await ok(FEED, {}, hostile)];
    const before = await read();
    expect(JSON.stringify(before)).toMatch(/"endCursor":"[A-Za-z0-9_-]+"/);
    await invisibleWrites();
    expect(await read()).toEqual(before);
  });

  it('guard: TAXII next and X-TAXII-Date-Added-First/Last for the same page are the same across invisible writes', async () => {
    const get = async (path: string) => {
      const res = await fetch(`${api.baseUrl}/taxii2/api/${path}`, { headers: { accept: TAXII, ...as(hostile) } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      return { body, first: res.headers.get('x-taxii-date-added-first'), last: res.headers.get('x-taxii-date-added-last') };
    };
    const collections = (await get('collections/')).body.collections as Array<{ id: string; alias: string }>;
    const all = collections.find((c) => c.alias === 'all')!.id;
    const read = async () => Promise.all(['objects', 'manifest'].map((what) => get(`collections/${all}/${what}/?limit=1`)));
    const before = await read();
    expect(before[0].body.next).toEqual(expect.any(String));
    await invisibleWrites();
    const after = await read();
    expect(after).toEqual(before);
    // The next page from the same token is the same too.
    const again = async () => get(`collections/${all}/objects/?limit=1&next=${before[0].body.next as string}`);
    expect((await again()).body).toEqual((await again()).body);
  });

  it('guard: watchlist hit cursors (headCursor on the first page) are the same across invisible writes', async () => {
    const before = await ok(HITS, {}, hostile);
    expect(before).toMatchObject({ watchlistHits: { headCursor: expect.any(String) } });
    await invisibleWrites();
    expect(await ok(HITS, {}, hostile)).toEqual(before);
  });
});
