import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

// STIX 2.1 (3.2, revoked): "Revoking an object is permanent; future versions of the object with this
// id MUST NOT be created." A revocation is stored once per audience an earlier version reached, each
// a new version: a member in two of those audiences (a community member also named as a recipient)
// pulls a revoked version and then a later version of the same id — what strict consumers may refuse,
// and what stix2's versioning refuses to produce. Known defect, not fixed on this branch: only a read
// side that hides from a viewer a revocation it also sees superseded can fix it (the audience model
// has no "everyone but"). it.failing: this test fails, telling whoever fixes it to make it an it().

const TAXII = 'application/taxii+json;version=2.1';
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const REVOKE = 'mutation($id: String!) { revoke(id: $id) { revoked } }';

describe('revoking an object whose audiences overlap', () => {
  let api: TestApp;
  let pub: TenantEntity;
  let named: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    pub = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    named = await newTenant(api.app, { country: 'DE', sectors: ['insurance'] });
    for (const t of [pub, named]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(() => api.close());

  it.failing('serves a member of two audiences no version after a revoked one', async () => {
    const id = `indicator--${randomUUID()}`;
    const version = (modified: string) => ({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: '2025-01-01T00:00:00.000Z',
      modified,
      valid_from: '2025-01-01T00:00:00Z',
      pattern_type: 'stix',
      pattern: "[ipv4-addr:value = '198.51.100.7']",
    });
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
