import { randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect, wsClient } from '../support/ws';
import { machineViewer, newApiKey, newTenant } from '../factories/tenancy.factory';

const TAXII = 'application/taxii+json;version=2.1';
const indicator = (name: string) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2025-05-01T00:00:00.000Z', modified: '2025-05-01T00:00:00.000Z',
  name, pattern: `[domain-name:value = '${randomUUID()}.example']`, pattern_type: 'stix', valid_from: '2025-05-01T00:00:00Z',
});
const code = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;

const OBJECTS = `query($a: String, $f: ObjectFilterInput) { objects(first: 1000, after: $a, filter: $f) { edges { cursor node { id dateAdded } } } }`;
const FEED = `query($a: String) { feed(first: 500, after: $a, newestFirst: false, filter: { types: [INDICATOR] }) { edges { cursor node { id dateAdded } } } }`;
const SIGHT = `mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id cursor } }`;
const SUB = `subscription($a: String) { indicatorPublished(after: $a) { cursor id dateAdded } }`;

/**
 * Every number an attacker could read out of two opaque strings: the digit runs of their base64
 * (or base64url) decoding, and the integers in every 3–8-byte window of the decoded bytes; for
 * each, the difference between the two (windows of 3 bytes and more: random bytes differ by
 * small numbers too often to tell anything). A cursor that carries the feed position in any plain
 * encoding yields the number of feed rows between them.
 */
function gapsReadable(x: string, y: string): Set<bigint> {
  const out = new Set<bigint>();
  const numbers = (s: string): bigint[][] => {
    const bytes = Buffer.from(s, s.includes('+') || s.includes('/') ? 'base64' : 'base64url');
    const digits = [...bytes.toString('latin1').matchAll(/\d+/g)].map((m) => BigInt(m[0]));
    const windows: bigint[] = [];
    for (let w = 3; w <= 8; w++) for (let i = 0; i + w <= bytes.length; i++) windows.push(BigInt(`0x${bytes.subarray(i, i + w).toString('hex')}`));
    return [digits, windows];
  };
  const [dx, wx] = numbers(x);
  const [dy, wy] = numbers(y);
  dx.forEach((a, i) => dy[i] !== undefined && out.add(dy[i] - a));
  wx.forEach((a, i) => wy[i] !== undefined && out.add(wy[i] - a));
  return out;
}

/** µs between two date_added values (RFC 3339 with microseconds). */
const micros = (iso: string) => BigInt(Date.parse(iso.slice(0, 19) + 'Z')) * 1000n + BigInt(iso.slice(20, 26).padEnd(6, '0'));

describe('side channels: what a member can read about writes it may not see', () => {
  let api: TestApp;
  let x: TenantEntity;
  let y: TenantEntity;
  let hidden: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    x = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    y = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    hidden = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    for (const t of [x, y, hidden]) key.set(t.id, await newApiKey(api.app, t));
  }, 60_000);
  afterAll(() => api.close());

  const taxii = async (t: TenantEntity, path: string) => {
    const res = await fetch(`${api.baseUrl}/taxii2/api/${path}`, { headers: { accept: TAXII, ...as(t) } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, first: res.headers.get('x-taxii-date-added-first'), last: res.headers.get('x-taxii-date-added-last') };
  };
  const collection = async (t: TenantEntity, alias: string) =>
    ((await taxii(t, 'collections/')).body.collections as Array<{ id: string; alias: string }>).find((c) => c.alias === alias)!.id;

  describe('(a) cursors are opaque, bound to the viewer, and count nothing', () => {
    const N = 37;
    const seen: Record<string, [string, string]> = {};
    let a: ReturnType<typeof indicator>;
    let b: ReturnType<typeof indicator>;

    beforeAll(async () => {
      const intel = api.app.get(IntelService);
      const ws = wsClient(api.baseUrl, key.get(x.id));
      const live = collect<{ indicatorPublished: { cursor: string; id: string } }>(ws, SUB);
      // The subscription is live once an event published after it arrives.
      const warm = indicator('warm-up');
      for (let i = 0; live.events.length === 0 && i < 200; i++) {
        if (i % 20 === 0) await intel.storeObjects(machineViewer(x), [{ ...warm, id: `indicator--${randomUUID()}` }], { distribution: 'ORGANISATION', tlp: 'AMBER' });
        await new Promise((r) => setTimeout(r, 25));
      }
      const before = live.events.length;

      a = indicator('A');
      b = indicator('B');
      await intel.storeObjects(machineViewer(x), [a], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      const s1 = await gql<{ reportSighting: { cursor: string } }>(api.baseUrl, SIGHT, { i: { sightingOf: a.id, firstSeen: '2025-06-02T09:00:00Z' } }, as(x));
      // Another member's writes that x may not see: N indicators, in one bundle and one at a time.
      await intel.storeObjects(machineViewer(hidden), Array.from({ length: N - 3 }, (_, i) => indicator(`hidden ${i}`)), { distribution: 'ORGANISATION', tlp: 'AMBER' });
      for (let i = 0; i < 3; i++) await intel.storeObjects(machineViewer(hidden), [indicator(`hidden single ${i}`)], { distribution: 'SECTOR', tlp: 'AMBER' });
      const s2 = await gql<{ reportSighting: { cursor: string } }>(api.baseUrl, SIGHT, { i: { sightingOf: a.id, firstSeen: '2025-06-02T09:00:00Z' } }, as(x));
      await intel.storeObjects(machineViewer(x), [b], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      await intel.storeObjects(machineViewer(x), [indicator('C')], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      seen.sighting = [s1.data!.reportSighting.cursor, s2.data!.reportSighting.cursor];

      const events = (await live.waitFor(before + 3)).map((e) => e.indicatorPublished);
      seen.subscription = [events.find((e) => e.id === a.id)!.cursor, events.find((e) => e.id === b.id)!.cursor];
      live.stop();
      await ws.dispose();

      const objects = (await gql<{ objects: { edges: Array<{ cursor: string; node: { id: string; dateAdded: string } }> } }>(api.baseUrl, OBJECTS, { f: { types: ['indicator'] } }, as(x))).data!.objects.edges;
      const of = (id: string) => objects.find((e) => e.node.id === id)!;
      seen.objects = [of(a.id).cursor, of(b.id).cursor];
      seen.dateAdded = [of(a.id).node.dateAdded, of(b.id).node.dateAdded];
      const feed = (await gql<{ feed: { edges: Array<{ cursor: string; node: { id: string } }> } }>(api.baseUrl, FEED, {}, as(x))).data!.feed.edges;
      seen.feed = [feed.find((e) => e.node.id === a.id)!.cursor, feed.find((e) => e.node.id === b.id)!.cursor];

      // TAXII, one object a page: the `next` of A's page and of B's page, and their date headers.
      const all = await collection(x, 'all');
      const pageOf = async (id: string) => {
        let next: string | undefined;
        for (;;) {
          const page = await taxii(x, `collections/${all}/objects/?match[type]=indicator&limit=1${next ? `&next=${next}` : ''}`);
          const objs = page.body.objects as Array<{ id: string }>;
          if (objs[0]?.id === id) return page;
          next = page.body.next as string;
          if (!next) throw new Error('object not found in the collection');
        }
      };
      const [pa, pb] = [await pageOf(a.id), await pageOf(b.id)];
      seen.taxiiNext = [pa.body.next as string, pb.body.next as string];
      seen.taxiiHeaders = [pa.last!, pb.last!];
    }, 60_000);

    it.each(['objects', 'feed', 'subscription', 'sighting', 'taxiiNext'])('%s cursors: no decoding tells how many rows lie between them', (what) => {
      const [first, second] = seen[what];
      expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
      const gaps = gapsReadable(first, second);
      // A and B (or the two sightings) are N hidden rows and a few rows of x's own (and the exchange's) apart.
      for (let k = 0; k <= 6; k++) expect(gaps.has(BigInt(N + k))).toBe(false);
    });

    it('date_added and the X-TAXII-Date-Added headers are the time of the write, not a count of writes', () => {
      for (const [first, second] of [seen.dateAdded, seen.taxiiHeaders]) {
        const gap = micros(second) - micros(first);
        expect(gap).toBeGreaterThan(0n);
        for (let k = 0; k <= 6; k++) expect(gap).not.toBe(BigInt(N + k));
      }
    });

    it('a cursor is the same for the same row, but differs between tenants, and another tenant cannot use it', async () => {
      expect(seen.objects[0]).toBe(seen.feed[0]);
      expect(seen.objects[0]).toBe(seen.subscription[0]);
      const forY = (await gql<{ objects: { edges: Array<{ cursor: string; node: { id: string } }> } }>(api.baseUrl, OBJECTS, { f: { ids: [a.id] } }, as(y))).data!.objects.edges;
      expect(forY[0].node.id).toBe(a.id);
      expect(forY[0].cursor).not.toBe(seen.objects[0]);
      for (const cursor of [seen.objects[0], seen.sighting[0]]) {
        const objects = await gql(api.baseUrl, OBJECTS, { a: cursor }, as(y));
        expect(objects.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
        expect(code(await gql(api.baseUrl, FEED, { a: cursor }, as(y)))).toBe('BAD_USER_INPUT');
      }
      // x itself continues from its own cursors.
      const after = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(api.baseUrl, OBJECTS, { a: seen.objects[0], f: { types: ['indicator'] } }, as(x));
      expect(after.data!.objects.edges.map((e) => e.node.id)).toContain(b.id);
      expect(after.data!.objects.edges.map((e) => e.node.id)).not.toContain(a.id);
    });

    it('a subscription refuses another tenant’s cursor; TAXII refuses another tenant’s or collection’s next with 400', async () => {
      const ws = wsClient(api.baseUrl, key.get(y.id));
      const sub = collect(ws, SUB, { a: seen.subscription[0] });
      for (let i = 0; sub.errors.length === 0 && i < 400; i++) await new Promise((r) => setTimeout(r, 10));
      // Over graphql-ws a subscribe-time error comes without extensions (the WebSocket error path is item 5's).
      expect(JSON.stringify(sub.errors)).toMatch(/BAD_USER_INPUT|Not a cursor this server issued/);
      expect(sub.events).toEqual([]);
      await ws.dispose();

      const yAll = await collection(y, 'all');
      const res = await taxii(y, `collections/${yAll}/objects/?next=${seen.taxiiNext[0]}`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toMatch(/stack|at \w+ \(/);
      const xCommunity = await collection(x, 'community');
      expect((await taxii(x, `collections/${xCommunity}/objects/?next=${seen.taxiiNext[0]}`)).status).toBe(400);
    });

    it.each([
      ['short', 'abc'],
      ['an old readable cursor', Buffer.from('seq:12').toString('base64url')],
      ['an old TAXII token', Buffer.from('taxii1:12').toString('base64url')],
      ['not base64', '%%%!!!'],
      ['very long', 'A'.repeat(5000)],
      ['unicode', 'café☃'],
    ])('a garbage cursor (%s) is BAD_USER_INPUT or TAXII 400, never 500', async (_name, garbage) => {
      for (const q of [OBJECTS, FEED]) {
        const res = await gql(api.baseUrl, q, { a: garbage }, as(x));
        expect(res.status).not.toBe(500);
        expect(code(res)).toBe('BAD_USER_INPUT');
      }
      const all = await collection(x, 'all');
      expect((await taxii(x, `collections/${all}/objects/?next=${encodeURIComponent(garbage)}`)).status).toBe(400);
    });

    it('cursors work on another API instance of the same exchange (same CURSOR_SECRET), and after a restart', async () => {
      const other = await startTestApp({ databaseUrl: api.databaseUrl });
      try {
        const res = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(other.baseUrl, OBJECTS, { a: seen.objects[0], f: { types: ['indicator'] } }, as(x));
        expect(res.errors).toBeUndefined();
        expect(res.data!.objects.edges.map((e) => e.node.id)).toContain(b.id);
      } finally {
        await other.close();
      }
    });
  });

  describe('(b) a countries filter tells nothing about a publisher’s country narrowing', () => {
    const FEED_C = `query($f: FeedFilterInput) { feed(first: 500, filter: $f) { edges { node { id } } } }`;
    let narrowedFR: ReturnType<typeof indicator>;
    let narrowedUS: ReturnType<typeof indicator>;
    let open: ReturnType<typeof indicator>;
    let mine: ReturnType<typeof indicator>;
    let theirs: string[];
    let z: TenantEntity;

    beforeAll(async () => {
      const intel = api.app.get(IntelService);
      z = await newTenant(api.app, { country: 'US', sectors: ['healthcare'] });
      key.set(z.id, await newApiKey(api.app, z));
      const p1 = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
      const p2 = await newTenant(api.app, { country: 'US', sectors: ['insurance'] });
      [narrowedFR, narrowedUS, open, mine] = [indicator('DE+FR only'), indicator('DE+US only'), indicator('everyone'), indicator('mine, DE+GB')];
      await intel.storeObjects(machineViewer(p1), [narrowedFR], { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'FR'] });
      await intel.storeObjects(machineViewer(p2), [narrowedUS], { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'US'] });
      await intel.storeObjects(machineViewer(p2), [open], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
      await intel.storeObjects(machineViewer(x), [mine], { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'GB'] });
      theirs = [narrowedFR.id, narrowedUS.id, open.id].sort();
    });

    const objectsFor = async (countries: string[], viewer = x) => {
      const res = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(api.baseUrl, OBJECTS, { f: { countries, ids: [...theirs, mine.id] } }, as(viewer));
      expect(res.errors).toBeUndefined();
      return res.data!.objects.edges.map((e) => e.node.id).sort();
    };
    const feedFor = async (countries: string[], viewer = x) => {
      const res = await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(api.baseUrl, FEED_C, { f: { countries, types: ['INDICATOR'] } }, as(viewer));
      expect(res.errors).toBeUndefined();
      return res.data!.feed.edges.map((e) => e.node.id).filter((id) => [...theirs, mine.id].includes(id)).sort();
    };

    it.each([[['FR']], [['US']], [['GB']], [['FR', 'US']], [['DE']], [['DE', 'FR']]])(
      'countries %j: others’ objects, narrowed or not, all match or none do (the viewer is in DE)',
      async (countries) => {
        for (const read of [objectsFor, feedFor]) {
          const got = await read(countries);
          const others = got.filter((id) => id !== mine.id);
          // All or nothing: exactly when the viewer's own country is asked for.
          expect(others).toEqual(countries.includes('DE') ? theirs : []);
          // The viewer's own object matches by its own narrowing.
          expect(got.includes(mine.id)).toBe(countries.some((c) => c === 'DE' || c === 'GB'));
          // A viewer in the US sees the two objects whose audience includes the US, and likewise all or none.
          expect(await read(countries, z)).toEqual(countries.includes('US') ? [narrowedUS.id, open.id].sort() : []);
        }
      },
    );

    it('sightings in the feed still filter by the area they are reported under, which is public', async () => {
      const sighted = await gql<{ reportSighting: { id: string } }>(api.baseUrl, SIGHT, { i: { sightingOf: open.id, firstSeen: '2025-06-02T09:00:00Z' } }, as(x));
      const res = await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(api.baseUrl, FEED_C, { f: { countries: ['DE'], types: ['SIGHTING'] } }, as(x));
      expect(res.errors).toBeUndefined();
      expect(res.data!.feed.edges.map((e) => e.node.id)).toContain(sighted.data!.reportSighting.id);
    });
  });
});
