import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { stixObject } from '../factories/stix.factory';

// A bundle names a person (an individual identity, a location with a street address) and repeats
// the name and address in an indicator's free text. In repair mode the identity and location are
// refused for an unrelated reason (an unknown marking) and the rest is tried again without them:
// the try must still know that the name and address are personal data, and redact them from the
// indicator that is stored and served to another member.

const T = '2025-06-02T09:00:00.000Z';
const PUBLISH = `mutation($b: JSON!, $s: SharingInput, $r: Boolean) { publishBundle(bundle: $b, sharing: $s, repair: $r) {
  created skipped objects { index id status reason } } }`;
const OBJECTS = 'query($f: ObjectFilterInput) { objects(filter: $f, first: 100) { edges { node { id object } } } }';

const NAME = 'Octavia Pemberwick';
const STREET = '1313 Mockingbird Lane';

const sdo = (type: string, props: Record<string, unknown>) => stixObject(type, props, T);

describe('adversary: repair mode redacts the personal data of the objects it skips', () => {
  let api: TestApp;
  let db: Client;
  let pub: TenantEntity;
  let peer: TenantEntity;
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    pub = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    peer = await newTenant(api.app, { country: 'FR', sectors: ['financial-services'] });
    for (const t of [pub, peer]) key.set(t.id, await newApiKey(api.app, t));
  });
  afterAll(async () => {
    await db.end();
    await api.close();
  });

  const bundle = (brokenRefs: boolean) => {
    const marking = brokenRefs ? { object_marking_refs: [`marking-definition--${randomUUID()}`] } : {};
    const person = sdo('identity', { name: NAME, identity_class: 'individual', ...marking });
    const place = sdo('location', { street_address: STREET, city: 'Springfield', country: 'US', ...marking });
    const ind = sdo('indicator', {
      name: 'Stolen identity used in interviews',
      description: `The applicant interviewed as ${NAME}, giving ${STREET} as home address.`,
      pattern: "[ipv4-addr:value = '198.51.100.77']",
      pattern_type: 'stix',
      valid_from: T,
    });
    return { b: { type: 'bundle', id: `bundle--${randomUUID()}`, objects: [person, place, ind] }, ind };
  };

  const served = async (id: string) => {
    const res = await gql<{ objects: { edges: Array<{ node: { id: string; object: Record<string, unknown> } }> } }>(
      api.baseUrl,
      OBJECTS,
      { f: { ids: [id] } },
      as(peer),
    );
    expect(res.errors).toBeUndefined();
    return res.data!.objects.edges[0]?.node.object;
  };

  it('guard: with the identity and location kept, the name and address are redacted from the indicator (strict and repair alike)', async () => {
    for (const repair of [false, true]) {
      const { b, ind } = bundle(false);
      const res = await gql(api.baseUrl, PUBLISH, { b, s: { distribution: 'COMMUNITY', tlp: 'CLEAR' }, r: repair }, as(pub));
      expect(res.errors).toBeUndefined();
      const doc = await served(ind.id);
      expect(JSON.stringify(doc)).not.toContain('Pemberwick');
      expect(JSON.stringify(doc)).not.toContain('Mockingbird');
    }
  });

  it('repair mode: the identity and location are skipped, and the indicator that repeats their personal data is served to another member without it', async () => {
    const { b, ind } = bundle(true);
    const res = await gql<{ publishBundle: { created: number; skipped: number; objects: Array<{ id: string; status: string }> } }>(
      api.baseUrl,
      PUBLISH,
      { b, s: { distribution: 'COMMUNITY', tlp: 'CLEAR' }, r: true },
      as(pub),
    );
    expect(res.errors).toBeUndefined();
    // The attack's premise: identity and location skipped, the indicator stored.
    expect(res.data!.publishBundle.objects.map((o) => o.status)).toEqual(['SKIPPED', 'SKIPPED', 'CREATED']);
    const doc = await served(ind.id);
    expect(doc).toBeDefined();
    // The person's name and street address must not reach another member raw.
    expect(String(doc!.description)).not.toContain('Pemberwick');
    expect(String(doc!.description)).not.toContain('Mockingbird');
    // ...nor the database.
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM stix_object WHERE doc::text ILIKE '%Pemberwick%' OR doc::text ILIKE '%Mockingbird%'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
