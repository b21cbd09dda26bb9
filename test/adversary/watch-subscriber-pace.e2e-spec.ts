import { AUTHENTICATOR, type Authenticator, type Viewer } from '@cairn/common';
import { WatchHub, WatchMatcher, WatchlistService, type WatchHit } from '@cairn/watchlist';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect, wsClient } from '../support/ws';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { newIndicator, publishIndexed } from '../factories/lookup.factory';

/*
 * The feed's replay is held at its reader's pace (FeedHub, WS_SUBSCRIBER_BUFFER) and a tenant holds
 * at most WS_MAX_SUBSCRIPTIONS_PER_TENANT feed subscriptions. The watchlistHits subscription had
 * neither: resumed from an old cursor, it pushed every hit since into the subscriber's queue whether
 * or not anyone read it, and a member could open as many as it liked — hits × subscriptions in the
 * API's memory (a member can make hits for itself: a colluder publishes what it watches).
 */
const BUFFER = 5;
const CAP = 3;
const HITS = 3 * BUFFER + 2;

describe('adversary: a watchlistHits subscriber that does not read holds no more than a buffer', () => {
  let api: TestApp;
  let watcher: TenantEntity;
  let publisher: TenantEntity;
  let key: string;
  let viewer: Viewer;

  beforeAll(async () => {
    api = await startTestApp({
      env: {
        WS_SUBSCRIBER_BUFFER: String(BUFFER),
        WS_MAX_SUBSCRIPTIONS_PER_TENANT: String(CAP),
        MAX_CHECK_IDENTIFIERS: '150',
        LOOKUP_QUOTA_PER_MINUTE: '300',
      },
    });
    watcher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    publisher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    key = await newApiKey(api.app, watcher, ['intel:read']);
    viewer = await api.app.get<Authenticator>(AUTHENTICATOR).authenticate(key);
    // HITS entries on one value, then one publication of it: HITS hits in one pass.
    const res = await gql(
      api.baseUrl,
      `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`,
      { e: Array.from({ length: HITS }, (_, i) => ({ value: '198.51.100.77', reference: `applicant ${i}` })) },
      { authorization: key },
    );
    expect(res.errors).toBeUndefined();
    await publishIndexed(api, publisher, [newIndicator(`[ipv4-addr:value = '198.51.100.77']`)], { distribution: 'COMMUNITY' });
    await api.app.get(WatchMatcher).drain();
  }, 60_000);
  afterAll(() => api?.close());

  it('a replay from the start is queued a buffer at a time, and read whole, each hit exactly once', async () => {
    const hub = api.app.get(WatchHub);
    const it = (await hub.subscribe(viewer, '0')) as AsyncIterableIterator<WatchHit> & { backlog: number };
    await hub.settled();
    expect(it.backlog).toBeLessThanOrEqual(BUFFER);
    const got: string[] = [];
    while (got.length < HITS) {
      const next = await it.next();
      got.push(next.value.reference);
      expect(it.backlog).toBeLessThanOrEqual(BUFFER);
    }
    expect([...got].sort()).toEqual(Array.from({ length: HITS }, (_, i) => `applicant ${i}`).sort());
    expect(new Set(got).size).toBe(HITS);
    await hub.settled();
    expect(it.backlog).toBe(0);
    await it.return!();
  });

  it('a held replay whose resuming pass failed still gets every hit, with no new hit to wake it', async () => {
    const hub = api.app.get(WatchHub);
    const it = await hub.subscribe(viewer, '0');
    await hub.settled();
    // The pass its reader wakes by taking half its queue fails (the database went away for a moment).
    const fail = jest.spyOn(api.app.get(WatchlistService), 'hitsSince').mockRejectedValueOnce(new Error('connection lost'));
    try {
      const got: string[] = [];
      const reading = (async () => {
        while (got.length < HITS) {
          const next = await it.next();
          if (next.done) return;
          got.push(next.value.reference);
        }
      })();
      await waitFor(() => got.length === HITS, { what: () => `every hit (got ${got.length} of ${HITS})`, timeoutMs: 60_000 });
      await reading;
      expect(fail).toHaveBeenCalled();
      expect(new Set(got).size).toBe(HITS);
    } finally {
      fail.mockRestore();
      await it.return!();
    }
  }, 90_000);

  it('a tenant holds at most WS_MAX_SUBSCRIPTIONS_PER_TENANT live watchlistHits subscriptions', async () => {
    const hub = api.app.get(WatchHub);
    const open = [];
    for (let i = 0; i < CAP; i++) open.push(await hub.subscribe(viewer));
    await expect(hub.subscribe(viewer)).rejects.toMatchObject({ reason: 'TOO_MANY_SUBSCRIPTIONS' });
    for (const s of open) await s.return!();
    await waitFor(() => hub.subscriberCount === 0, { what: 'the subscriptions to end' });
  });

  it('guard: over graphql-ws, a resumed subscription still gets every hit', async () => {
    const page = await gql<{ watchlistHits: { hits: Array<{ cursor: string }> } }>(
      api.baseUrl,
      `{ watchlistHits(first: 50) { hits { cursor } } }`,
      {},
      { authorization: key },
    );
    const oldest = page.data!.watchlistHits.hits.at(-1)!.cursor;
    const ws = wsClient(api.baseUrl, key);
    const live = collect<{ watchlistHits: { reference: string } }>(
      ws,
      `subscription($a: String) { watchlistHits(after: $a) { reference } }`,
      {
        a: oldest,
      },
    );
    const events = await live.waitFor(HITS - 1);
    expect(new Set(events.map((e) => e.watchlistHits.reference)).size).toBe(HITS - 1);
    live.stop();
    await ws.dispose();
  });
});
