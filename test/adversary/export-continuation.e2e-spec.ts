import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf } from '../factories/stix.factory';

const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created newVersions } }';
const EXPORT =
  'query($f: ObjectFilterInput, $n: Int, $a: String) { exportBundle(filter: $f, first: $n, after: $a) { bundle objectCount truncated nextCursor } }';
const T = '2025-05-01T00:00:00.000Z';
const indicator = (modified = T) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: T,
  modified,
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: T,
});
type Doc = { id: string; type: string; modified?: string };
type Page = { bundle: { objects: Doc[] }; objectCount: number; truncated: boolean; nextCursor: string | null };

describe('exportBundle continues with a sealed cursor: every visible object exactly once, over a snapshot', () => {
  let api: TestApp;
  let a: TenantEntity;
  let b: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const publish = async (t: TenantEntity, s: Record<string, unknown>, ...objects: unknown[]) => {
    const res = await gql(api.baseUrl, PUBLISH, { b: bundleOf(...objects), s }, as(t));
    expect(res.errors).toBeUndefined();
  };
  const exportPage = (t: TenantEntity, vars: Record<string, unknown>) => gql<{ exportBundle: Page }>(api.baseUrl, EXPORT, vars, as(t));

  const aOwn = [indicator(), indicator(), indicator()];
  const bCommunity = [indicator(), indicator(), indicator(), indicator()];
  const bPrivate = [indicator(), indicator()];

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    for (const t of [a, b]) key.set(t.id, await newApiKey(api.app, t));
    await publish(a, { distribution: 'ORGANISATION' }, ...aOwn);
    await publish(b, { distribution: 'COMMUNITY', tlp: 'GREEN' }, ...bCommunity);
    await publish(b, { distribution: 'ORGANISATION' }, ...bPrivate);
  }, 60_000);
  afterAll(() => api.close());

  /** Every page of an export, calling `between` after each page but the last. */
  async function exportAll(
    t: TenantEntity,
    filter: Record<string, unknown> | null,
    first: number,
    between: (page: number) => Promise<void> = async () => {},
  ) {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const res = await exportPage(t, { f: filter, n: first, a: after });
      expect(res.errors).toBeUndefined();
      const page = res.data!.exportBundle;
      pages.push(page);
      expect(page.truncated).toBe(page.nextCursor !== null);
      after = page.nextCursor;
      if (after) await between(pages.length);
      expect(pages.length).toBeLessThan(50);
    } while (after);
    return pages;
  }

  it('pages through what the viewer sees, each object once, even when objects and new versions are published between calls', async () => {
    const late: Doc[] = [];
    const pages = await exportAll(a, { types: ['indicator'] }, 2, async (n) => {
      // Between pages: another member publishes to everyone, and a already-exported object gets a new version.
      const fresh = indicator();
      late.push(fresh);
      await publish(b, { distribution: 'COMMUNITY', tlp: 'GREEN' }, fresh);
      if (n === 1)
        await publish(b, { distribution: 'COMMUNITY', tlp: 'GREEN' }, { ...bCommunity[0], modified: '2025-06-01T00:00:00.000Z' });
    });
    const exported = pages.flatMap((p) => p.bundle.objects.filter((o) => o.type === 'indicator'));
    const ids = exported.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([...aOwn, ...bCommunity].map((o) => o.id).sort());
    expect(pages.map((p) => p.objectCount)).toEqual(pages.map((p) => p.bundle.objects.filter((o) => o.type === 'indicator').length));
    expect(pages.length).toBe(4);
    // The snapshot: the version as of the first call, not the one published since.
    expect(exported.find((o) => o.id === bCommunity[0].id)?.modified).toBe(T);
    for (const o of [...bPrivate, ...late]) expect(ids).not.toContain(o.id);
    // A fresh export sees what came since.
    const now = (await exportAll(a, { types: ['indicator'] }, 1000)).flatMap((p) => p.bundle.objects.map((o) => o.id));
    for (const o of late) expect(now).toContain(o.id);
  });

  it("the other tenant pages through its own view, never a's private objects", async () => {
    const pages = await exportAll(b, null, 3);
    const ids = pages.flatMap((p) => p.bundle.objects.filter((o) => o.type === 'indicator').map((o) => o.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of [...bCommunity, ...bPrivate]) expect(ids).toContain(o.id);
    for (const o of aOwn) expect(ids).not.toContain(o.id);
  });

  it('a cursor opens only for the tenant and the filter it was issued for; page sizes outside 1..MAX_BUNDLE_OBJECTS are refused', async () => {
    const first = await exportPage(a, { f: { types: ['indicator'] }, n: 1 });
    const cursor = first.data!.exportBundle.nextCursor!;
    expect(cursor).toEqual(expect.any(String));
    const stolen = await exportPage(b, { f: { types: ['indicator'] }, n: 1, a: cursor });
    expect(stolen.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR', field: 'after' });
    const otherFilter = await exportPage(a, { f: { types: ['relationship'] }, n: 1, a: cursor });
    expect(otherFilter.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR', field: 'after' });
    const feedCursor = (
      await gql<{ objects: { edges: Array<{ cursor: string }> } }>(
        api.baseUrl,
        'query { objects(first: 1) { edges { cursor } } }',
        {},
        as(a),
      )
    ).data!.objects.edges[0].cursor;
    const wrongKind = await exportPage(a, { f: { types: ['indicator'] }, n: 1, a: feedCursor });
    expect(wrongKind.errors?.[0]?.extensions).toMatchObject({ reason: 'INVALID_CURSOR' });
    const max = api.config.maxBundleObjects;
    for (const n of [0, -1, max + 1]) {
      const res = await exportPage(a, { n });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OUT_OF_RANGE', field: 'first' });
      expect(res.errors?.[0]?.message).toBe(`first must be between 1 and ${max}`);
    }
  });
});
