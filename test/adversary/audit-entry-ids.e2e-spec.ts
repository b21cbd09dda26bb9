import { randomBytes, randomUUID } from 'node:crypto';
import { IntelService } from '@cairn/intel';
import { WatchMatcher } from '@cairn/watchlist';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { gapsReadable } from '../support/opaque';
import { waitFor } from '../support/wait';
import { machineViewer, newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';

/*
 * Audit entries were numbered by one exchange-wide sequence, and a tenant admin read those numbers
 * (`auditLog { id }`, `before:`): the gap between two of its own entries was the number of entries
 * every other member wrote meanwhile, which it may not see — their publishes, sightings, lookups,
 * sign-ins — and, for a publisher, the `watch.hits` entry the matcher writes for a watcher of what
 * it just published: "a matcher never learns that anyone watches" did not hold. Entry ids are now
 * sealed for the reader, as feed and hit cursors are.
 */
const AUDIT = `query($b: ID) { auditLog(first: 500, before: $b) { id action } }`;
const indicator = (pattern: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2025-05-01T00:00:00.000Z',
  modified: '2025-05-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2025-05-01T00:00:00Z',
});
const domain = () => indicator(`[domain-name:value = '${randomUUID()}.example']`);
const ipIndicator = (ip: string) => indicator(`[ipv4-addr:value = '${ip}']`);
/** What a reader computes from two ids: the numbers between them, if the ids are numbers. */
const plainGap = (a: string, b: string) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? BigInt(b) - BigInt(a) : undefined);

describe('adversary: audit entry ids count nothing', () => {
  let api: TestApp;
  let attacker: TenantEntity;
  let hidden: TenantEntity;
  let watcher: TenantEntity;
  let admin: Record<string, string>;

  beforeAll(async () => {
    api = await startTestApp();
    attacker = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    hidden = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    watcher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    admin = await signedInUser(api.app, api.baseUrl, attacker, 'admin');
  }, 60_000);
  afterAll(() => api?.close());

  const intel = () => api.app.get(IntelService);
  const publish = (t: TenantEntity, doc: Record<string, unknown>) =>
    intel().storeObjects(machineViewer(t), [doc], { distribution: 'COMMUNITY', tlp: 'GREEN' });
  /** The attacker's own entries, oldest first. */
  async function ownLog(): Promise<Array<{ id: string; action: string }>> {
    const res = await gql<{ auditLog: Array<{ id: string; action: string }> }>(api.baseUrl, AUDIT, {}, admin);
    expect(res.errors).toBeUndefined();
    return res.data!.auditLog.reverse();
  }

  it('two of a member’s own entries do not tell how many entries other members wrote between them', async () => {
    const N = 37;
    await publish(attacker, domain());
    for (let i = 0; i < N; i++) await publish(hidden, domain());
    await publish(attacker, domain());
    const [first, second] = (await ownLog()).filter((e) => e.action === 'intel.published').map((e) => e.id);
    const gaps = gapsReadable(first, second);
    const plain = plainGap(first, second);
    if (plain !== undefined) gaps.add(plain);
    for (let k = 0; k <= 6; k++) expect(gaps.has(BigInt(N + k))).toBe(false);
  });

  it('a publisher cannot tell from its audit log whether anyone watches what it published', async () => {
    const octet = () => 10 + (randomBytes(1)[0] % 200);
    const watched = `198.51.100.${octet()}`;
    const key = await newApiKey(api.app, watcher, ['intel:read']);
    const w = await gql(
      api.baseUrl,
      `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`,
      { e: [{ value: watched, reference: 'applicant 4711' }] },
      { authorization: key },
    );
    expect(w.errors).toBeUndefined();
    const hits = async () =>
      (await gql<{ watchlistHits: { hits: unknown[] } }>(api.baseUrl, '{ watchlistHits { hits { kind } } }', {}, { authorization: key }))
        .data!.watchlistHits.hits.length;

    /** Publishes the value, lets the matcher finish, publishes a marker: the ids of both entries. */
    const probe = async (ip: string, hitsAfter: number) => {
      await publish(attacker, ipIndicator(ip));
      await api.app.get(WatchMatcher).drain();
      await waitFor(async () => (await hits()) === hitsAfter, { what: `${hitsAfter} hit(s) for the watcher` });
      await publish(attacker, domain());
      const own = (await ownLog()).filter((e) => e.action === 'intel.published');
      return own.slice(-2).map((e) => e.id) as [string, string];
    };
    const unwatched = await probe(`192.0.2.${octet()}`, 0);
    const hit = await probe(watched, 1);
    expect(plainGap(...hit)).toEqual(plainGap(...unwatched));
    expect(hit.every((id) => /^[A-Za-z0-9_-]{40,}$/.test(id))).toBe(true);
  });

  it('guard: the ids still page the log (before:) for their reader, and another tenant’s id is refused', async () => {
    const own = await ownLog();
    expect(own.length).toBeGreaterThan(3);
    const newestFirst = [...own].reverse();
    const page = await gql<{ auditLog: Array<{ id: string }> }>(api.baseUrl, AUDIT, { b: newestFirst[1].id }, admin);
    expect(page.errors).toBeUndefined();
    expect(page.data!.auditLog.map((e) => e.id)).toEqual(newestFirst.slice(2).map((e) => e.id));

    const other = await signedInUser(api.app, api.baseUrl, hidden, 'admin');
    const foreign = await gql(api.baseUrl, AUDIT, { b: newestFirst[1].id }, other);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
