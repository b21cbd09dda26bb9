import type { NestExpressApplication } from '@nestjs/platform-express';
import { generateDemo } from '@cairn/demo';
import { gql } from './support/test-app';
import { startDemoApp, type DemoApp } from './support/demo-app';
import { countByKind, strictViolations, summarise, type Violation } from './support/strict-stix';

type Json = Record<string, unknown>;

// What a strict STIX 2.1 consumer that knows only what Cairn publishes makes of everything Cairn
// serves: the demo loaded exactly as `npm start` loads it, read over GraphQL (objects, object,
// feed), exportBundle and TAXII by members of two different tenants. The checker
// (test/support/strict-stix.ts) is written from the specification, not from libs/stix.
const SCALE = 0.5;
const TAXII = 'application/taxii+json;version=2.1';
const OBJECTS =
  'query($after: String) { objects(first: 1000, after: $after) { edges { node { object } } pageInfo { hasNextPage endCursor } } }';
const EXPORT = 'query($after: String) { exportBundle(first: 1000, after: $after) { bundle nextCursor } }';
const FEED = 'query { feed(first: 200) { edges { node { object } } } }';
const OBJECT = 'query($id: String!) { object(id: $id) { object } }';
const KEY = 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }';

// The same version served twice (the feed and objects, overlapping collections) is checked once.
const unique = (objects: Json[]) => [...new Map(objects.map((o) => [JSON.stringify(o), o])).values()];
const report = (label: string, v: Violation[]) => ({ label, counts: countByKind(v), summary: summarise(v), examples: v.slice(0, 3) });

describe('the strict checker itself (it must be able to fail)', () => {
  it('finds each kind of violation in objects made to break one rule each', () => {
    const served: Json[] = [
      { type: 'phone-number', spec_version: '2.1', id: 'phone-number--7a6b1c2d-0000-5000-8000-000000000000', value: '+12025550101' },
      {
        type: 'email-addr',
        spec_version: '2.1',
        id: 'email-addr--7165e2a9-671f-585d-b1e1-ca59c671d934',
        value: 'john@example.com',
        x_cairn_protected: { a: 1 },
      },
      { type: 'email-addr', spec_version: '2.1', id: 'email-addr--00000000-0000-5000-8000-000000000000', value: '[protected]' },
      {
        type: 'ipv4-addr',
        spec_version: '2.1',
        id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
        value: '198.51.100.3',
        extensions: { 'extension-definition--00000000-0000-4000-8000-000000000000': { extension_type: 'property-extension' } },
      },
      {
        type: 'sighting',
        spec_version: '2.1',
        id: 'sighting--00000000-0000-4000-8000-000000000001',
        created: 'x',
        modified: 'x',
        sighting_of_ref: 'indicator--00000000-0000-4000-8000-000000000009',
        object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],
      },
    ];
    expect(countByKind(strictViolations(served))).toEqual({
      'undefined-type': 1,
      'custom-property': 1,
      'sco-id': 1,
      'email-addr-value': 1,
      'undefined-extension': 1,
      'unresolved-ref': 1,
    });
  });
});

describe('everything Cairn serves passes a strict STIX 2.1 consumer', () => {
  let demo: DemoApp;
  let app: NestExpressApplication;
  let baseUrl: string;
  const data = generateDemo({ seed: 1, scale: SCALE });
  // Members of two different tenants (US technology: the largest cell), an analyst and the admin of each.
  const members = data.tenants
    .filter((t) => t.country === 'US' && t.sectors[0] === 'technology')
    .slice(0, 2)
    .map((t) => ({ analyst: t.users.find((u) => u.role === 'analyst')!.email, admin: t.users.find((u) => u.role === 'admin')!.email }));

  beforeAll(async () => {
    demo = await startDemoApp(SCALE);
    ({ app, baseUrl } = demo);
  }, 300_000);
  afterAll(() => app?.close());

  const signIn = (email: string) => demo.signIn(email);

  async function viaObjects(auth: Record<string, string>): Promise<Json[]> {
    const out: Json[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: {
        data?: { objects: { edges: Array<{ node: { object: Json } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
        errors?: unknown;
      } = await gql(baseUrl, OBJECTS, { after }, auth);
      expect(res.errors).toBeUndefined();
      out.push(...res.data!.objects.edges.map((e) => e.node.object));
      if (!res.data!.objects.pageInfo.hasNextPage) return out;
      after = res.data!.objects.pageInfo.endCursor;
    }
    throw new Error('objects did not end within 100 pages');
  }

  async function viaExport(auth: Record<string, string>): Promise<Json[]> {
    const out: Json[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: { data?: { exportBundle: { bundle: { objects: Json[] }; nextCursor: string | null } }; errors?: unknown } = await gql(
        baseUrl,
        EXPORT,
        { after },
        auth,
      );
      expect(res.errors).toBeUndefined();
      out.push(...res.data!.exportBundle.bundle.objects);
      if (!res.data!.exportBundle.nextCursor) return out;
      after = res.data!.exportBundle.nextCursor;
    }
    throw new Error('export did not end within 100 pages');
  }

  async function viaTaxii(key: string): Promise<Json[]> {
    const get = async (path: string) => {
      const res = await fetch(`${baseUrl}${path}`, { headers: { accept: TAXII, authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as Json;
    };
    const out: Json[] = [];
    const { collections } = (await get('/taxii2/api/collections/')) as { collections: Array<{ id: string; can_read: boolean }> };
    for (const c of collections.filter((x) => x.can_read)) {
      let next: string | undefined;
      for (let page = 0; page < 100; page++) {
        const body = await get(`/taxii2/api/collections/${c.id}/objects/?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`);
        out.push(...((body.objects as Json[]) ?? []));
        if (!body.more) break;
        next = body.next as string;
      }
    }
    return out;
  }

  it.each([0, 1])(
    'member %#: GraphQL objects, object(id) and the feed',
    async (i) => {
      const auth = await signIn(members[i].analyst);
      const served = await viaObjects(auth);
      expect(served.length).toBeGreaterThan(500);
      const feed = await gql<{ feed: { edges: Array<{ node: { object: Json } }> } }>(baseUrl, FEED, {}, auth);
      expect(feed.errors).toBeUndefined();
      const feedObjects = feed.data!.feed.edges.map((e) => e.node.object);
      expect(feedObjects.length).toBeGreaterThan(0);
      // The feed shows objects the member may see, so they resolve against what objects serves.
      const violations = strictViolations(unique([...served, ...feedObjects]));
      expect(report('graphql', violations)).toEqual(report('graphql', []));
      // The definitions are objects like any other: object(id) serves each one as listed.
      const definitions = served.filter((o) => o.type === 'extension-definition');
      expect(definitions.length).toBeGreaterThan(0);
      for (const d of definitions) {
        const one = await gql<{ object: { object: Json } }>(baseUrl, OBJECT, { id: d.id }, auth);
        expect(one.errors).toBeUndefined();
        expect(one.data!.object.object).toEqual(d);
      }
    },
    120_000,
  );

  it.each([0, 1])(
    'member %#: exportBundle (and the same versions as objects serves)',
    async (i) => {
      const auth = await signIn(members[i].analyst);
      const served = await viaExport(auth);
      expect(served.length).toBeGreaterThan(500);
      const violations = strictViolations(unique([...served, ...(await viaObjects(auth))]));
      expect(report('export', violations)).toEqual(report('export', []));
    },
    120_000,
  );

  it.each([0, 1])(
    'member %#: TAXII objects of every collection it can read',
    async (i) => {
      const auth = await signIn(members[i].admin);
      const created = await gql<{ createApiKey: { secret: string } }>(
        baseUrl,
        KEY,
        { i: { name: 'strict consumer', scopes: ['TAXII_READ'] } },
        auth,
      );
      expect(created.errors).toBeUndefined();
      const served = await viaTaxii(created.data!.createApiKey.secret);
      expect(served.length).toBeGreaterThan(500);
      // Collections overlap (community, sector, own): the same version may come from several.
      const violations = strictViolations(unique(served));
      expect(report('taxii', violations)).toEqual(report('taxii', []));
    },
    120_000,
  );
});
