import { randomUUID } from 'node:crypto';
import { validate } from '@cairn/stix';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// A member publishes a statement marking-definition to the community and then revokes it (GraphQL
// revoke or TAXII DELETE). Revoking wrote a new version with `modified` and `revoked: true` — two
// properties STIX 2.1 forbids on marking definitions, which are not versioned — so every member's
// SIEM pulled an object strict consumers refuse, and two versions of one marking.

const TAXII = 'application/taxii+json;version=2.1';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const REVOKE = 'mutation($id: String!) { revoke(id: $id) { revoked } }';
const VERSIONS = 'query($id: String!) { objects(first: 10, filter: { ids: [$id] }) { edges { node { modified object } } } }';

describe('revoking a marking definition', () => {
  let api: TestApp;
  let pub: TenantEntity;
  let peer: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    peer = await newTenant(api.app, { country: 'FR', sectors: ['healthcare'] });
    for (const t of [pub, peer]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(() => api.close());

  it('is refused on both doors, and the community keeps one valid version', async () => {
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
    const cols = (await (
      await fetch(`${api.baseUrl}/taxii2/api/collections/`, { headers: { accept: TAXII, authorization: taxiiKey } })
    ).json()) as { collections: Array<{ id: string; alias: string }> };
    const own = cols.collections.find((c) => c.alias === 'own')!;
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
});
