import { randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect, wsClient } from '../support/ws';
import { untilSubscriptions, waitFor } from '../support/wait';
import { gapsReadable } from '../support/opaque';
import { machineViewer, newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';

const TAXII = 'application/taxii+json;version=2.1';
const indicator = (name: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-05-01T00:00:00.000Z',
  modified: '2025-05-01T00:00:00.000Z',
  name,
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: '2025-05-01T00:00:00Z',
});
const code = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => res.errors?.[0]?.extensions?.code;

const OBJECTS = `query($a: String, $f: ObjectFilterInput) { objects(first: 1000, after: $a, filter: $f) { edges { cursor node { id dateAdded } } } }`;
const FEED = `query($a: String) { feed(first: 500, after: $a, newestFirst: false, filter: { types: [INDICATOR] }) { edges { cursor node { id dateAdded } } } }`;
const SIGHT = `mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id cursor } }`;
const SUB = `subscription($a: String) { indicatorPublished(after: $a) { cursor id dateAdded } }`;

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
    return {
      status: res.status,
      body: (await res.json()) as Record<string, unknown>,
      first: res.headers.get('x-taxii-date-added-first'),
      last: res.headers.get('x-taxii-date-added-last'),
    };
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
      // The subscription is live once the server holds it: it then receives every later commit.
      await untilSubscriptions(api.app, 1);
      const before = live.events.length;

      a = indicator('A');
      b = indicator('B');
      await intel.storeObjects(machineViewer(x), [a], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      const s1 = await gql<{ reportSighting: { cursor: string } }>(
        api.baseUrl,
        SIGHT,
        { i: { sightingOf: a.id, firstSeen: '2025-06-02T09:00:00Z' } },
        as(x),
      );
      // Another member's writes that x may not see: N indicators, in one bundle and one at a time.
      await intel.storeObjects(
        machineViewer(hidden),
        Array.from({ length: N - 3 }, (_, i) => indicator(`hidden ${i}`)),
        { distribution: 'ORGANISATION', tlp: 'AMBER' },
      );
      for (let i = 0; i < 3; i++)
        await intel.storeObjects(machineViewer(hidden), [indicator(`hidden single ${i}`)], { distribution: 'SECTOR', tlp: 'AMBER' });
      const s2 = await gql<{ reportSighting: { cursor: string } }>(
        api.baseUrl,
        SIGHT,
        { i: { sightingOf: a.id, firstSeen: '2025-06-02T09:00:00Z' } },
        as(x),
      );
      await intel.storeObjects(machineViewer(x), [b], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      await intel.storeObjects(machineViewer(x), [indicator('C')], { distribution: 'COMMUNITY', tlp: 'GREEN' });
      seen.sighting = [s1.data!.reportSighting.cursor, s2.data!.reportSighting.cursor];

      const events = (await live.waitFor(before + 3)).map((e) => e.indicatorPublished);
      seen.subscription = [events.find((e) => e.id === a.id)!.cursor, events.find((e) => e.id === b.id)!.cursor];
      live.stop();
      await ws.dispose();

      const objects = (
        await gql<{ objects: { edges: Array<{ cursor: string; node: { id: string; dateAdded: string } }> } }>(
          api.baseUrl,
          OBJECTS,
          { f: { types: ['indicator'] } },
          as(x),
        )
      ).data!.objects.edges;
      const of = (id: string) => objects.find((e) => e.node.id === id)!;
      seen.objects = [of(a.id).cursor, of(b.id).cursor];
      seen.dateAdded = [of(a.id).node.dateAdded, of(b.id).node.dateAdded];
      const feed = (await gql<{ feed: { edges: Array<{ cursor: string; node: { id: string } }> } }>(api.baseUrl, FEED, {}, as(x))).data!
        .feed.edges;
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

    it.each(['objects', 'feed', 'subscription', 'sighting', 'taxiiNext'])(
      '%s cursors: no decoding tells how many rows lie between them',
      (what) => {
        const [first, second] = seen[what];
        expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
        const gaps = gapsReadable(first, second);
        // A and B (or the two sightings) are N hidden rows and a few rows of x's own (and the exchange's) apart.
        for (let k = 0; k <= 6; k++) expect(gaps.has(BigInt(N + k))).toBe(false);
      },
    );

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
      const forY = (
        await gql<{ objects: { edges: Array<{ cursor: string; node: { id: string } }> } }>(
          api.baseUrl,
          OBJECTS,
          { f: { ids: [a.id] } },
          as(y),
        )
      ).data!.objects.edges;
      expect(forY[0].node.id).toBe(a.id);
      expect(forY[0].cursor).not.toBe(seen.objects[0]);
      for (const cursor of [seen.objects[0], seen.sighting[0]]) {
        const objects = await gql(api.baseUrl, OBJECTS, { a: cursor }, as(y));
        expect(objects.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
        expect(code(await gql(api.baseUrl, FEED, { a: cursor }, as(y)))).toBe('BAD_USER_INPUT');
      }
      // x itself continues from its own cursors.
      const after = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(
        api.baseUrl,
        OBJECTS,
        { a: seen.objects[0], f: { types: ['indicator'] } },
        as(x),
      );
      expect(after.data!.objects.edges.map((e) => e.node.id)).toContain(b.id);
      expect(after.data!.objects.edges.map((e) => e.node.id)).not.toContain(a.id);
    });

    it('a subscription refuses another tenant’s cursor; TAXII refuses another tenant’s or collection’s next with 400', async () => {
      const ws = wsClient(api.baseUrl, key.get(y.id));
      const sub = collect(ws, SUB, { a: seen.subscription[0] });
      await waitFor(() => sub.errors.length > 0, { what: 'the subscription to be refused' });
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
        const res = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(
          other.baseUrl,
          OBJECTS,
          { a: seen.objects[0], f: { types: ['indicator'] } },
          as(x),
        );
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
      [narrowedFR, narrowedUS, open, mine] = [
        indicator('DE+FR only'),
        indicator('DE+US only'),
        indicator('everyone'),
        indicator('mine, DE+GB'),
      ];
      await intel.storeObjects(machineViewer(p1), [narrowedFR], { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'FR'] });
      await intel.storeObjects(machineViewer(p2), [narrowedUS], { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'US'] });
      await intel.storeObjects(machineViewer(p2), [open], { distribution: 'COMMUNITY', tlp: 'CLEAR' });
      await intel.storeObjects(machineViewer(x), [mine], { distribution: 'COMMUNITY', tlp: 'CLEAR', countries: ['DE', 'GB'] });
      theirs = [narrowedFR.id, narrowedUS.id, open.id].sort();
    });

    const objectsFor = async (countries: string[], viewer = x) => {
      const res = await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(
        api.baseUrl,
        OBJECTS,
        { f: { countries, ids: [...theirs, mine.id] } },
        as(viewer),
      );
      expect(res.errors).toBeUndefined();
      return res.data!.objects.edges.map((e) => e.node.id).sort();
    };
    const feedFor = async (countries: string[], viewer = x) => {
      const res = await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(
        api.baseUrl,
        FEED_C,
        { f: { countries, types: ['INDICATOR'] } },
        as(viewer),
      );
      expect(res.errors).toBeUndefined();
      return res
        .data!.feed.edges.map((e) => e.node.id)
        .filter((id) => [...theirs, mine.id].includes(id))
        .sort();
    };

    it.each([[['FR']], [['US']], [['GB']], [['FR', 'US']], [['DE']], [['DE', 'FR']]])(
      'countries %j: others’ objects, narrowed or not, all match or none do (the viewer is in DE)',
      async (countries) => {
        for (const read of [objectsFor, feedFor]) {
          const got = await read(countries);
          const others = got.filter((id) => id !== mine.id);
          // All or nothing: exactly when the viewer's own country is asked for.
          expect(others).toEqual(countries.includes('DE') ? theirs : []);
          // The viewer's own object (narrowed to DE and GB) answers only for the viewer's country too:
          // a row of its own may carry another member's narrowing (audience/intersect.ts), so GB alone matches nothing.
          expect(got.includes(mine.id)).toBe(countries.includes('DE'));
          // A viewer in the US sees the two objects whose audience includes the US, and likewise all or none.
          expect(await read(countries, z)).toEqual(countries.includes('US') ? [narrowedUS.id, open.id].sort() : []);
        }
      },
    );

    it('sightings in the feed still filter by the area they are reported under, which is public', async () => {
      const sighted = await gql<{ reportSighting: { id: string } }>(
        api.baseUrl,
        SIGHT,
        { i: { sightingOf: open.id, firstSeen: '2025-06-02T09:00:00Z' } },
        as(x),
      );
      const res = await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(
        api.baseUrl,
        FEED_C,
        { f: { countries: ['DE'], types: ['SIGHTING'] } },
        as(x),
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.feed.edges.map((e) => e.node.id)).toContain(sighted.data!.reportSighting.id);
    });
  });

  describe('(c) nobody is put in a sharing group without its consent', () => {
    let owner: TenantEntity;
    let target: TenantEntity;
    let outsider: TenantEntity;
    const admin: Record<string, Record<string, string>> = {};
    let groupId: string;
    const shared = indicator('for the group');
    const GROUPS = '{ sharingGroups { id slug name owned members { slug } pendingInvitations { slug } } }';
    const INVITATIONS = '{ sharingGroupInvitations { id groupId groupSlug groupName owner { slug } } }';
    const INVITE =
      'mutation($g: ID!, $t: [String!]!) { inviteToSharingGroup(groupId: $g, tenants: $t) { members { slug } pendingInvitations { slug } } }';
    const ACCEPT = 'mutation($id: ID!) { acceptSharingGroupInvitation(id: $id) { id members { slug } } }';
    const DECLINE = 'mutation($id: ID!) { declineSharingGroupInvitation(id: $id) }';
    const LEAVE = 'mutation($g: ID!) { leaveSharingGroup(groupId: $g) }';
    const REMOVE = 'mutation($g: ID!, $r: [ID!]) { changeSharingGroupMembers(groupId: $g, remove: $r) { id } }';

    const gqlAs = <T = Record<string, unknown>>(who: string, q: string, v: Record<string, unknown> = {}) =>
      gql<T>(api.baseUrl, q, v, admin[who]);
    const groupsOf = async (who: string) =>
      (
        await gqlAs<{
          sharingGroups: Array<{ id: string; members: Array<{ slug: string }>; pendingInvitations: Array<{ slug: string }> }>;
        }>(who, GROUPS)
      ).data!.sharingGroups;
    const invitationsOf = async (who: string) =>
      (
        await gqlAs<{ sharingGroupInvitations: Array<{ id: string; groupId: string; groupName: string; owner: { slug: string } }> }>(
          who,
          INVITATIONS,
        )
      ).data!.sharingGroupInvitations;
    const seesShared = async (t: TenantEntity) =>
      (await gql<{ objects: { edges: unknown[] } }>(api.baseUrl, OBJECTS, { f: { ids: [shared.id] } }, as(t))).data!.objects.edges.length >
      0;
    const hasCollection = async (t: TenantEntity) =>
      ((await taxii(t, 'collections/')).body.collections as Array<{ alias: string }>).some((c) => c.alias.startsWith('group-'));

    beforeAll(async () => {
      owner = await newTenant(api.app, { country: 'GB', sectors: ['insurance'] });
      target = await newTenant(api.app, { country: 'GB', sectors: ['insurance'] });
      outsider = await newTenant(api.app, { country: 'GB', sectors: ['insurance'] });
      for (const [name, t] of [
        ['owner', owner],
        ['target', target],
        ['outsider', outsider],
      ] as const) {
        admin[name] = await signedInUser(api.app, api.baseUrl, t, 'admin');
        key.set(t.id, await newApiKey(api.app, t));
      }
      admin.targetReader = await signedInUser(api.app, api.baseUrl, target, 'reader');
    }, 60_000);

    it('creating a group "with" another tenant only invites it: nothing reaches it until it accepts', async () => {
      // The old way to add members without asking is gone from the schema.
      const forced = await gqlAs('owner', 'mutation($i: CreateSharingGroupInput!) { createSharingGroup(input: $i) { id } }', {
        i: { slug: `forced-${randomUUID().slice(0, 8)}`, name: 'Forced', memberTenantIds: [target.id] },
      });
      expect(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED']).toContain(code(forced));
      expect(
        code(
          await gqlAs('owner', 'mutation($g: ID!, $a: [ID!]) { changeSharingGroupMembers(groupId: $g, add: $a) { id } }', {
            g: randomUUID(),
            a: [target.id],
          }),
        ),
      ).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await groupsOf('target')).toEqual([]);

      const created = await gqlAs<{
        createSharingGroup: { id: string; members: Array<{ slug: string }>; pendingInvitations: Array<{ slug: string }> };
      }>(
        'owner',
        'mutation($i: CreateSharingGroupInput!) { createSharingGroup(input: $i) { id members { slug } pendingInvitations { slug } } }',
        { i: { slug: `consent-${randomUUID().slice(0, 8)}`, name: 'Target’s trusted circle', invite: [target.slug] } },
      );
      expect(created.errors).toBeUndefined();
      groupId = created.data!.createSharingGroup.id;
      expect(created.data!.createSharingGroup).toMatchObject({
        members: [{ slug: owner.slug }],
        pendingInvitations: [{ slug: target.slug }],
      });
      await api.app
        .get(IntelService)
        .storeObjects(machineViewer(owner), [shared], { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' });

      expect(await groupsOf('target')).toEqual([]);
      expect(await seesShared(target)).toBe(false);
      expect(await hasCollection(target)).toBe(false);
      // Nor can it publish "to" the group, which would tell it the group exists.
      await expect(
        api.app.get(IntelService).storeObjects(machineViewer(target), [indicator('x')], { distribution: 'SHARING_GROUP', groupId }),
      ).rejects.toMatchObject({ reason: 'UNKNOWN_GROUP' });
      expect(await seesShared(owner)).toBe(true);
    });

    it('the invited tenant sees the invitation (group name and owner only); an outsider learns nothing of the group', async () => {
      expect(await invitationsOf('target')).toEqual([
        expect.objectContaining({ groupId, groupName: 'Target’s trusted circle', owner: { slug: owner.slug } }),
      ]);
      expect(await invitationsOf('outsider')).toEqual([]);
      expect(await groupsOf('outsider')).toEqual([]);
      const invitationId = (await invitationsOf('target'))[0].id;
      // A group it is not in and one that does not exist look the same; so do others' invitations.
      for (const g of [groupId, randomUUID(), 'not-a-uuid']) {
        for (const [q, v] of [
          [INVITE, { g, t: [outsider.slug] }],
          [LEAVE, { g }],
          [REMOVE, { g, r: [owner.id] }],
        ] as const) {
          const res = await gqlAs('outsider', q, v);
          expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'GROUP_NOT_FOUND' });
          expect(JSON.stringify(res)).not.toContain('trusted circle');
        }
      }
      for (const id of [invitationId, randomUUID(), 'garbage']) {
        const res = await gqlAs('outsider', ACCEPT, { id });
        expect(res.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'INVITATION_NOT_FOUND' });
      }
      expect(await seesShared(outsider)).toBe(false);
      expect(
        (await gql<{ objects: { edges: unknown[] } }>(api.baseUrl, OBJECTS, { f: { groupIds: [groupId] } }, as(outsider))).data!.objects
          .edges,
      ).toEqual([]);
      // Only the invited tenant's admin answers.
      expect(code(await gqlAs('targetReader', ACCEPT, { id: invitationId }))).toBe('FORBIDDEN');
      expect(await groupsOf('target')).toEqual([]);
    });

    it('decline: still not a member, and the invitation is gone; a new invitation can then be accepted', async () => {
      const [first] = await invitationsOf('target');
      expect((await gqlAs('target', DECLINE, { id: first.id })).errors).toBeUndefined();
      expect(await invitationsOf('target')).toEqual([]);
      expect(code(await gqlAs('target', ACCEPT, { id: first.id }))).toBe('NOT_FOUND');
      expect(await groupsOf('target')).toEqual([]);
      expect(await seesShared(target)).toBe(false);
      expect((await groupsOf('owner'))[0].pendingInvitations).toEqual([]);

      expect((await gqlAs('owner', INVITE, { g: groupId, t: [target.id] })).errors).toBeUndefined();
      const [second] = await invitationsOf('target');
      const accepted = await gqlAs<{ acceptSharingGroupInvitation: { id: string; members: Array<{ slug: string }> } }>('target', ACCEPT, {
        id: second.id,
      });
      expect(accepted.data!.acceptSharingGroupInvitation.members.map((m) => m.slug).sort()).toEqual([owner.slug, target.slug].sort());
      expect(await seesShared(target)).toBe(true);
      expect(await hasCollection(target)).toBe(true);
      expect((await groupsOf('owner'))[0]).toMatchObject({ pendingInvitations: [] });
      // A member that does not own the group does not see who else is invited.
      expect((await groupsOf('target'))[0].pendingInvitations).toEqual([]);
    });

    it('leave: a member stops seeing the group’s objects and collection at once; the owner cannot leave', async () => {
      expect((await gqlAs('target', LEAVE, { g: groupId })).errors).toBeUndefined();
      expect(await groupsOf('target')).toEqual([]);
      expect(await seesShared(target)).toBe(false);
      expect(await hasCollection(target)).toBe(false);
      expect((await gqlAs('owner', LEAVE, { g: groupId })).errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'OWNER_CANNOT_LEAVE',
      });
    });

    it('every step is in the audit logs of both parties, and in no one else’s', async () => {
      const AUDIT = '{ auditLog(first: 200) { action targetId } }';
      const actions = async (who: string) =>
        (await gqlAs<{ auditLog: Array<{ action: string; targetId: string }> }>(who, AUDIT))
          .data!.auditLog.filter((e) => e.targetId === groupId)
          .map((e) => e.action);
      const steps = ['group.invited', 'group.invitation_declined', 'group.invitation_accepted', 'group.left'];
      expect(await actions('target')).toEqual(expect.arrayContaining(steps));
      expect(await actions('owner')).toEqual(expect.arrayContaining(['group.created', ...steps]));
      expect(await actions('outsider')).toEqual([]);
    });
  });
});
