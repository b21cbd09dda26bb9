import { Client } from 'pg';
import { createRng, type Rng } from '@cairn/demo';
import type { CairnError } from '@cairn/common';
import { IntelService, type SharingRequest } from '@cairn/intel';
import { SightingsService } from '@cairn/sightings';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { SqlParams, audienceReaches, visibleTo, type Distribution } from '@cairn/access';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { machineViewer, newApiKey, newGroup, newTenant } from './factories/tenancy.factory';

/**
 * The access rule, written independently of the server (libs/access) and of the database
 * policy (migration ObjectsAndRls): the property tests compare both against this.
 */
interface RefViewer {
  id: string;
  country: string;
  sectors: string[];
}
interface RefObject {
  id: string;
  publisher: string;
  distribution: string;
  sectors: string[];
  countries: string[];
  group: string | null;
  recipients: string[];
}
function referenceVisible(o: RefObject, v: RefViewer, groupMembers: Map<string, string[]>): boolean {
  if (o.publisher === v.id) return true;
  if (o.countries.length > 0 && !o.countries.includes(v.country)) return false;
  if (o.distribution === 'COMMUNITY') return true;
  if (o.distribution === 'SECTOR') return o.sectors.some((s) => v.sectors.includes(s));
  if (o.distribution === 'SHARING_GROUP') return (groupMembers.get(o.group!) ?? []).includes(v.id);
  if (o.distribution === 'RECIPIENTS') return o.recipients.includes(v.id);
  return false;
}

const SECTORS = ['technology', 'financial-services', 'healthcare', 'insurance', 'government-public-services'];
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'SG'];
const DISTRIBUTIONS = ['ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP', 'SECTOR', 'COMMUNITY'] as const;
const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;

function subset<T>(rng: Rng, items: readonly T[], max: number): T[] {
  return rng.shuffle([...items]).slice(0, rng.int(0, max));
}

function uuid4(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

describe('who sees what: randomised property test against a reference implementation', () => {
  const TENANTS = 14;
  const OBJECTS = 800; // 14 × 800 = 11,200 object × viewer pairs
  let api: TestApp;
  let tenants: TenantEntity[];
  const keys = new Map<string, string>();
  const groupMembers = new Map<string, string[]>();
  const objects: RefObject[] = [];
  const SIGHTING_CALLS = 250;
  /** Each stored sighting's subject, and the TLP every stored object got. */
  const subjectOf = new Map<string, RefObject>();
  const tlpOf = new Map<string, string>();
  let refused = 0;

  beforeAll(async () => {
    api = await startTestApp();
    const rng = createRng(20261123);
    tenants = [];
    for (let i = 0; i < TENANTS; i++) {
      const sectors = subset(rng, SECTORS, 2);
      tenants.push(await newTenant(api.app, { country: rng.pick(COUNTRIES), sectors: sectors.length ? sectors : [rng.pick(SECTORS)] }));
    }
    for (let g = 0; g < 4; g++) {
      const owner = rng.pick(tenants);
      const members = subset(
        rng,
        tenants.filter((t) => t !== owner),
        5,
      );
      const id = await newGroup(api.app, owner, members);
      groupMembers.set(id, [owner.id, ...members.map((m) => m.id)]);
    }
    for (const t of tenants) keys.set(t.id, await newApiKey(api.app, t, ['intel:read']));

    const randomSharing = (publisher: TenantEntity): SharingRequest & { distribution: (typeof DISTRIBUTIONS)[number] } => {
      const myGroups = [...groupMembers].filter(([, m]) => m.includes(publisher.id)).map(([id]) => id);
      let distribution: (typeof DISTRIBUTIONS)[number] = rng.pick(DISTRIBUTIONS);
      if (distribution === 'SHARING_GROUP' && myGroups.length === 0) distribution = 'COMMUNITY';
      const tlp = distribution === 'ORGANISATION' || distribution === 'RECIPIENTS' ? rng.pick(TLPS) : rng.pick(TLPS.slice(0, 4));
      const sharing: SharingRequest & { distribution: (typeof DISTRIBUTIONS)[number] } = {
        distribution,
        tlp,
        countries: rng.chance(0.3) ? subset(rng, COUNTRIES, 2) : [],
      };
      if (distribution === 'SECTOR' && rng.chance(0.5)) sharing.sectors = [rng.pick(SECTORS)];
      if (distribution === 'SHARING_GROUP') sharing.groupId = rng.pick(myGroups);
      if (distribution === 'RECIPIENTS') sharing.recipientTenantIds = [rng.pick(tenants), rng.pick(tenants)].map((t) => t.id);
      return sharing;
    };
    const intel = api.app.get(IntelService);
    for (let i = 0; i < OBJECTS; i++) {
      const publisher = rng.pick(tenants);
      const sharing = randomSharing(publisher);
      const { distribution } = sharing;
      const id = `indicator--${uuid4(rng)}`;
      const doc = {
        type: 'indicator',
        spec_version: '2.1',
        id,
        created: '2025-01-01T00:00:00.000Z',
        modified: '2025-01-01T00:00:00.000Z',
        name: `obj ${i}`,
        pattern: "[ipv4-addr:value = '198.51.100.1']",
        pattern_type: 'stix',
        valid_from: '2025-01-01T00:00:00Z',
      };
      await intel.storeObjects(machineViewer(publisher), [doc], sharing);
      objects.push({
        id,
        publisher: publisher.id,
        distribution,
        sectors: distribution === 'SECTOR' ? (sharing.sectors ?? publisher.sectors) : [],
        countries: sharing.countries ?? [],
        group: sharing.groupId ?? null,
        recipients: sharing.recipientTenantIds ?? [],
      });
    }

    // Sightings of objects of every sharing, by random members who may see them, with their default
    // or a random sharing (references never widen: what cannot be stored as one audience is refused).
    const indicators = [...objects];
    const sightingsService = api.app.get(SightingsService);
    for (let i = 0; i < SIGHTING_CALLS; i++) {
      const sighter = rng.pick(tenants);
      const visible = indicators.filter((o) => referenceVisible(o, sighter, groupMembers));
      const picks = Array.from({ length: rng.int(1, 3) }, () => rng.pick(visible));
      const sharing = rng.chance(0.3) ? {} : randomSharing(sighter);
      try {
        const out = await sightingsService.report(
          machineViewer(sighter),
          picks.map((o) => ({ sightingOf: o.id, firstSeen: '2025-06-02T09:00:00.000Z' })),
          sharing,
        );
        out.forEach((r, k) => subjectOf.set(r.id, picks[k]));
      } catch (err) {
        if ((err as CairnError).details?.reason !== 'AUDIENCE_NOT_REPRESENTABLE') throw err;
        refused++;
      }
    }
    // Everything else now stored (the sightings, and the cells' shared identities) joins the
    // reference set with the audience it was stored with: the read paths must agree on it too.
    const owner = new Client({ connectionString: api.databaseUrl });
    await owner.connect();
    const known = new Set(objects.map((o) => o.id));
    const { rows } = await owner.query(
      `SELECT id, publisher_tenant_id AS publisher, distribution, audience_sectors AS sectors, audience_countries AS countries,
              audience_group_id AS "group", audience_recipients AS recipients, tlp FROM stix_object`,
    );
    await owner.end();
    for (const r of rows as Array<RefObject & { tlp: string }>) {
      tlpOf.set(r.id, r.tlp);
      if (!known.has(r.id))
        objects.push({
          id: r.id,
          publisher: r.publisher,
          distribution: r.distribution,
          sectors: r.sectors,
          countries: r.countries,
          group: r.group,
          recipients: r.recipients,
        });
    }
  }, 180_000);

  afterAll(async () => {
    await api.close();
  });

  const expectedFor = (t: TenantEntity) =>
    objects
      .filter((o) => referenceVisible(o, t, groupMembers))
      .map((o) => o.id)
      .sort();

  it('every distribution appears, and every viewer sees some but not all objects', () => {
    expect(new Set(objects.map((o) => o.distribution)).size).toBe(5);
    for (const t of tenants) {
      const n = expectedFor(t).length;
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(OBJECTS);
    }
  });

  it('sightings of objects of every distribution were stored, some narrowed, some refused; none weaker in TLP than its subject', () => {
    const subjects = [...subjectOf.values()];
    expect(new Set(subjects.map((o) => o.distribution)).size).toBe(5);
    expect(subjectOf.size).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(0);
    const order = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
    for (const [sighting, subject] of subjectOf)
      expect(order.indexOf(tlpOf.get(sighting)!)).toBeGreaterThanOrEqual(order.indexOf(tlpOf.get(subject.id)!));
  });

  /** Every object id a tenant's `objects` pages give, with these arguments (which name $after). */
  const objectIds = async (t: TenantEntity, args: string): Promise<string[]> => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: Awaited<
        ReturnType<
          typeof gql<{ objects: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>
        >
      > = await gql(
        api.baseUrl,
        `query($after: String) { objects${args} { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        { authorization: keys.get(t.id)! },
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.objects.edges.map((e) => e.node.id));
      after = res.data!.objects.pageInfo.hasNextPage ? res.data!.objects.pageInfo.endCursor : null;
    } while (after);
    return seen;
  };

  it('nobody sees a sighting of something they cannot see (GraphQL objects and the feed, every tenant)', async () => {
    let checked = 0;
    for (const t of tenants) {
      const seen = await objectIds(t, '(filter: { types: ["sighting"] }, first: 500, after: $after)');
      const feed = await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(
        api.baseUrl,
        'query { feed(first: 500, filter: { types: [SIGHTING] }) { edges { node { id } } } }',
        {},
        { authorization: keys.get(t.id)! },
      );
      seen.push(...feed.data!.feed.edges.map((e) => e.node.id));
      for (const id of seen) {
        expect({ sighting: id, subjectVisible: referenceVisible(subjectOf.get(id)!, t, groupMembers) }).toEqual({
          sighting: id,
          subjectVisible: true,
        });
        checked++;
      }
      // The sighter always sees its own sightings.
      const own = objects.filter((o) => o.publisher === t.id && subjectOf.has(o.id)).map((o) => o.id);
      expect(own.every((id) => seen.includes(id))).toBe(true);
    }
    expect(checked).toBeGreaterThan(subjectOf.size);
  });

  it('GraphQL `objects` over HTTP returns exactly the reference set for each of the tenants', async () => {
    let pairs = 0;
    for (const t of tenants) {
      const seen = await objectIds(t, '(first: 300, after: $after)');
      expect(seen.sort()).toEqual(expectedFor(t));
      pairs += OBJECTS;
    }
    expect(pairs).toBeGreaterThanOrEqual(10_000);
  });

  it('`object(id)` answers NOT_FOUND for an object the viewer may not see, and the object for one it may', async () => {
    const viewer = tenants[0];
    const hidden = objects.find((o) => !referenceVisible(o, viewer, groupMembers))!;
    const visible = objects.find((o) => o.publisher !== viewer.id && referenceVisible(o, viewer, groupMembers))!;
    const q = 'query($id: String!) { object(id: $id) { id mine } }';
    const denied = await gql(api.baseUrl, q, { id: hidden.id }, { authorization: keys.get(viewer.id)! });
    expect(denied.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(denied)).not.toContain(hidden.publisher);
    const allowed = await gql<{ object: { id: string; mine: boolean } }>(
      api.baseUrl,
      q,
      { id: visible.id },
      { authorization: keys.get(viewer.id)! },
    );
    expect(allowed.data?.object).toEqual({ id: visible.id, mine: false });
  });

  describe('each layer on its own: the SQL predicate, and row-level security with the predicate left out', () => {
    let db: Client;
    beforeAll(async () => {
      db = new Client({ connectionString: api.databaseUrl });
      await db.connect();
    });
    afterAll(async () => {
      await db.end();
    });

    async function asViewer<T>(t: TenantEntity | null, sql: string, params: unknown[] = []): Promise<T[]> {
      await db.query('BEGIN');
      try {
        await db.query('SET LOCAL ROLE cairn_app');
        if (t) {
          const groups = [...groupMembers].filter(([, m]) => m.includes(t.id)).map(([id]) => id);
          await db.query(
            `SELECT set_config('cairn.tenant_id', $1, true), set_config('cairn.country', $2, true), set_config('cairn.sectors', $3, true), set_config('cairn.groups', $4, true)`,
            [t.id, t.country, t.sectors.join(','), groups.join(',')],
          );
        }
        return (await db.query(sql, params)).rows as T[];
      } finally {
        await db.query('ROLLBACK');
      }
    }

    it('raw SELECT * as cairn_app returns exactly the reference set for every tenant', async () => {
      for (const t of tenants) {
        const rows = await asViewer<{ id: string }>(t, 'SELECT id FROM stix_object');
        expect(rows.map((r) => r.id).sort()).toEqual(expectedFor(t));
      }
    });

    it('row-level security alone never returns a sighting (nor its facts) whose subject the viewer may not see', async () => {
      for (const t of tenants) {
        const rows = await asViewer<{ id: string }>(
          t,
          `SELECT id FROM stix_object WHERE type = 'sighting' UNION SELECT sighting_id FROM sighting_fact`,
        );
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((r) => !referenceVisible(subjectOf.get(r.id)!, t, groupMembers))).toEqual([]);
      }
    });

    it('the application predicate alone (run as the owner, whom RLS does not restrict) selects exactly the reference set', async () => {
      const tenancy = api.app.get(TenancyService);
      for (const t of tenants) {
        const params = new SqlParams();
        const predicate = visibleTo('o', await tenancy.accessScope(t.id), params);
        const { rows } = await db.query(`SELECT o.id FROM stix_object o WHERE ${predicate}`, params.values);
        expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(expectedFor(t));
      }
    });

    it("the feed's in-memory twin of the rule (audienceReaches, used to pick whom to wake) agrees on every pair", async () => {
      const tenancy = api.app.get(TenancyService);
      for (const t of tenants) {
        const scope = await tenancy.accessScope(t.id);
        const reached = objects.filter((o) =>
          audienceReaches(
            {
              publisherTenantId: o.publisher,
              distribution: o.distribution as Distribution,
              sectors: o.sectors,
              countries: o.countries,
              groupId: o.group,
              recipients: o.recipients,
            },
            scope,
          ),
        );
        expect(reached.map((o) => o.id).sort()).toEqual(expectedFor(t));
      }
    });

    it('with no tenant set, cairn_app reads nothing', async () => {
      expect(await asViewer(null, 'SELECT id FROM stix_object')).toEqual([]);
    });

    it("raw SQL cannot read another tenant's ORGANISATION, RECIPIENTS or SHARING_GROUP rows it is not entitled to", async () => {
      for (const t of tenants) {
        const forbidden = objects
          .filter((o) => ['ORGANISATION', 'RECIPIENTS', 'SHARING_GROUP'].includes(o.distribution) && !referenceVisible(o, t, groupMembers))
          .map((o) => o.id);
        expect(forbidden.length).toBeGreaterThan(0);
        const rows = await asViewer<{ n: string }>(t, 'SELECT count(*) AS n FROM stix_object WHERE id = ANY($1)', [forbidden]);
        expect(rows[0].n).toBe('0');
      }
    });

    it("cannot insert as another publisher, nor update another publisher's rows", async () => {
      const [a, b] = tenants;
      const theirs = objects.find((o) => o.publisher === b.id && o.distribution === 'COMMUNITY' && o.countries.length === 0)!;
      const updated = await asViewer<{ id: string }>(a, `UPDATE stix_object SET revoked = true WHERE id = $1 RETURNING id`, [theirs.id]);
      expect(updated).toEqual([]);
      await expect(
        asViewer(
          a,
          `INSERT INTO stix_object (id, type, modified, publisher_tenant_id, tlp, distribution, doc, feed_seq, date_added) VALUES ('x--1', 'x', now(), $1, 'CLEAR', 'COMMUNITY', '{}', -1, now())`,
          [b.id],
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it('the API role cannot bypass RLS or change the audit log', async () => {
      const [role] = await asViewer<{ rolbypassrls: boolean; rolsuper: boolean }>(
        null,
        "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'cairn_app'",
      );
      expect(role).toEqual({ rolbypassrls: false, rolsuper: false });
      await expect(asViewer(tenants[0], 'DELETE FROM audit_log')).rejects.toThrow(/permission denied|append-only/);
    });
  });
});
