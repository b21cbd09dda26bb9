import { CAIRN_CONTEXT_EXTENSION_ID } from '@cairn/stix';
import { randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
import { FeedService, SCOPE_TRUST_MS, SightingsService } from '@cairn/sightings';
import { TenancyService, cellIdentityId } from '@cairn/tenancy';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { collect, wsClient } from './support/ws';
import { untilSubscriptions, waitFor } from './support/wait';
import { machineViewer, newApiKey, newGroup, newTenant } from './factories/tenancy.factory';

const indicator = (name: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-05-01T00:00:00.000Z',
  modified: '2025-05-01T00:00:00.000Z',
  name,
  pattern: "[email-addr:value = 'applicant@example.com']",
  pattern_type: 'stix',
  valid_from: '2025-05-01T00:00:00Z',
});

const REPORT = `mutation($i: ReportSightingInput!) { reportSighting(input: $i) { id cursor reportedAs { sector area identityId } } }`;
const REPORT_MANY = `mutation($i: [ReportSightingInput!]!) { reportSightings(inputs: $i) { id cursor } }`;
const FEED = `query($f: FeedFilterInput, $after: String, $newestFirst: Boolean, $first: Int) {
  feed(filter: $f, after: $after, newestFirst: $newestFirst, first: $first) {
    edges { cursor node { id type mine object sighting { sector area interviewStage roleCategory hiringChannel } } }
    pageInfo { hasNextPage endCursor } } }`;
const SUB = `subscription($after: String, $f: FeedFilterInput) { sightingReported(after: $after, filter: $f) { cursor id type object } }`;

type FeedData = {
  feed: {
    edges: Array<{
      cursor: string;
      node: { id: string; type: string; mine: boolean; object: Record<string, unknown>; sighting: Record<string, string> | null };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};
const SUB_INDICATOR = `subscription { indicatorPublished { id } }`;
type IndEvent = { indicatorPublished: { id: string } };
type SubEvent = { sightingReported: { cursor: string; id: string; type: string; object: Record<string, unknown> } };

describe('sightings and the live sector feed', () => {
  let api: TestApp;
  let h1: TenantEntity, h2: TenantEntity, h3: TenantEntity, d: TenantEntity, ins: TenantEntity;
  const key: Record<string, string> = {};
  let subjectId: string;

  beforeAll(async () => {
    api = await startTestApp();
    h1 = await newTenant(api.app, {
      name: 'Hollowbrook Clinics',
      country: 'US',
      sectors: ['healthcare'],
      domains: ['hollowbrook.example'],
    });
    h2 = await newTenant(api.app, { country: 'US', sectors: ['healthcare'] });
    h3 = await newTenant(api.app, { country: 'US', sectors: ['healthcare'] });
    d = await newTenant(api.app, { name: 'Donaustadt Pflege', country: 'DE', sectors: ['healthcare'] });
    ins = await newTenant(api.app, { country: 'US', sectors: ['insurance'] });
    // A fourth US healthcare member, the newest: the one moved up to keep d and ins company (k = 3).
    await newTenant(api.app, { country: 'US', sectors: ['healthcare'] });
    for (const [name, t] of Object.entries({ h1, h2, h3, d, ins })) key[name] = await newApiKey(api.app, t);
    const doc = indicator('DPRK applicant e-mail');
    await api.app.get(IntelService).storeObjects(machineViewer(h2), [doc], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    subjectId = doc.id;
  });
  afterAll(async () => {
    await api.close();
  });

  const report = (who: string, over: Record<string, unknown> = {}) =>
    gql<{ reportSighting: { id: string; cursor: string; reportedAs: { sector: string; area: string; identityId: string } } }>(
      api.baseUrl,
      REPORT,
      {
        i: {
          sightingOf: subjectId,
          firstSeen: '2025-06-02T09:00:00Z',
          interviewStage: 'INTERVIEW',
          roleCategory: 'PAYROLL_ACCOUNTING',
          hiringChannel: 'JOB_BOARD',
          confidence: 80,
          ...over,
        },
      },
      { authorization: key[who] },
    );

  describe('reporting', () => {
    it('stores a STIX sighting under the reporter’s sector + country cell, not its identity', async () => {
      const res = await report('h1');
      expect(res.errors).toBeUndefined();
      expect(res.data!.reportSighting.reportedAs).toMatchObject({ sector: 'healthcare', area: 'US' });
      const feed = await gql<FeedData>(api.baseUrl, FEED, { f: { types: ['SIGHTING'] } }, { authorization: key.h3 });
      const item = feed.data!.feed.edges.find((e) => e.node.id === res.data!.reportSighting.id)!;
      expect(item.node.object).toMatchObject({
        type: 'sighting',
        sighting_of_ref: subjectId,
        where_sighted_refs: [res.data!.reportSighting.reportedAs.identityId],
        // Cairn's hiring context is a property extension, defined by an extension-definition Cairn serves.
        extensions: {
          [CAIRN_CONTEXT_EXTENSION_ID]: {
            extension_type: 'property-extension',
            interview_stage: 'interview',
            role_category: 'payroll-accounting',
          },
        },
        // Not narrowed (the subject is COMMUNITY/GREEN): the reporter's own TLP marking.
        object_marking_refs: [expect.stringMatching(/^marking-definition--/)],
      });
      expect(item.node.mine).toBe(false);
      const text = JSON.stringify(feed);
      for (const trace of [h1.id, h1.name, 'hollowbrook', h1.slug]) expect(text).not.toContain(trace);
    });

    it('reports a lone member in its country under a coarser cell (small-crowd protection)', async () => {
      const res = await report('d');
      // Healthcare worldwide would be d alone with US members that report under their own cell: not a cell of k.
      expect(res.data!.reportSighting.reportedAs).toEqual(expect.objectContaining({ sector: 'any-sector', area: 'global' }));
    });

    it('a cell follows membership changes on this instance at once: the crowd is re-read after the change commits', async () => {
      const tenancy = api.app.get(TenancyService);
      const lone = await newTenant(api.app, { country: 'NZ', sectors: ['insurance'] });
      expect(await tenancy.cellFor(lone.id)).toMatchObject({ area: 'global' });
      await newTenant(api.app, { country: 'NZ', sectors: ['insurance'] });
      await newTenant(api.app, { country: 'NZ', sectors: ['insurance'] });
      expect(await tenancy.cellFor(lone.id)).toMatchObject({ sector: 'insurance', area: 'NZ' });
      await tenancy.setStatus(lone.id, 'suspended', machineViewer(lone));
      const other = (await tenancy.listTenants({ kind: 'member' })).find((t) => t.country === 'NZ' && t.id !== lone.id)!;
      expect(await tenancy.cellFor(other.id)).not.toMatchObject({ area: 'NZ' });
    });

    it('the shared cell identity resolves for every member', async () => {
      const res = await report('h2');
      const identity = await gql<{ object: { object: Record<string, unknown> } }>(
        api.baseUrl,
        'query($id: String!) { object(id: $id) { object } }',
        { id: res.data!.reportSighting.reportedAs.identityId },
        { authorization: key.ins },
      );
      expect(identity.data!.object.object).toMatchObject({ type: 'identity', identity_class: 'class', sectors: ['healthcare'] });
    });

    it('rejects a bad report naming the property, and stores none of a bulk call', async () => {
      const before = (await gql<FeedData>(api.baseUrl, FEED, { first: 500 }, { authorization: key.h1 })).data!.feed.edges.length;
      const bad = await gql(
        api.baseUrl,
        REPORT_MANY,
        {
          i: [
            { sightingOf: subjectId, firstSeen: '2025-06-01T00:00:00Z' },
            { sightingOf: subjectId, firstSeen: '2025-06-03T00:00:00Z', lastSeen: '2025-06-02T00:00:00Z' },
          ],
        },
        { authorization: key.h1 },
      );
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sightings[1].lastSeen' });
      const unknown = await report('h1', { sightingOf: `indicator--${randomUUID()}` });
      expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'sightings[0].sightingOf' });
      const after = (await gql<FeedData>(api.baseUrl, FEED, { first: 500 }, { authorization: key.h1 })).data!.feed.edges.length;
      expect(after).toBe(before);
    });

    it('a sighting inside a published bundle is filed under the publisher’s cell too, naming no member', async () => {
      const me = {
        type: 'identity',
        spec_version: '2.1',
        id: `identity--${randomUUID()}`,
        created: '2025-06-01T00:00:00.000Z',
        modified: '2025-06-01T00:00:00.000Z',
        name: h1.name,
        identity_class: 'organization',
      };
      const sighting = {
        type: 'sighting',
        spec_version: '2.1',
        id: `sighting--${randomUUID()}`,
        created: '2025-06-03T00:00:00.000Z',
        modified: '2025-06-03T00:00:00.000Z',
        sighting_of_ref: subjectId,
        where_sighted_refs: [me.id],
        first_seen: '2025-06-02T08:00:00Z',
        count: 2,
        x_cairn_interview_stage: 'offer',
        x_cairn_role_category: 'payroll-accounting',
      };
      const res = await gql<{ publishBundle: { created: number } }>(
        api.baseUrl,
        'mutation($b: JSON!) { publishBundle(bundle: $b) { created } }',
        { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [me, sighting] } },
        { authorization: key.h1 },
      );
      expect(res.errors).toBeUndefined();
      const feed = await gql<FeedData>(
        api.baseUrl,
        FEED,
        { f: { types: ['SIGHTING'], sectors: ['healthcare'], countries: ['US'] }, first: 500 },
        { authorization: key.h3 },
      );
      const item = feed.data!.feed.edges.find((e) => e.node.id === sighting.id)!;
      expect(item.node.sighting).toMatchObject({ sector: 'healthcare', area: 'US', interviewStage: 'OFFER' });
      const cellIdentity = (await report('h1')).data!.reportSighting.reportedAs.identityId;
      expect(item.node.object.where_sighted_refs).toEqual([cellIdentity]);
      for (const trace of [h1.id, h1.name, me.id]) expect(JSON.stringify(feed)).not.toContain(trace);
    });

    it('at start-up the API publishes the cell identities of all members, for sightings that arrive in bundles', async () => {
      const miners = [];
      for (let i = 0; i < 3; i++) miners.push(await newTenant(api.app, { country: 'FR', sectors: ['mining'] }));
      const cell = (await api.app.get(TenancyService).cellFor(miners[0].id))!;
      expect(cell).toMatchObject({ sector: 'mining', area: 'FR' });
      const cellId = cellIdentityId(cell);
      const q = 'query($id: String!) { object(id: $id) { object } }';
      const before = await gql(api.baseUrl, q, { id: cellId }, { authorization: key.ins });
      await api.app.get(SightingsService).publishCellIdentities();
      const after = await gql<{ object: { object: Record<string, unknown> } }>(api.baseUrl, q, { id: cellId }, { authorization: key.ins });
      expect(before.errors?.[0]?.extensions?.code).toBe('NOT_FOUND'); // three miners in FR: a cell nobody reported under so far
      expect(after.data!.object.object).toMatchObject({ type: 'identity', identity_class: 'class' });
    });

    it('needs the sightings:write scope', async () => {
      const readOnly = await newApiKey(api.app, h1, ['intel:read']);
      const res = await gql(
        api.baseUrl,
        REPORT,
        { i: { sightingOf: subjectId, firstSeen: '2025-06-02T09:00:00Z' } },
        { authorization: readOnly },
      );
      expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('feed', () => {
    it('shows sector-shared sightings to same-sector members only, and filters by sector and country cell', async () => {
      const mine = await report('h3');
      const id = mine.data!.reportSighting.id;
      const ids = async (who: string, f: Record<string, unknown> = {}) =>
        (await gql<FeedData>(api.baseUrl, FEED, { f, first: 500 }, { authorization: key[who] })).data!.feed.edges.map((e) => e.node.id);
      expect(await ids('h1')).toContain(id);
      expect(await ids('d')).toContain(id);
      expect(await ids('ins')).not.toContain(id); // SECTOR healthcare: an insurer may not see it
      expect(await ids('h1', { sectors: ['healthcare'], countries: ['US'] })).toContain(id);
      expect(await ids('h1', { countries: ['DE'] })).not.toContain(id);
      expect(await ids('h1', { sectors: ['financial-services'] })).not.toContain(id);
    });

    it('pages newest first and oldest first with cursors, each item once', async () => {
      const newest = await gql<FeedData>(api.baseUrl, FEED, { first: 2 }, { authorization: key.h1 });
      const all: string[] = [];
      let after: string | null = null;
      do {
        const page: FeedData = (await gql<FeedData>(api.baseUrl, FEED, { first: 2, after, newestFirst: false }, { authorization: key.h1 }))
          .data!;
        all.push(...page.feed.edges.map((e) => e.node.id));
        after = page.feed.pageInfo.hasNextPage ? page.feed.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(all).size).toBe(all.length);
      expect(all.slice(-2).reverse()).toEqual(newest.data!.feed.edges.map((e) => e.node.id));
    });
  });

  describe('sectorStats', () => {
    const STATS = `query($s: String!, $c: [String!], $from: DateTime) { sectorStats(sector: $s, countries: $c, from: $from, interval: DAY) {
      totalSightings series { bucket sightings newIndicators } topIdentities { subjectId name reportingMembers sightings }
      byArea { key sightings } byRoleCategory { key sightings } byStage { key sightings } } }`;
    type Stats = {
      sectorStats: {
        totalSightings: number;
        series: Array<{ bucket: string; sightings: number; newIndicators: number }>;
        topIdentities: Array<{ subjectId: string; name: string; reportingMembers: number; sightings: number }>;
        byArea: Array<{ key: string; sightings: number }>;
        byRoleCategory: Array<{ key: string; sightings: number }>;
        byStage: Array<{ key: string; sightings: number }>;
      };
    };

    it('counts what the viewer may see: per day, top identities by reporting members, areas and roles', async () => {
      const vars = { s: 'healthcare', from: '2025-01-01T00:00:00Z' };
      const forH = (await gql<Stats>(api.baseUrl, STATS, vars, { authorization: key.h1 })).data!.sectorStats;
      const visible = (await gql<FeedData>(api.baseUrl, FEED, { f: { types: ['SIGHTING'] }, first: 500 }, { authorization: key.h1 })).data!
        .feed.edges;
      expect(forH.totalSightings).toBe(visible.length);
      expect(forH.series.filter((b) => b.sightings > 0)).toEqual([{ bucket: '2025-06-02', sightings: visible.length, newIndicators: 0 }]);
      // The indicator they sighted was shared with everyone today — by h2 alone: a figure that stands for one other member is not shown.
      expect(forH.series.find((b) => b.bucket === new Date().toISOString().slice(0, 10))).toMatchObject({ newIndicators: null });
      expect(forH.topIdentities[0]).toMatchObject({ subjectId, name: 'DPRK applicant e-mail', sightings: visible.length });
      expect(forH.topIdentities[0].reportingMembers).toBe(new Set(['h1', 'h2', 'h3', 'd']).size);
      expect(forH.byArea.map((a) => a.key).sort()).toEqual(['US', 'global']);
      expect(forH.byRoleCategory).toEqual([{ key: 'payroll-accounting', sightings: visible.length }]);
      const usOnly = (await gql<Stats>(api.baseUrl, STATS, { ...vars, c: ['US'] }, { authorization: key.h1 })).data!.sectorStats;
      expect(usOnly.totalSightings).toBe(visible.length); // US sightings plus the global cell that includes the US
    });

    it('shows an insurer nothing of sightings shared with healthcare only', async () => {
      const forI = (await gql<Stats>(api.baseUrl, STATS, { s: 'healthcare', from: '2025-01-01T00:00:00Z' }, { authorization: key.ins }))
        .data!.sectorStats;
      expect(forI.totalSightings).toBe(0);
      expect(forI.topIdentities).toEqual([]);
    });

    it('rejects an unknown sector naming the argument', async () => {
      const res = await gql(api.baseUrl, STATS, { s: 'banking' }, { authorization: key.h1 });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sector' });
    });
  });

  describe('subscriptions over graphql-ws', () => {
    it('delivers new sightings to members who may see them, and not to others', async () => {
      const cH = wsClient(api.baseUrl, key.h1);
      const cI = wsClient(api.baseUrl, key.ins);
      const forH = collect<SubEvent>(cH, SUB);
      const forI = collect<SubEvent>(cI, SUB);
      await untilSubscriptions(api.app, 2);
      const res = await report('h2');
      const [event] = await forH.waitFor(1);
      expect(event.sightingReported.id).toBe(res.data!.reportSighting.id);
      // A barrier instead of a pause: a later sighting the insurer may see. Delivery is in commit
      // order, so had h2's reached the insurer, it would have arrived before this one.
      const barrier = await report('ins');
      await forI.waitFor(1);
      expect(forI.events.map((e) => e.sightingReported.id)).toEqual([barrier.data!.reportSighting.id]);
      forH.stop();
      forI.stop();
      await cH.dispose();
      await cI.dispose();
      await untilSubscriptions(api.app, 0);
    });

    it('a result shared between subscribers never crosses tenants: the reporter sees `mine`, another member does not', async () => {
      const SUB_MINE = `subscription { sightingReported { id mine } }`;
      type MineEvent = { sightingReported: { id: string; mine: boolean } };
      const clients = [wsClient(api.baseUrl, key.h1), wsClient(api.baseUrl, key.h1), wsClient(api.baseUrl, key.h2)];
      const [mine1, mine2, other] = clients.map((c) => collect<MineEvent>(c, SUB_MINE));
      try {
        await untilSubscriptions(api.app, 3);
        const res = await report('h1');
        const id = res.data!.reportSighting.id;
        for (const r of [mine1, mine2, other]) await r.waitFor(1);
        expect(mine1.events).toEqual([{ sightingReported: { id, mine: true } }]);
        expect(mine2.events).toEqual([{ sightingReported: { id, mine: true } }]);
        expect(other.events).toEqual([{ sightingReported: { id, mine: false } }]);
      } finally {
        for (const r of [mine1, mine2, other]) r.stop();
        await Promise.all(clients.map((c) => c.dispose()));
        await untilSubscriptions(api.app, 0);
      }
    });

    it('a commit wakes only the tenants its rows may reach; one whose scope changed since catches up', async () => {
      const feed = api.app.get(FeedService);
      // FeedHub reads for every tenant woken in one round trip (sinceEach): the tenants read are its requests' viewers.
      const sinceEach = feed.sinceEach.bind(feed);
      const reads: string[] = [];
      const spy = jest.spyOn(feed, 'sinceEach').mockImplementation((m, requests) => {
        reads.push(...requests.map((r) => r.scope.tenantId));
        return sinceEach(m, requests);
      });
      const cD = wsClient(api.baseUrl, key.d);
      const cI = wsClient(api.baseUrl, key.ins);
      const forD = collect<IndEvent>(cD, SUB_INDICATOR);
      const forI = collect<IndEvent>(cI, SUB_INDICATOR);
      const intel = api.app.get(IntelService);
      try {
        await untilSubscriptions(api.app, 2);
        // Everyone may see a community row: both are woken, both receive it, both scopes are now known.
        const community = indicator('community row');
        await intel.storeObjects(machineViewer(h2), [community], { distribution: 'COMMUNITY', tlp: 'GREEN' });
        await forD.waitFor(1);
        await forI.waitFor(1);
        // A healthcare row does not even query for the insurer.
        reads.length = 0;
        const healthcare = indicator('healthcare row');
        await intel.storeObjects(machineViewer(h2), [healthcare], { distribution: 'SECTOR', tlp: 'GREEN' });
        await forD.waitFor(2);
        expect(reads).toContain(d.id);
        expect(reads).not.toContain(ins.id);
        // d joins a group after its scope was read; a row for that group still reaches it (catch-up pass).
        const groupId = await newGroup(api.app, h2, [d]);
        const grouped = indicator('group row');
        await intel.storeObjects(machineViewer(h2), [grouped], { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' });
        await forD.waitFor(3, 3 * SCOPE_TRUST_MS);
        expect(forD.events.map((e) => e.indicatorPublished.id)).toEqual([community.id, healthcare.id, grouped.id]);
        expect(forI.events.map((e) => e.indicatorPublished.id)).toEqual([community.id]);
      } finally {
        spy.mockRestore();
        forD.stop();
        forI.stop();
        await cD.dispose();
        await cI.dispose();
        await untilSubscriptions(api.app, 0);
      }
    }, 30_000);

    it('refuses a connection without valid credentials (close code 4401: authenticate again)', async () => {
      const c = wsClient(api.baseUrl, 'Bearer nonsense');
      const r = collect<SubEvent>(c, SUB);
      await waitFor(() => c.closeCodes.length > 0, { what: 'the server to close a connection with bad credentials' });
      expect(r.events).toEqual([]);
      expect(c.closeCodes).toEqual([4401]);
      await c.dispose();
    });

    it('a subscriber that reconnects with its last cursor gets every missed sighting exactly once, then live ones', async () => {
      const c1 = wsClient(api.baseUrl, key.h1);
      const first = collect<SubEvent>(c1, SUB);
      await untilSubscriptions(api.app, 1);
      await report('h2');
      const [seen] = await first.waitFor(1);
      first.stop();
      await c1.dispose();

      const missed = [];
      for (let i = 0; i < 3; i++) missed.push((await report('h3')).data!.reportSighting.id);

      const c2 = wsClient(api.baseUrl, key.h1);
      const resumed = collect<SubEvent>(c2, SUB, { after: seen.sightingReported.cursor });
      await resumed.waitFor(3);
      const live = (await report('h2')).data!.reportSighting.id;
      await resumed.waitFor(4);
      // A barrier instead of a pause: one more, delivered in commit order, so a repeat of any earlier one would come before it.
      const barrier = (await report('h2')).data!.reportSighting.id;
      await resumed.waitFor(5);
      expect(resumed.events.map((e) => e.sightingReported.id)).toEqual([...missed, live, barrier]);
      resumed.stop();
      await c2.dispose();
      await untilSubscriptions(api.app, 0);
    });
  });

  describe('two API instances on one database', () => {
    it('a subscriber on one instance receives what is reported on the other, and nothing it may not see', async () => {
      const second = await startTestApp({ databaseUrl: api.databaseUrl });
      try {
        const onSecondH = collect<SubEvent>(wsClient(second.baseUrl, key.h1), SUB);
        const onSecondI = collect<SubEvent>(wsClient(second.baseUrl, key.ins), SUB);
        await untilSubscriptions(second.app, 2);
        const res = await report('h3'); // on the first instance
        const [event] = await onSecondH.waitFor(1);
        expect(event.sightingReported.id).toBe(res.data!.reportSighting.id);
        // Barrier: a later sighting the insurer may see; in commit order, h3's would have come first.
        const barrier = await report('ins');
        await onSecondI.waitFor(1);
        expect(onSecondI.events.map((e) => e.sightingReported.id)).toEqual([barrier.data!.reportSighting.id]);
        onSecondH.stop();
        onSecondI.stop();
      } finally {
        await second.close();
      }
    });
  });

  describe('concurrent reports on a small connection pool', () => {
    // Each report holds the feed lock inside its transaction; anything it needed from a second pool
    // connection there would wait on writers that wait on the lock. Two connections make that certain.
    it('every report is stored: nothing inside the write transaction waits for another pool connection', async () => {
      const small = await startTestApp({ databaseUrl: api.databaseUrl, env: { DB_POOL_SIZE: '2' } });
      try {
        const who = ['h1', 'h2', 'h3', 'd', 'ins', 'h1', 'h2', 'h3', 'd', 'ins', 'h1', 'h2'];
        const results = await Promise.all(
          who.map((w) =>
            gql<{ reportSighting: { id: string } }>(
              small.baseUrl,
              REPORT,
              { i: { sightingOf: subjectId, firstSeen: '2025-06-03T09:00:00Z' } },
              { authorization: key[w] },
            ),
          ),
        );
        expect(results.map((r) => r.errors?.[0]?.message ?? 'ok')).toEqual(who.map(() => 'ok'));
        const ids = results.map((r) => r.data!.reportSighting.id);
        const feed = await gql<FeedData>(api.baseUrl, FEED, { f: { types: ['SIGHTING'] }, first: 200 }, { authorization: key.h2 });
        const seen = new Set(feed.data!.feed.edges.map((e) => e.node.id));
        // h2 sees the healthcare members' sightings (shared with its sector), not the insurer's.
        expect(ids.filter((id, i) => who[i] !== 'ins').every((id) => seen.has(id))).toBe(true);
        expect(ids.filter((id, i) => who[i] === 'ins').some((id) => seen.has(id))).toBe(false);
      } finally {
        await small.close();
      }
    });
  });
});
