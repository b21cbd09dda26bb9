import { randomUUID } from 'node:crypto';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf } from '../factories/stix.factory';

/**
 * The narrowing oracle one hop away: a row the hostile member stored that references another
 * member's data carries the exact intersection; referencing that row again (a later preview) reads
 * it through visibleCopies as the member's own audience. Unless what the member knows of it is kept
 * with the row (stix_object.known_audience), the old probes work on it.
 */
const PREVIEW = `mutation($b: JSON!, $s: SharingInput) { previewBundle(bundle: $b, sharing: $s) { valid issues { code message } objects { id distribution narrowedBy } } }`;
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const DIRECTORY = 'query { tenants { id name country sectors } }';
const T = '2025-05-01T00:00:00.000Z';
const indicator = () => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: T,
  modified: T,
  name: 'applicant persona',
  pattern: `[domain-name:value = '${randomUUID()}.example']`,
  pattern_type: 'stix',
  valid_from: T,
});
const note = (ref: string) => ({
  type: 'note',
  spec_version: '2.1',
  id: `note--${randomUUID()}`,
  created: T,
  modified: T,
  content: 'seen here too',
  object_refs: [ref],
});

describe('adversary: probing through an own row that references another member’s data', () => {
  let api: TestApp;
  let hostile: TenantEntity;
  let publisher: TenantEntity;
  const others: TenantEntity[] = [];
  const key = new Map<string, string>();
  const as = (t: TenantEntity) => ({ authorization: key.get(t.id)! });
  const publish = async (t: TenantEntity, s: Record<string, unknown>, ...objects: unknown[]) => {
    const res = await gql(api.baseUrl, PUBLISH, { b: bundleOf(...objects), s }, as(t));
    expect(res.errors).toBeUndefined();
  };
  const probe = async (ref: string, s: Record<string, unknown>) => {
    const res = await gql<{ previewBundle: { valid: boolean; issues: unknown[]; objects: Array<{ distribution: string }> } }>(
      api.baseUrl,
      PREVIEW,
      { b: bundleOf(note(ref)), s },
      as(hostile),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.previewBundle.issues).toEqual([]);
    return res.data!.previewBundle.objects[0].distribution;
  };

  beforeAll(async () => {
    api = await startTestApp();
    hostile = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    publisher = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    for (const [country, sector] of [
      ['FR', 'insurance'],
      ['IT', 'healthcare'],
      ['DE', 'healthcare'],
      ['US', 'technology'],
    ])
      others.push(await newTenant(api.app, { country, sectors: [sector] }));
    for (const t of [hostile, publisher, ...others]) key.set(t.id, await newApiKey(api.app, t));
  }, 60_000);
  afterAll(() => api?.close());

  it('sent by name: one real note on it, then dry runs on the note name the anonymous publisher', async () => {
    const target = indicator();
    await publish(publisher, { distribution: 'RECIPIENTS', recipientTenantIds: [hostile.id], tlp: 'AMBER' }, target);
    // One ordinary publish: told RECIPIENTS (nobody named), stored RECIPIENTS [publisher].
    const own = note(target.id);
    await publish(hostile, { distribution: 'COMMUNITY', tlp: 'AMBER' }, own);
    const directory = (await gql<{ tenants: Array<{ id: string }> }>(api.baseUrl, DIRECTORY, {}, as(hostile))).data!.tenants;
    const answers = new Map<string, string>();
    for (const t of directory.filter((d) => d.id !== hostile.id))
      answers.set(t.id, await probe(own.id, { distribution: 'RECIPIENTS', recipientTenantIds: [t.id], tlp: 'AMBER' }));
    const singledOut = [...answers].filter(([, d]) => d === 'RECIPIENTS').map(([id]) => id);
    expect(singledOut).not.toEqual([publisher.id]);
    expect(new Set(answers.values()).size).toBe(1);
    // Its revoked version (the newest, a new row) keeps what the member knows of the audience too.
    const revoked = await gql(api.baseUrl, 'mutation($id: String!) { revoke(id: $id) { revoked } }', { id: own.id }, as(hostile));
    expect(revoked.errors).toBeUndefined();
    const again = new Set<string>();
    for (const t of [publisher, ...others])
      again.add(await probe(own.id, { distribution: 'RECIPIENTS', recipientTenantIds: [t.id], tlp: 'AMBER' }));
    expect(again.size).toBe(1);
  });

  it('two sectors, two countries: one wide note on it, then dry runs on the note read the sector list and countries', async () => {
    const target = indicator();
    await publish(
      publisher,
      { distribution: 'SECTOR', sectors: ['healthcare', 'insurance'], countries: ['DE', 'FR'], tlp: 'GREEN' },
      target,
    );
    const own = note(target.id);
    await publish(hostile, { distribution: 'SECTOR', sectors: ['healthcare', 'insurance', 'technology'], tlp: 'GREEN' }, own);
    const bySector = {
      insurance: await probe(own.id, { distribution: 'SECTOR', sectors: ['insurance'] }),
      technology: await probe(own.id, { distribution: 'SECTOR', sectors: ['technology'] }),
    };
    const byCountry = {
      FR: await probe(own.id, { distribution: 'COMMUNITY', countries: ['FR'] }),
      IT: await probe(own.id, { distribution: 'COMMUNITY', countries: ['IT'] }),
    };
    expect({ bySector, byCountry }).toEqual({
      bySector: { insurance: bySector.technology, technology: bySector.technology },
      byCountry: { FR: byCountry.IT, IT: byCountry.IT },
    });
  });
});
