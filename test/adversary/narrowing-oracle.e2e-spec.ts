import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { bundleOf, indicatorObject, noteOn } from '../factories/stix.factory';

/**
 * "References never widen the audience": an object referencing another member's object is stored
 * with the intersection of the sharing asked for and the referenced object's audience — and the
 * result is told back (previewBundle objects[].distribution, publish outcomes' reason, reportSighting
 * sharedAs). The referencer chooses what it asks for, so the answer is an oracle on the referenced
 * object's audience:
 *
 *  - an object shared with it by name (RECIPIENTS) reaches its publisher too, and asking for
 *    RECIPIENTS [t] keeps RECIPIENTS exactly when t is that publisher (or a co-recipient): one dry
 *    run per directory entry — nothing stored, nothing audited — names the anonymous publisher;
 *  - asking for a sector or a country the viewer is not in tells whether the referenced audience
 *    includes it: the publisher's sector list and country narrowing, which audienceSectorsMatch /
 *    audienceCountriesMatch deliberately refuse to reveal through the objects filter;
 *  - the same one hop away: a row the member stored that references another member's data carries
 *    the exact intersection, and a later preview referencing that row reads it as the member's own
 *    audience, unless what the member knows of it is kept with the row (stix_object.known_audience).
 */
const PREVIEW = `mutation($b: JSON!, $s: SharingInput) { previewBundle(bundle: $b, sharing: $s) { valid issues { code } objects { id distribution } } }`;
const PUBLISH = 'mutation($b: JSON!, $s: SharingInput) { publishBundle(bundle: $b, sharing: $s) { created } }';
const DIRECTORY = 'query { tenants { id name country sectors } }';

describe('adversary: the narrowed sharing of a referencing object is an oracle on the referenced audience', () => {
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
  /** The distribution a note on `ref` would be stored with under sharing `s` (a dry run). */
  const probe = async (ref: string, s: Record<string, unknown>) => {
    const res = await gql<{ previewBundle: { valid: boolean; issues: unknown[]; objects: Array<{ distribution: string }> } }>(
      api.baseUrl,
      PREVIEW,
      { b: bundleOf(noteOn(ref)), s },
      as(hostile),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.previewBundle.issues).toEqual([]);
    expect(res.data!.previewBundle.valid).toBe(true);
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

  it('an indicator sent to the hostile member by name: probing the directory does not name its publisher', async () => {
    const target = indicatorObject({ name: 'applicant persona' });
    await publish(publisher, { distribution: 'RECIPIENTS', recipientTenantIds: [hostile.id], tlp: 'AMBER' }, target);
    const directory = (await gql<{ tenants: Array<{ id: string; name: string }> }>(api.baseUrl, DIRECTORY, {}, as(hostile))).data!.tenants;
    expect(directory.map((t) => t.id)).toEqual(expect.arrayContaining([publisher.id, ...others.map((o) => o.id)]));
    const answers = new Map<string, string>();
    for (const t of directory.filter((d) => d.id !== hostile.id))
      answers.set(t.id, await probe(target.id, { distribution: 'RECIPIENTS', recipientTenantIds: [t.id], tlp: 'AMBER' }));
    const singledOut = [...answers].filter(([, d]) => d === 'RECIPIENTS').map(([id]) => id);
    // Before the fix: exactly [publisher.id], every other candidate answering ORGANISATION.
    expect(singledOut).not.toEqual([publisher.id]);
    expect(new Set(answers.values()).size).toBe(1);
  });

  it('an indicator shared with two sectors and narrowed to two countries: probing tells neither the other sector nor the countries', async () => {
    const target = indicatorObject({ name: 'applicant persona' });
    await publish(
      publisher,
      { distribution: 'SECTOR', sectors: ['healthcare', 'insurance'], countries: ['DE', 'FR'], tlp: 'GREEN' },
      target,
    );
    // The hostile member (healthcare, DE) sees it; what it may not learn is the rest of the audience.
    const bySector = {
      insurance: await probe(target.id, { distribution: 'SECTOR', sectors: ['insurance'] }),
      technology: await probe(target.id, { distribution: 'SECTOR', sectors: ['technology'] }),
    };
    const byCountry = {
      FR: await probe(target.id, { distribution: 'COMMUNITY', countries: ['FR'] }),
      IT: await probe(target.id, { distribution: 'COMMUNITY', countries: ['IT'] }),
    };
    // Before the fix: { insurance: 'SECTOR', technology: 'ORGANISATION' } and { FR: 'SECTOR', IT: 'ORGANISATION' }.
    expect({ sector: bySector.insurance === bySector.technology, country: byCountry.FR === byCountry.IT }).toEqual({
      sector: true,
      country: true,
    });
  });

  describe('through a row of its own that references the other member’s object', () => {
    it('sent by name: one real note on it, then dry runs on the note, do not name the anonymous publisher', async () => {
      const target = indicatorObject({ name: 'applicant persona' });
      await publish(publisher, { distribution: 'RECIPIENTS', recipientTenantIds: [hostile.id], tlp: 'AMBER' }, target);
      // One ordinary publish: told RECIPIENTS (nobody named), stored RECIPIENTS [publisher].
      const own = noteOn(target.id);
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

    it('two sectors, two countries: one wide note on it, then dry runs on the note, read neither the sector list nor the countries', async () => {
      const target = indicatorObject({ name: 'applicant persona' });
      await publish(
        publisher,
        { distribution: 'SECTOR', sectors: ['healthcare', 'insurance'], countries: ['DE', 'FR'], tlp: 'GREEN' },
        target,
      );
      const own = noteOn(target.id);
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
});
