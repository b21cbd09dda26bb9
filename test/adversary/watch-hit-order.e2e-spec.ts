import type { TenantEntity } from '@cairn/tenancy';
import { WatchMatcher } from '@cairn/watchlist';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { collect, wsClient } from '../support/ws';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { newIndicator, publishIndexed } from '../factories/lookup.factory';

/*
 * Hits were read `SELECT id::text … ORDER BY id`: ORDER BY named the text output column, so hits
 * were ordered as text ("9" after "17"), while `after` compared the numbers. Once hit ids crossed a
 * power of ten, paging watchlistHits skipped hits (after "9", newest first, only ids below 9
 * remained) and a subscription catching up in pages jumped past them: a watcher never learnt of
 * matches it was promised. 17 hits, ids 1–17 in this test's own database, cross 9 → 10.
 */
const HITS = 17;
const PAGE = `query($a: String) { watchlistHits(first: 5, after: $a) { hits { cursor reference } hasNextPage endCursor } }`;

describe('adversary: watchlist hits are read in hit order, past ids of more digits', () => {
  let api: TestApp;
  let watcher: TenantEntity;
  let key: string;

  beforeAll(async () => {
    api = await startTestApp({ env: { MAX_CHECK_IDENTIFIERS: '150', LOOKUP_QUOTA_PER_MINUTE: '300' } });
    watcher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    const publisher = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
    key = await newApiKey(api.app, watcher, ['intel:read']);
    // One value, HITS entries, one publication: one hit per entry, recorded in entry order.
    const res = await gql(
      api.baseUrl,
      `mutation($e: [WatchInput!]!) { watchIdentifiers(entries: $e) { entryId error } }`,
      { e: Array.from({ length: HITS }, (_, i) => ({ value: '198.51.100.78', reference: `applicant ${i}` })) },
      { authorization: key },
    );
    expect(res.errors).toBeUndefined();
    await publishIndexed(api, publisher, [newIndicator(`[ipv4-addr:value = '198.51.100.78']`)], { distribution: 'COMMUNITY' });
    await api.app.get(WatchMatcher).drain();
  }, 60_000);
  afterAll(() => api?.close());

  it('paging watchlistHits five at a time lists every hit once, newest first', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await gql<{
        watchlistHits: { hits: Array<{ cursor: string; reference: string }>; hasNextPage: boolean; endCursor: string };
      }>(api.baseUrl, PAGE, { a: after }, { authorization: key });
      expect(res.errors).toBeUndefined();
      const page = res.data!.watchlistHits;
      seen.push(...page.hits.map((h) => h.cursor));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toHaveLength(HITS);
    expect(new Set(seen).size).toBe(HITS);
  });

  it('a subscription resumed from the oldest hit gets every later one', async () => {
    const all: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = (
        await gql<{ watchlistHits: { hits: Array<{ cursor: string }>; hasNextPage: boolean; endCursor: string } }>(
          api.baseUrl,
          PAGE,
          { a: after },
          { authorization: key },
        )
      ).data!.watchlistHits;
      all.push(...page.hits.map((h) => h.cursor));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    const ws = wsClient(api.baseUrl, key);
    const live = collect<{ watchlistHits: { cursor: string } }>(ws, `subscription($a: String) { watchlistHits(after: $a) { cursor } }`, {
      a: all.at(-1),
    });
    const events = await live.waitFor(HITS - 1);
    expect(new Set(events.map((e) => e.watchlistHits.cursor))).toEqual(new Set(all.slice(0, -1)));
    live.stop();
    await ws.dispose();
  });
});
