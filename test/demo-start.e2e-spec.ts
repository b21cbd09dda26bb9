import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { generateDemo } from '@cairn/demo';
import { gql } from './support/test-app';
import { startDemoApp, type DemoApp } from './support/demo-app';

// The demo a newcomer meets after `npm start`: loaded by the very function main.ts calls (before
// the app listens), then read over HTTP as demo users of two different members.
const SCALE = 0.5;
const OBJECTS = 'query { objects(first: 1000, filter: { types: ["indicator"] }) { edges { node { object } } } }';
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known } }';
const STATS = 'query($s: String!) { sectorStats(sector: $s) { totalSightings series { bucket sightings } } }';
const FEED = 'query { feed(first: 200, filter: { types: [SIGHTING] }) { edges { node { id mine sighting { sector area } } } } }';

describe('the demo after npm start: loaded before the app serves, every store hook has run', () => {
  let demo: DemoApp;
  let app: NestExpressApplication;
  let baseUrl: string;
  let databaseUrl: string;
  const data = generateDemo({ seed: 1, scale: SCALE });
  // Two analysts of US technology members (the largest cell, so no figure is small-crowd suppressed).
  const analysts = data.tenants
    .filter((t) => t.country === 'US' && t.sectors[0] === 'technology')
    .slice(0, 2)
    .map((t) => ({ tenant: t, email: t.users.find((u) => u.role === 'analyst')!.email }));

  beforeAll(async () => {
    demo = await startDemoApp(SCALE);
    ({ app, baseUrl } = demo);
    databaseUrl = demo.databaseUrl;
  }, 240_000);
  afterAll(() => app?.close());

  const signIn = (email: string) => demo.signIn(email);

  it('has an index row for every stored indicator and a fact for every stored sighting', async () => {
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const [{ sightings, facts }] = (
        await db.query(
          `SELECT (SELECT count(*) FROM stix_object WHERE type = 'sighting')::int AS sightings, (SELECT count(*) FROM sighting_fact)::int AS facts`,
        )
      ).rows;
      expect(sightings).toBe(data.sightings.length);
      expect(facts).toBe(sightings);
      const [{ unindexed }] = (
        await db.query(
          `SELECT count(*)::int AS unindexed FROM stix_object o WHERE o.type = 'indicator' AND NOT EXISTS (SELECT 1 FROM observable_index i WHERE i.object_pk = o.pk)`,
        )
      ).rows;
      expect(unindexed).toBe(0);
    } finally {
      await db.end();
    }
  });

  it.each([0, 1])('analyst %#: checkIdentifiers knows an address the same analyst sees in objects', async (i) => {
    const auth = await signIn(analysts[i].email);
    const seen = await gql<{ objects: { edges: Array<{ node: { object: { pattern?: string } } }> } }>(baseUrl, OBJECTS, {}, auth);
    expect(seen.errors).toBeUndefined();
    const ips = seen
      .data!.objects.edges.map((e) => /^\[ipv4-addr:value = '([^']+)'\]$/.exec(e.node.object.pattern ?? '')?.[1])
      .filter((ip): ip is string => !!ip);
    expect(ips.length).toBeGreaterThan(0);
    const checked = await gql<{ checkIdentifiers: Array<{ value: string; known: boolean }> }>(baseUrl, CHECK, { v: ips.slice(0, 5) }, auth);
    expect(checked.errors).toBeUndefined();
    expect(checked.data!.checkIdentifiers.map((c) => c.known)).toEqual(ips.slice(0, 5).map(() => true));
  });

  it.each([0, 1])('analyst %#: sectorStats in its default window counts demo sightings', async (i) => {
    const auth = await signIn(analysts[i].email);
    const stats = await gql<{ sectorStats: { totalSightings: number | null; series: Array<{ sightings: number | null }> } }>(
      baseUrl,
      STATS,
      { s: 'technology' },
      auth,
    );
    expect(stats.errors).toBeUndefined();
    expect(stats.data!.sectorStats.totalSightings).toBeGreaterThan(0);
    expect(stats.data!.sectorStats.series.some((b) => (b.sightings ?? 0) > 0)).toBe(true);
  });

  it.each([0, 1])('analyst %#: demo sightings in the feed come with their sighting context', async (i) => {
    const auth = await signIn(analysts[i].email);
    const feed = await gql<{ feed: { edges: Array<{ node: { sighting: { sector: string; area: string } | null } }> } }>(
      baseUrl,
      FEED,
      {},
      auth,
    );
    expect(feed.errors).toBeUndefined();
    const nodes = feed.data!.feed.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.filter((n) => n.sighting === null)).toEqual([]);
  });
});
