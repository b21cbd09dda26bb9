import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// A member shares an indicator with the community, then narrows it (a new version to itself only,
// or to a few members by name), then withdraws it — a false positive, a real person wrongly named.
// The revocation was stored with the newest version's sharing only, so the community, which still
// held the first version, never learnt of the withdrawal: its SIEMs kept blocking, its screening
// kept matching. Every audience a version reached must get the revocation, and none of them content
// it was not shared.

const TAXII = 'application/taxii+json;version=2.1';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const REVOKE = 'mutation($id: String!) { revoke(id: $id) { revoked object } }';
const OBJECT = 'query($id: String!) { object(id: $id) { revoked object } }';

describe('revoking an object whose sharing was narrowed', () => {
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

  it('reaches every earlier audience, each with the version it was given', async () => {
    const id = `indicator--${randomUUID()}`;
    const version = (modified: string, name: string) => ({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2025-01-01T00:00:00.000Z',
      modified,
      valid_from: '2025-01-01T00:00:00Z',
      pattern_type: 'stix',
      pattern: "[ipv4-addr:value = '198.51.100.7']",
      name,
    });
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
    const cols = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: taxiiKey } })
    ).json()) as { collections: Array<{ id: string; alias: string }> };
    const community = cols.collections.find((c) => c.alias === 'community')!;
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
});
