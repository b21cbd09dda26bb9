import { randomUUID } from 'node:crypto';
import { validate } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// A member shares an indicator with the community, then narrows it (a new version to itself only,
// or to a few members by name), then withdraws it — a false positive, a real person wrongly named.
// The revocation was stored with the newest version's sharing only, so the community, which still
// held the first version, never learnt of the withdrawal: its SIEMs kept blocking, its screening
// kept matching. Every audience a version reached must get the revocation, and none of them content
// it was not shared.
//
// A marking definition is not versioned in STIX 2.1: revoking one wrote a version with `modified`
// and `revoked: true`, both forbidden on it, so every member's SIEM pulled an object strict
// consumers refuse, and two versions of one marking. It is refused on both doors.
//
// STIX 2.1 (3.2, revoked): "Revoking an object is permanent; future versions of the object with this
// id MUST NOT be created." A revocation is stored once per audience an earlier version reached, each
// a new version: a member in two of those audiences (a community member also named as a recipient)
// pulls a revoked version and then a later version of the same id — what strict consumers may refuse,
// and what stix2's versioning refuses to produce. Known defect, not fixed on this branch: only a read
// side that hides from a viewer a revocation it also sees superseded can fix it (the audience model
// has no "everyone but"). it.failing: this test fails, telling whoever fixes it to make it an it().

const TAXII = 'application/taxii+json;version=2.1';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const REVOKE = 'mutation($id: String!) { revoke(id: $id) { revoked object } }';
const OBJECT = 'query($id: String!) { object(id: $id) { revoked object } }';
const VERSIONS = 'query($id: String!) { objects(first: 10, filter: { ids: [$id] }) { edges { node { modified object } } } }';

/** A version of indicator `id` (created 2025-01-01), modified at `modified`. */
function indicatorVersion(id: string, modified: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2025-01-01T00:00:00.000Z',
    modified,
    valid_from: '2025-01-01T00:00:00Z',
    pattern_type: 'stix',
    pattern: "[ipv4-addr:value = '198.51.100.7']",
    ...extra,
  };
}

describe('revocation', () => {
  let api: TestApp;
  let pub: TenantEntity;
  let named: TenantEntity;
  let peer: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    named = await newTenant(api.app, { country: 'DE', sectors: ['insurance'] });
    peer = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    for (const t of [pub, named, peer]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(() => api.close());
  /** The id of one of the key's TAXII collections, by alias. */
  const collectionId = async (taxiiKey: string, alias: string) =>
    (
      (await (await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: taxiiKey } })).json()) as {
        collections: Array<{ id: string; alias: string }>;
      }
    ).collections.find((c) => c.alias === alias)!.id;

  it('of an object whose sharing was narrowed reaches every earlier audience, each with the version it was given', async () => {
    const id = `indicator--${randomUUID()}`;
    const version = (modified: string, name: string) => indicatorVersion(id, modified, { name });
    const publish = async (doc: unknown, sharing: unknown) =>
      expect(
        (await gql(api.baseUrl, PUBLISH, { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [doc] }, s: sharing }, as(pub)))
          .errors,
      ).toBeUndefined();
    await publish(version('2025-01-01T00:00:00.000Z', 'laptop farm exit'), { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publish(version('2025-02-01T00:00:00.000Z', 'laptop farm exit, case 17 details'), {
      distribution: 'RECIPIENTS',
      recipientTenantIds: [named.id],
      tlp: 'AMBER',
    });
    await publish(version('2025-03-01T00:00:00.000Z', 'laptop farm exit, internal notes'), { distribution: 'ORGANISATION', tlp: 'RED' });

    const revoked = await gql<{ revoke: { revoked: boolean; object: Record<string, unknown> } }>(api.baseUrl, REVOKE, { id }, as(pub));
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revoke).toMatchObject({ revoked: true, object: { name: 'laptop farm exit, internal notes' } });

    for (const [reader, name] of [
      [peer, 'laptop farm exit'],
      [named, 'laptop farm exit, case 17 details'],
    ] as const) {
      const seen = await gql<{ object: { revoked: boolean; object: Record<string, unknown> } }>(api.baseUrl, OBJECT, { id }, as(reader));
      expect(seen.data!.object).toMatchObject({ revoked: true, object: { name, revoked: true } });
    }

    // What the community's SIEM pulls: the version it had, then its revocation, and nothing it was not shared.
    const taxiiKey = await newApiKey(api.app, peer);
    const community = { id: await collectionId(taxiiKey, 'community') };
    const page = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/${community.id}/objects/${id}/?match[version]=all`, {
        headers: { accept: TAXII, authorization: taxiiKey },
      })
    ).json()) as { objects: Array<Record<string, unknown>> };
    expect(page.objects.map((o) => [o.name, o.revoked ?? false])).toEqual([
      ['laptop farm exit', false],
      ['laptop farm exit', true],
    ]);

    // Revoking again changes nothing.
    const again = await gql<{ revoke: { revoked: boolean } }>(api.baseUrl, REVOKE, { id }, as(pub));
    expect(again.errors).toBeUndefined();
    const after = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/${community.id}/objects/${id}/?match[version]=all`, {
        headers: { accept: TAXII, authorization: taxiiKey },
      })
    ).json()) as { objects: unknown[] };
    expect(after.objects).toHaveLength(2);
  });

  it('of a marking definition is refused on both doors, and the community keeps one valid version', async () => {
    const id = `marking-definition--${randomUUID()}`;
    const marking = {
      type: 'marking-definition',
      spec_version: '2.1',
      id,
      created: '2025-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Do not forward outside the exchange' },
    };
    const res = await gql(
      api.baseUrl,
      PUBLISH,
      { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [marking] }, s: { distribution: 'COMMUNITY', tlp: 'CLEAR' } },
      as(pub),
    );
    expect(res.errors).toBeUndefined();

    const revoked = await gql(api.baseUrl, REVOKE, { id }, as(pub));
    expect(revoked.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_OBJECT' });

    const taxiiKey = await newApiKey(api.app, pub);
    const own = { id: await collectionId(taxiiKey, 'own') };
    const del = await fetch(`${api.baseUrl}/taxii2/api/collections/${own.id}/objects/${id}/`, {
      method: 'DELETE',
      headers: { accept: TAXII, authorization: taxiiKey },
    });
    expect(del.status).toBe(400);

    const seen = await gql<{ objects: { edges: Array<{ node: { object: Record<string, unknown> } }> } }>(
      api.baseUrl,
      VERSIONS,
      { id },
      as(peer),
    );
    const docs = seen.data!.objects.edges.map((e) => e.node.object);
    expect(docs).toHaveLength(1);
    expect(docs[0]).not.toHaveProperty('revoked');
    expect(validate(docs[0])).toEqual([]);
  });

  it.failing('serves a member of two audiences no version after a revoked one', async () => {
    const id = `indicator--${randomUUID()}`;
    const version = (modified: string) => indicatorVersion(id, modified);
    for (const [modified, sharing] of [
      ['2025-01-01T00:00:00.000Z', { distribution: 'COMMUNITY', tlp: 'GREEN' }],
      ['2025-02-01T00:00:00.000Z', { distribution: 'RECIPIENTS', recipientTenantIds: [named.id], tlp: 'AMBER' }],
    ] as const) {
      const b = { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [version(modified)] };
      expect((await gql(api.baseUrl, PUBLISH, { b, s: sharing }, as(pub))).errors).toBeUndefined();
    }
    expect((await gql(api.baseUrl, REVOKE, { id }, as(pub))).errors).toBeUndefined();

    const taxiiKey = await newApiKey(api.app, named);
    const headers = { accept: TAXII, authorization: taxiiKey };
    const cols = (await (await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers })).json()) as {
      collections: Array<{ id: string }>;
    };
    for (const c of cols.collections) {
      const page = (await (
        await fetch(`${api.baseUrl}/taxii2/api/collections/${c.id}/objects/${id}/?match[version]=all`, { headers })
      ).json()) as {
        objects?: Array<{ revoked?: boolean }>;
      };
      const versions = page.objects ?? [];
      const firstRevoked = versions.findIndex((o) => o.revoked === true);
      if (firstRevoked >= 0) expect(versions.length - 1).toBe(firstRevoked);
    }
  });
});
