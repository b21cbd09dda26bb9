import { randomUUID } from 'node:crypto';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { WatchMatcher } from '@cairn/watchlist';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { newIndicator, publishIndexed as publish } from '../factories/lookup.factory';
import { publishRaw, type Obj } from '../factories/screening.factory';

/**
 * A watcher told more than a lookup would tell it: a hit must come only from what the object
 * carries now. A corrected version no longer carries the identifier, and a revocation withdraws the
 * object (the lookup's rule: the newest visible version of each object, not revoked), so neither a
 * sighting of such an object nor the revocation itself is news about the identifier.
 */
const WATCH = `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`;
const HITS = `{ watchlistHits(first: 100) { hits { entryId event } } }`;
const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) { known } }`;
const SIGHT = `mutation($i: [ReportSightingInput!]!) { reportSightings(inputs: $i, sharing: { distribution: COMMUNITY }) { id } }`;
const freshEmail = () => `applicant-${randomUUID().slice(0, 8)}@example.org`;
const pattern = (email: string) => `[email-addr:value = '${email}']`;
const T1 = '2025-04-01T00:00:00.000Z';

describe('adversary: watchlist hits tell no more than the object carries now', () => {
  let api: TestApp;
  let a: TenantEntity; // the watcher
  let b: TenantEntity; // the publisher who corrects or revokes
  let c: TenantEntity; // a member who sights
  const key = new Map<TenantEntity, string>();
  const ok = async <T>(t: TenantEntity, query: string, variables: Record<string, unknown> = {}) => {
    const res = await gql<T>(api.baseUrl, query, variables, { authorization: key.get(t)! });
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const watch = async (email: string) =>
    (await ok<{ watchIdentifiers: Array<{ entryId: string }> }>(a, WATCH, { e: [{ value: email, reference: 'applicant 1' }] }))
      .watchIdentifiers[0].entryId;
  const hitsOf = async (entryId: string) =>
    (await ok<{ watchlistHits: { hits: Array<{ entryId: string; event: string }> } }>(a, HITS)).watchlistHits.hits.filter(
      (h) => h.entryId === entryId,
    );
  const matched = () => api.app.get(WatchMatcher).drain();
  const sight = async (id: string) => {
    await ok(c, SIGHT, {
      i: [{ sightingOf: id, firstSeen: '2025-06-02T09:00:00Z', interviewStage: 'INTERVIEW', roleCategory: 'SOFTWARE' }],
    });
    await matched();
  };

  beforeAll(async () => {
    api = await startTestApp();
    a = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    c = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    for (const t of [a, b, c]) key.set(t, await newApiKey(api.app, t, ['intel:read', 'intel:write', 'sightings:write']));
  }, 60_000);
  afterAll(() => api?.close());

  it('a sighting of an object whose identifier was corrected away is no hit for that identifier', async () => {
    const wrong = freshEmail();
    const v1 = newIndicator(pattern(wrong));
    await publish(api, b, [v1], { distribution: 'COMMUNITY' });
    // The publisher had the wrong applicant's address and corrects it.
    await publish(api, b, [{ ...v1, pattern: pattern(freshEmail()), modified: T1 }], { distribution: 'COMMUNITY' });
    await matched();
    // The lookup no longer finds the corrected-away address…
    expect((await ok<{ checkIdentifiers: Array<{ known: boolean }> }>(a, CHECK, { v: [wrong] })).checkIdentifiers[0].known).toBe(false);
    const entry = await watch(wrong);
    await sight(v1.id as string);
    // …and a watcher of it is not told that "it" was sighted.
    expect(await hitsOf(entry)).toEqual([]);
  });

  it('a revocation is no PUBLISHED hit, and a sighting of a revoked object is no SIGHTED hit', async () => {
    const email = freshEmail();
    const entry = await watch(email);
    const v1 = newIndicator(pattern(email));
    await publish(api, b, [v1], { distribution: 'COMMUNITY' });
    await matched();
    expect(await hitsOf(entry)).toEqual([expect.objectContaining({ event: 'PUBLISHED' })]);

    await publish(api, b, [{ ...v1, modified: T1, revoked: true }], { distribution: 'COMMUNITY' });
    await matched();
    await sight(v1.id as string);
    expect(await hitsOf(entry)).toHaveLength(1);
  });

  it('guard: a sighting of the current version still hits', async () => {
    const email = freshEmail();
    const v1 = newIndicator(pattern(email));
    await publish(api, b, [v1], { distribution: 'COMMUNITY' });
    await publish(api, b, [{ ...v1, modified: T1, description: 'confirmed' }], { distribution: 'COMMUNITY' });
    await matched();
    const entry = await watch(email);
    await sight(v1.id as string);
    // One hit, not one per version of the sighted object.
    expect(await hitsOf(entry)).toEqual([expect.objectContaining({ event: 'SIGHTED' })]);
  });

  it('guard: the matched publisher’s own audit log gains the same entries whether anyone watches or not', async () => {
    const audit = () =>
      api.app
        .get(TenancyService)
        .asViewer(
          b.id,
          async (m) =>
            (await m.query(`SELECT action, target_type, details FROM audit_log WHERE tenant_id = $1 ORDER BY at, id`, [b.id])) as unknown[],
        );
    const added = async (email: string) => {
      const before = (await audit()).length;
      await publishRaw(api, key.get(b)!, [newIndicator(pattern(email)) as Obj], { distribution: 'COMMUNITY' });
      await matched();
      return JSON.stringify((await audit()).slice(before));
    };
    await added(freshEmail()); // the key's first use is audited once (apikey.used)
    const watched = freshEmail();
    const entry = await watch(watched);
    const withWatch = await added(watched);
    expect(await hitsOf(entry)).toHaveLength(1);
    expect(withWatch).not.toBe('[]');
    expect(withWatch).toBe(await added(freshEmail()));
  });
});
