import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newGroup, newTenant } from '../factories/tenancy.factory';

/**
 * "References never widen the audience" (DESIGN.md), played as an attacker: a member whose
 * default sharing is wide references something shared narrowly, and a tenant outside that narrow
 * audience tries to read the referencing object through every read path.
 *
 * Tenants: pub (technology, US, publishes), tech (technology + finance, DE, sights with a
 * CLEAR/COMMUNITY default), fin (financial-services, US, the outsider), ins (insurance, GB,
 * named recipient), grp (healthcare, US, group member with tech).
 */
const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/api';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created objects { id status reason } } }';
const REPORT =
  'mutation($i: ReportSightingInput!, $s: SharingInput) { reportSighting(input: $i, sharing: $s) { id sharedAs { distribution tlp narrowed } } }';
const OBJECT = 'query($id: String!) { object(id: $id) { id tlp object } }';
const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f, first: 1000) { edges { node { id } } } }';
const FEED = 'query { feed(first: 500) { edges { node { id } } } }';
const CHECK = 'query($v: [String!]!) { checkIdentifiers(values: $v) { value known reporters cells { sector area } } }';
const T = '2025-05-01T00:00:00.000Z';

let n = 0;
const ip = () => `198.51.100.${++n}`;
const indicator = (value = ip()) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: T,
  modified: T,
  name: 'applicant VPN exit',
  pattern: `[ipv4-addr:value = '${value}']`,
  pattern_type: 'stix',
  valid_from: '2025-05-01T00:00:00Z',
});
const sighting = (of: string, extra: Record<string, unknown> = {}) => ({
  type: 'sighting',
  spec_version: '2.1',
  id: `sighting--${randomUUID()}`,
  created: T,
  modified: T,
  sighting_of_ref: of,
  first_seen: '2025-06-02T09:00:00Z',
  last_seen: '2025-06-02T09:00:00Z',
  count: 1,
  ...extra,
});
const relationship = (source: string, target: string) => ({
  type: 'relationship',
  spec_version: '2.1',
  id: `relationship--${randomUUID()}`,
  created: T,
  modified: T,
  relationship_type: 'related-to',
  source_ref: source,
  target_ref: target,
});
const note = (refs: string[]) => ({
  type: 'note',
  spec_version: '2.1',
  id: `note--${randomUUID()}`,
  created: T,
  modified: T,
  content: 'seen again',
  object_refs: refs,
});
const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: `bundle--${randomUUID()}`, objects });

describe('adversary: a referencing object is never seen more widely than what it references', () => {
  let api: TestApp;
  let pub: TenantEntity, tech: TenantEntity, fin: TenantEntity, ins: TenantEntity, grp: TenantEntity;
  let groupId: string;
  const key = new Map<string, string>();
  const coll = new Map<string, Record<string, string>>();

  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const publish = async (t: TenantEntity, s: Record<string, unknown> | null, ...objects: unknown[]) =>
    gql<{ publishBundle: { created: number; objects: Array<{ id: string; status: string; reason: string | null }> } }>(
      api.baseUrl,
      PUBLISH,
      { b: bundle(...objects), s },
      as(t),
    );
  const published = async (t: TenantEntity, s: Record<string, unknown> | null, ...objects: unknown[]) => {
    const res = await publish(t, s, ...objects);
    expect(res.errors).toBeUndefined();
    return res.data!.publishBundle;
  };
  const sees = async (t: TenantEntity, id: string) => {
    const res = await gql<{ object: { id: string; tlp: string } }>(api.baseUrl, OBJECT, { id }, as(t));
    if (res.errors?.[0]?.extensions?.code === 'NOT_FOUND') return false;
    expect(res.errors).toBeUndefined();
    return true;
  };
  const tlpOf = async (t: TenantEntity, id: string) =>
    (await gql<{ object: { tlp: string } }>(api.baseUrl, OBJECT, { id }, as(t))).data!.object.tlp;
  const taxii = async (t: TenantEntity, path: string, body?: unknown) => {
    const res = await fetch(`${api.baseUrl}${ROOT}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { accept: TAXII, authorization: key.get(t.id)!, ...(body === undefined ? {} : { 'content-type': TAXII }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const taxiiIds = async (t: TenantEntity) => {
    const res = await taxii(t, `/collections/${coll.get(t.id)!.all}/objects/?limit=1000`);
    expect(res.status).toBe(200);
    return new Set(((res.body.objects ?? []) as Array<{ id: string }>).map((o) => o.id));
  };
  const feedIds = async (t: TenantEntity) =>
    new Set(
      (await gql<{ feed: { edges: Array<{ node: { id: string } }> } }>(api.baseUrl, FEED, {}, as(t))).data!.feed.edges.map(
        (e) => e.node.id,
      ),
    );
  /** Every read path a member has, for one object: GraphQL object(id), objects(ids), the feed, TAXII. */
  const seenAnywhere = async (t: TenantEntity, id: string) => {
    const byObjects =
      (await gql<{ objects: { edges: Array<{ node: { id: string } }> } }>(api.baseUrl, OBJECTS, { f: { ids: [id] } }, as(t))).data!.objects
        .edges.length > 0;
    return { object: await sees(t, id), objects: byObjects, feed: (await feedIds(t)).has(id), taxii: (await taxiiIds(t)).has(id) };
  };
  const nowhere = { object: false, objects: false, feed: false, taxii: false };
  const everywhere = { object: true, objects: true, feed: true, taxii: true };

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, { country: 'US', sectors: ['technology'] });
    tech = await newTenant(api.app, {
      country: 'DE',
      sectors: ['technology', 'financial-services'],
      defaultDistribution: 'COMMUNITY',
      defaultTlp: 'CLEAR',
    });
    fin = await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    ins = await newTenant(api.app, { country: 'GB', sectors: ['insurance'], defaultDistribution: 'COMMUNITY', defaultTlp: 'CLEAR' });
    grp = await newTenant(api.app, { country: 'US', sectors: ['healthcare'] });
    groupId = await newGroup(api.app, pub, [tech, grp]);
    for (const t of [pub, tech, fin, ins, grp]) key.set(t.id, await newApiKey(api.app, t));
    for (const t of [pub, tech, fin, ins, grp]) {
      const res = await taxii(t, '/collections/');
      coll.set(t.id, Object.fromEntries((res.body.collections as Array<{ alias: string; id: string }>).map((k) => [k.alias, k.id])));
    }
  });
  afterAll(() => api.close());

  describe('the attack from issue 14: a CLEAR/COMMUNITY sighting of a TLP:GREEN technology-only indicator', () => {
    let indicatorId: string;
    let sightingId: string;
    let value: string;

    beforeAll(async () => {
      value = ip();
      const ind = indicator(value);
      indicatorId = ind.id;
      await published(pub, { distribution: 'SECTOR', sectors: ['technology'], tlp: 'GREEN' }, ind);
      const res = await gql<{ reportSighting: { id: string; sharedAs: Record<string, unknown> } }>(
        api.baseUrl,
        REPORT,
        { i: { sightingOf: indicatorId, firstSeen: '2025-06-02T09:00:00Z' } },
        as(tech),
      );
      expect(res.errors).toBeUndefined();
      sightingId = res.data!.reportSighting.id;
      expect(res.data!.reportSighting.sharedAs).toEqual({ distribution: 'SECTOR', tlp: 'GREEN', narrowed: true });
    });

    it('the outsider cannot see the indicator, and so not the sighting either, on any read path', async () => {
      expect(await sees(fin, indicatorId)).toBe(false);
      expect(await seenAnywhere(fin, sightingId)).toEqual(nowhere);
      expect(await seenAnywhere(ins, sightingId)).toEqual(nowhere);
    });

    it('members of the technology sector see both; the sighting is marked at least TLP:GREEN', async () => {
      expect(await seenAnywhere(pub, sightingId)).toEqual(everywhere);
      expect(await tlpOf(pub, sightingId)).toBe('GREEN');
      const doc = (await gql<{ object: { object: Record<string, unknown> } }>(api.baseUrl, OBJECT, { id: sightingId }, as(pub))).data!
        .object.object;
      expect(doc.object_marking_refs).toEqual(['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb']);
    });

    it("sectorStats (which counts the sighting facts, stored with the sighting's audience) does not name the subject to the outsider", async () => {
      const STATS =
        'query($s: String!) { sectorStats(sector: $s, from: "2025-01-01T00:00:00Z", interval: DAY) { totalSightings topIdentities { subjectId } } }';
      type Stats = { sectorStats: { totalSightings: number; topIdentities: Array<{ subjectId: string }> } };
      for (const sector of ['technology', 'financial-services']) {
        const forFin = (await gql<Stats>(api.baseUrl, STATS, { s: sector }, as(fin))).data!.sectorStats;
        expect(forFin.topIdentities.map((t) => t.subjectId)).not.toContain(indicatorId);
        // The sighter's own figures are all its own (small-count protection hides them from others, who see one member's report).
        const forTech = (await gql<Stats>(api.baseUrl, STATS, { s: sector }, as(tech))).data!.sectorStats;
        if (sector === 'technology') expect(forTech.topIdentities.map((t) => t.subjectId)).toContain(indicatorId);
      }
    });

    it('checkIdentifiers does not count the sighter for the outsider (it learns nothing about the subject)', async () => {
      const forFin = (
        await gql<{ checkIdentifiers: Array<{ known: boolean; reporters: number }> }>(api.baseUrl, CHECK, { v: [value] }, as(fin))
      ).data!.checkIdentifiers[0];
      expect(forFin).toMatchObject({ known: false, reporters: 0 });
    });
  });

  describe('through every door: GraphQL publishBundle and TAXII POST', () => {
    it('a sighting, a relationship and a note (and a note on that relationship) in a COMMUNITY bundle take the technology-only audience and TLP of what they reference', async () => {
      const target = indicator();
      await published(pub, { distribution: 'SECTOR', sectors: ['technology'], tlp: 'GREEN' }, target);
      const own = indicator();
      const s = sighting(target.id, { object_marking_refs: ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'] });
      const rel = relationship(own.id, target.id);
      const n1 = note([target.id]);
      const n2 = note([rel.id]);
      const result = await published(tech, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, own, s, rel, n1, n2);
      expect(
        result.objects
          .filter((o) => o.reason?.includes('shared as SECTOR, TLP:GREEN'))
          .map((o) => o.id)
          .sort(),
      ).toEqual([s.id, rel.id, n1.id, n2.id].sort());
      for (const id of [s.id, rel.id, n1.id, n2.id]) {
        expect(await seenAnywhere(fin, id)).toEqual(nowhere);
        expect(await sees(ins, id)).toBe(false);
        expect(await sees(pub, id)).toBe(true);
        expect(await tlpOf(pub, id)).toBe('GREEN');
      }
      // What references nothing narrow keeps the sharing asked for.
      expect(await sees(fin, own.id)).toBe(true);
      expect(await tlpOf(fin, own.id)).toBe('CLEAR');
    });

    it('TAXII POST to the community collection: a sighting and a relationship of a sharing-group indicator stay in the group, a TAXII GET outside it finds nothing', async () => {
      const target = indicator();
      await published(pub, { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' }, target);
      const s = sighting(target.id);
      const persona = {
        type: 'identity',
        spec_version: '2.1',
        id: `identity--${randomUUID()}`,
        created: T,
        modified: T,
        name: 'persona',
        identity_class: 'class',
      };
      const rel = relationship(persona.id, target.id);
      const res = await taxii(tech, `/collections/${coll.get(tech.id)!.community}/objects/`, { objects: [persona, s, rel] });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'complete', success_count: 3, failure_count: 0 });
      expect(await sees(fin, persona.id)).toBe(true);
      for (const id of [s.id, rel.id]) {
        expect(await seenAnywhere(fin, id)).toEqual(nowhere);
        expect(await seenAnywhere(ins, id)).toEqual(nowhere);
        expect((await taxiiIds(grp)).has(id)).toBe(true);
        expect(await tlpOf(grp, id)).toBe('AMBER');
      }
    });

    it('TAXII POST of a relationship to a technology-only indicator, into the community collection, is not served to another sector', async () => {
      const target = indicator();
      await published(pub, { distribution: 'SECTOR', sectors: ['technology'], tlp: 'GREEN' }, target);
      const rel = relationship(`identity--${randomUUID()}`, target.id);
      const actor = {
        type: 'identity',
        spec_version: '2.1',
        id: rel.source_ref,
        created: T,
        modified: T,
        name: 'persona',
        identity_class: 'class',
      };
      const res = await taxii(ins, `/collections/${coll.get(ins.id)!.community}/objects/`, { objects: [actor, rel] });
      // ins is not in the technology sector: it cannot see the target, so the reference is refused outright.
      expect(res.body).toMatchObject({ status: 'complete', success_count: 0 });
      const ok = await taxii(tech, `/collections/${coll.get(tech.id)!.community}/objects/`, { objects: [actor, rel] });
      expect(ok.body).toMatchObject({ status: 'complete', success_count: 2 });
      expect((await taxiiIds(fin)).has(rel.id)).toBe(false);
      expect((await taxiiIds(fin)).has(actor.id)).toBe(true);
      expect((await taxiiIds(pub)).has(rel.id)).toBe(true);
    });

    it('refuses, naming the object and the property, a relationship between a sharing-group and a sector-only indicator; nothing is stored', async () => {
      const g = indicator();
      const sct = indicator();
      await published(pub, { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' }, g);
      await published(pub, { distribution: 'SECTOR', sectors: ['technology'], tlp: 'GREEN' }, sct);
      const own = indicator();
      const rel = relationship(g.id, sct.id);
      const res = await publish(tech, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, own, rel);
      expect(res.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        issues: [{ objectId: rel.id, path: '$.objects[1].target_ref', code: 'AUDIENCE_NOT_REPRESENTABLE' }],
      });
      expect(JSON.stringify(res.errors)).not.toMatch(/stack|\.ts:\d+|SELECT |violates|duplicate key/);
      expect(await sees(tech, own.id)).toBe(false);
      expect(await sees(tech, rel.id)).toBe(false);
    });
  });

  describe('reportSighting: an optional sharing that can only narrow', () => {
    const report = (t: TenantEntity, of: string, s?: Record<string, unknown>) =>
      gql<{ reportSighting: { id: string; sharedAs: { distribution: string; tlp: string; narrowed: boolean } } }>(
        api.baseUrl,
        REPORT,
        { i: { sightingOf: of, firstSeen: '2025-06-02T09:00:00Z' }, s },
        as(t),
      );

    it('narrows a sighting of a COMMUNITY indicator to the sector asked for', async () => {
      const target = indicator();
      await published(pub, { distribution: 'COMMUNITY', tlp: 'CLEAR' }, target);
      const res = await report(tech, target.id, { distribution: 'SECTOR', sectors: ['financial-services'], tlp: 'GREEN' });
      expect(res.data!.reportSighting.sharedAs).toEqual({ distribution: 'SECTOR', tlp: 'GREEN', narrowed: false });
      const id = res.data!.reportSighting.id;
      expect(await sees(fin, id)).toBe(true);
      expect(await sees(ins, id)).toBe(false);
      expect(await tlpOf(fin, id)).toBe('GREEN');
    });

    it('an explicit wider sharing does not widen: COMMUNITY asked, SECTOR[technology] stored', async () => {
      const target = indicator();
      await published(pub, { distribution: 'SECTOR', sectors: ['technology'], tlp: 'GREEN' }, target);
      const res = await report(tech, target.id, { distribution: 'COMMUNITY', tlp: 'CLEAR' });
      expect(res.data!.reportSighting.sharedAs).toEqual({ distribution: 'SECTOR', tlp: 'GREEN', narrowed: true });
      expect(await seenAnywhere(fin, res.data!.reportSighting.id)).toEqual(nowhere);
    });

    it('a member sights what was shared with it by name: the sighting goes to the publisher of the subject only (and the TLP stays AMBER)', async () => {
      const target = indicator();
      await published(pub, { distribution: 'RECIPIENTS', recipientTenantIds: [ins.id], tlp: 'AMBER' }, target);
      const res = await report(ins, target.id);
      expect(res.errors).toBeUndefined();
      expect(res.data!.reportSighting.sharedAs).toEqual({ distribution: 'RECIPIENTS', tlp: 'AMBER', narrowed: true });
      const id = res.data!.reportSighting.id;
      expect(await sees(pub, id)).toBe(true);
      for (const t of [tech, fin, grp]) expect(await seenAnywhere(t, id)).toEqual(nowhere);
    });

    it('a sector default cannot meet a sharing-group subject: AUDIENCE_NOT_REPRESENTABLE naming the input, nothing stored; with the group asked for it works', async () => {
      const target = indicator();
      await published(pub, { distribution: 'SHARING_GROUP', groupId, tlp: 'AMBER' }, target);
      const before = (await feedIds(grp)).size;
      const refused = await report(grp, target.id);
      expect(refused.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'AUDIENCE_NOT_REPRESENTABLE',
        field: 'sightings[0].sightingOf',
      });
      expect(JSON.stringify(refused.errors)).not.toMatch(/stack|\.ts:\d+|SELECT |violates/);
      expect((await feedIds(grp)).size).toBe(before);
      const ok = await report(grp, target.id, { distribution: 'SHARING_GROUP', groupId });
      expect(ok.data!.reportSighting.sharedAs).toEqual({ distribution: 'SHARING_GROUP', tlp: 'AMBER', narrowed: false });
      expect(await sees(tech, ok.data!.reportSighting.id)).toBe(true);
      expect(await sees(fin, ok.data!.reportSighting.id)).toBe(false);
    });

    it("TLP is never weaker than the subject's, and a stricter one asked for is kept", async () => {
      const target = indicator();
      await published(pub, { distribution: 'COMMUNITY', tlp: 'AMBER' }, target);
      const weaker = await report(tech, target.id, { tlp: 'CLEAR' });
      expect(weaker.data!.reportSighting.sharedAs).toEqual({ distribution: 'COMMUNITY', tlp: 'AMBER', narrowed: true });
      const doc = (
        await gql<{ object: { object: Record<string, unknown> } }>(api.baseUrl, OBJECT, { id: weaker.data!.reportSighting.id }, as(fin))
      ).data!.object.object;
      expect(doc.object_marking_refs).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
      const stricter = await report(tech, target.id, { tlp: 'AMBER_STRICT' });
      expect(stricter.data!.reportSighting.sharedAs).toEqual({ distribution: 'COMMUNITY', tlp: 'AMBER_STRICT', narrowed: false });
    });
  });
});
