import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';
import { bundleOf } from '../factories/stix.factory';

type Problem = { argument: string; code: string; message: string; min?: number; max?: number };
type Res = Awaited<ReturnType<typeof gql>>;
const problems = (res: Res) => (res.errors?.[0]?.extensions?.problems ?? []) as Problem[];

const indicator = () => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-05-01T00:00:00.000Z',
  modified: '2025-05-01T00:00:00.000Z',
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: '2025-05-01T00:00:00Z',
});
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';

describe('paging limits: out of range is an error that names the argument and its range, never a silent clamp', () => {
  let api: TestApp;
  let a: TenantEntity;
  let b: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    for (const t of [a, b]) key.set(t.id, await newApiKey(api.app, t));
    // Each publishes two for itself: the limits hold whatever there is to page through.
    for (const t of [a, b]) {
      const res = await gql(api.baseUrl, PUBLISH, { b: bundleOf(indicator(), indicator()), s: { distribution: 'ORGANISATION' } }, as(t));
      expect(res.errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(() => api.close());

  const objects = (t: TenantEntity, first: number) =>
    gql<{ objects: { edges: unknown[] } }>(api.baseUrl, `query($n: Int!) { objects(first: $n) { edges { cursor } } }`, { n: first }, as(t));

  it.each([5000, 1001, 0, -5])('objects(first: %i) is BAD_USER_INPUT "first must be between 1 and 1000"', async (n) => {
    const res = await objects(a, n);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', field: 'first' });
    expect(res.errors?.[0]?.message).toBe('first must be between 1 and 1000');
    expect(problems(res)).toEqual([
      { argument: 'first', code: 'OUT_OF_RANGE', message: 'first must be between 1 and 1000', min: 1, max: 1000 },
    ]);
  });

  it('the bounds themselves are allowed, and each tenant pages only through its own', async () => {
    for (const t of [a, b]) {
      expect((await objects(t, 1)).data?.objects.edges).toHaveLength(1);
      expect((await objects(t, 1000)).data?.objects.edges).toHaveLength(2);
    }
  });

  it.each([1000, 501, 0, -1])('feed(first: %i) is BAD_USER_INPUT "first must be between 1 and 500"', async (n) => {
    const res = await gql(api.baseUrl, `query($n: Int!) { feed(first: $n) { edges { cursor } } }`, { n }, as(a));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', field: 'first' });
    expect(res.errors?.[0]?.message).toBe('first must be between 1 and 500');
  });

  it.each([501, 0])('auditLog(first: %i) is BAD_USER_INPUT "first must be between 1 and 500"', async (n) => {
    const admin = await signedInUser(api.app, api.baseUrl, a, 'admin');
    const res = await gql(api.baseUrl, `query($n: Int!) { auditLog(first: $n) { id } }`, { n }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', field: 'first' });
  });

  it('reports every problem of one request at once: page size, cursor and filter', async () => {
    const res = await gql(
      api.baseUrl,
      `query { objects(first: 0, after: "not-a-cursor", filter: { addedAfter: "yesterday", groupIds: ["x"] }) { edges { cursor } } }`,
      {},
      as(a),
    );
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_ARGUMENTS' });
    expect(problems(res).map((p) => [p.argument, p.code])).toEqual([
      ['first', 'OUT_OF_RANGE'],
      ['after', 'INVALID_CURSOR'],
      ['filter.addedAfter', 'INVALID_FILTER'],
      ['filter.groupIds', 'INVALID_FILTER'],
    ]);
    const feed = await gql(api.baseUrl, `query { feed(first: 501, after: "not-a-cursor") { edges { cursor } } }`, {}, as(a));
    expect(problems(feed).map((p) => p.argument)).toEqual(['first', 'after']);
  });

  it("a cursor issued to one tenant is refused to the other, named as 'after'", async () => {
    const page = await gql<{ objects: { edges: Array<{ cursor: string }> } }>(
      api.baseUrl,
      `query { objects(first: 1) { edges { cursor } } }`,
      {},
      as(a),
    );
    const cursor = page.data!.objects.edges[0].cursor;
    const res = await gql(api.baseUrl, `query($c: String) { objects(first: 10, after: $c) { edges { cursor } } }`, { c: cursor }, as(b));
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR', field: 'after' });
  });
});
