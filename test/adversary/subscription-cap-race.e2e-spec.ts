import { AUTHENTICATOR, type Authenticator, type Viewer } from '@cairn/common';
import { FeedHub } from '@cairn/sightings';
import { WatchHub } from '@cairn/watchlist';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

/*
 * WS_MAX_SUBSCRIPTIONS_PER_TENANT bounds what one member can make the API hold in memory (a buffer
 * per subscription). The hubs counted a tenant's subscriptions, then awaited the head position of a
 * subscription without a cursor, then added it: subscriptions asked for together (graphql-ws runs a
 * socket's operations concurrently) all passed the count before any was added.
 */
const CAP = 3;
const ASKED = 3 * CAP;

describe('adversary: subscriptions asked for at once stay within WS_MAX_SUBSCRIPTIONS_PER_TENANT', () => {
  let api: TestApp;
  let viewer: Viewer;

  beforeAll(async () => {
    api = await startTestApp({ env: { WS_MAX_SUBSCRIPTIONS_PER_TENANT: String(CAP) } });
    const tenant = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    const key = await newApiKey(api.app, tenant, ['intel:read']);
    viewer = await api.app.get<Authenticator>(AUTHENTICATOR).authenticate(key);
  }, 60_000);
  afterAll(() => api?.close());

  async function askAtOnce(subscribe: () => Promise<AsyncIterableIterator<unknown>>) {
    const results = await Promise.allSettled(Array.from({ length: ASKED }, subscribe));
    const open = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { reason?: string }).reason] : []));
    return { open, refused };
  }

  it('watchlistHits: at most CAP live subscriptions, the rest refused TOO_MANY_SUBSCRIPTIONS', async () => {
    const hub = api.app.get(WatchHub);
    const { open, refused } = await askAtOnce(() => hub.subscribe(viewer));
    expect({ open: open.length, subscribers: hub.subscriberCount }).toEqual({ open: CAP, subscribers: CAP });
    expect(refused).toEqual(Array(ASKED - CAP).fill('TOO_MANY_SUBSCRIPTIONS'));
    for (const s of open) await s.return!();
    await waitFor(() => hub.subscriberCount === 0, { what: 'the watch subscriptions to end' });
  });

  it('feed: at most CAP live subscriptions, the rest refused TOO_MANY_SUBSCRIPTIONS', async () => {
    const hub = api.app.get(FeedHub);
    const { open, refused } = await askAtOnce(() => hub.subscribe(viewer, { types: ['indicator'] }));
    expect({ open: open.length, subscribers: hub.subscriberCount }).toEqual({ open: CAP, subscribers: CAP });
    expect(refused).toEqual(Array(ASKED - CAP).fill('TOO_MANY_SUBSCRIPTIONS'));
    for (const s of open) await s.return!();
    await waitFor(() => hub.subscriberCount === 0, { what: 'the feed subscriptions to end' });
  });
});
