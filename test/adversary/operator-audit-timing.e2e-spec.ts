import { randomBytes } from 'node:crypto';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant, signedInUser } from '../factories/tenancy.factory';

/**
 * The operator must not see other tenants' publishing, sighting and read events (schema.graphql,
 * auditLog; AuditService.read): "their timing alone would link objects the operator can see to
 * their publishers". The filter dropped intel.% / sighting.% / lookup.% only, and let through:
 *  - apikey.used, written in the publishing request itself (the key's first use in an hour):
 *    the publisher's tenant id, milliseconds before the object's dateAdded;
 *  - watch.added / watch.removed: a member's screening volume (charged as lookups, audited unlike them);
 *  - watch.hits: the watcher's tenant, at the moment another member's object carrying a watched
 *    identifier was stored — the operator, who sees the object, learns which identifier that member screens.
 */
const AUDIT = `query($f: AuditFilterInput) { auditLog(first: 500, filter: $f) { id at tenantId action details } }`;
const OBJECTS = `query($f: ObjectFilterInput) { objects(first: 10, filter: $f) { edges { node { id dateAdded mine } } } }`;
type Entry = { id: string; at: string; tenantId: string | null; action: string; details: Record<string, unknown> };

describe('adversary: the operator reads member activity from the audit log’s timing', () => {
  let api: TestApp;
  let operator: Record<string, string>;
  let exchange: TenantEntity;
  let publisher: TenantEntity;
  let watcher: TenantEntity;
  let watcherKey: string;
  let indicatorId: string;
  let dateAdded: number;
  const ip = `203.0.113.${10 + (randomBytes(1)[0] % 200)}`;

  beforeAll(async () => {
    api = await startTestApp();
    exchange = await api.app.get(TenancyService).exchangeTenant();
    operator = await signedInUser(api.app, api.baseUrl, exchange, 'admin', { operator: true });
    publisher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    watcher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    watcherKey = await newApiKey(api.app, watcher, ['intel:read']);

    // The watcher (a recruiter) watches an applicant's IP.
    const w = await gql(
      api.baseUrl,
      `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`,
      { e: [{ value: ip, reference: 'applicant 4711' }] },
      { authorization: watcherKey },
    );
    expect(w.errors).toBeUndefined();

    // Later the publisher's SIEM key publishes it, COMMUNITY (the operator sees it, anonymously).
    const pub = await gql<{ publishIndicators: { objects: Array<{ id: string }> } }>(
      api.baseUrl,
      `mutation($i: [IndicatorInput!]!) { publishIndicators(indicators: $i, sharing: { distribution: COMMUNITY, tlp: GREEN }) { objects { id } } }`,
      { i: [{ type: 'IP', value: ip }] },
      { authorization: await newApiKey(api.app, publisher) },
    );
    expect(pub.errors).toBeUndefined();
    indicatorId = pub.data!.publishIndicators.objects.find((o) => o.id.startsWith('indicator--'))!.id;

    await waitFor(
      async () => {
        const h = await gql<{ watchlistHits: { hits: unknown[] } }>(
          api.baseUrl,
          '{ watchlistHits { hits { kind } } }',
          {},
          { authorization: watcherKey },
        );
        return (h.data?.watchlistHits.hits.length ?? 0) > 0;
      },
      { what: 'the watcher’s hit' },
    );
    // apikey.used is written beside the publishing request: wait until the publisher's own admin sees it.
    const publisherAdmin = await signedInUser(api.app, api.baseUrl, publisher, 'admin');
    await waitFor(
      async () => {
        const own = await gql<{ auditLog: Entry[] }>(api.baseUrl, AUDIT, {}, publisherAdmin);
        return own.data!.auditLog.some((e) => e.action === 'apikey.used');
      },
      { what: 'the publisher’s apikey.used entry' },
    );

    const seen = await gql<{ objects: { edges: Array<{ node: { dateAdded: string; mine: boolean } }> } }>(
      api.baseUrl,
      OBJECTS,
      { f: { ids: [indicatorId] } },
      operator,
    );
    expect(seen.data!.objects.edges[0].node.mine).toBe(false);
    dateAdded = Date.parse(seen.data!.objects.edges[0].node.dateAdded);
  }, 60_000);
  afterAll(async () => api?.close());

  async function operatorLog(): Promise<Entry[]> {
    const log = await gql<{ auditLog: Entry[] }>(api.baseUrl, AUDIT, {}, operator);
    expect(log.errors).toBeUndefined();
    return log.data!.auditLog;
  }

  it('no entry of the publisher near the object’s dateAdded (apikey.used is written by the publishing request)', async () => {
    // (The tenant, its key and the admin who reads its own log were made by this test a moment ago; in real life, weeks before.)
    const setup = new Set(['tenant.created', 'apikey.created', 'user.created', 'auth.login']);
    const near = (await operatorLog()).filter(
      (e) => e.tenantId === publisher.id && !setup.has(e.action) && Math.abs(Date.parse(e.at) - dateAdded) < 1000,
    );
    expect(near.map((e) => e.action)).toEqual([]);
  });

  it('no watch events of another member: neither what it registers nor when someone else’s object hit it', async () => {
    const watchEvents = (await operatorLog()).filter((e) => e.tenantId === watcher.id && e.action.startsWith('watch.'));
    expect(watchEvents.map((e) => `${e.action} ${JSON.stringify(e.details)} Δ${Date.parse(e.at) - dateAdded}ms`)).toEqual([]);
  });

  it('guard: the watcher’s own admin still sees its watch events', async () => {
    const admin = await signedInUser(api.app, api.baseUrl, watcher, 'admin');
    const own = await gql<{ auditLog: Entry[] }>(api.baseUrl, AUDIT, {}, admin);
    expect(own.data!.auditLog.map((e) => e.action)).toEqual(expect.arrayContaining(['watch.added', 'watch.hits']));
  });
});
