import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiKeyService, parseAuthorization } from '@cairn/auth';
import type { Viewer } from '@cairn/common';
import { IntelService, type SharingRequest } from '@cairn/intel';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { newIndicator } from '../../../test/factories/lookup.factory';
import { machineViewer, newGroup, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { FeedHub } from './feed-hub.service';
import { FeedService } from './feed.service';
import { feedRows, feedWhere, versionsFor, type FeedFilter, type FeedPageQuery, type FeedRow } from './sighting-facts';
import { StoredObjectsService } from '@cairn/intel';

/**
 * FeedService.sinceEach — the subscription read for many viewers in one transaction and one round
 * trip — on real rows: each request sees exactly what since() shows that viewer alone (row-level
 * security and the predicate as that viewer), whatever the order of the viewers; and FeedHub uses
 * it to read for every tenant woken by a commit in one pass.
 */
describe('the feed read for many viewers at once (libs/sightings)', () => {
  let ctx: ServiceContext;
  let feed: FeedService;
  let dataSource: DataSource;
  let a: TenantEntity;
  let b: TenantEntity;
  let c: TenantEntity;
  let groupId: string;
  let fromSeq: string;
  const label = new Map<string, string>();
  const INDICATORS = { types: ['indicator'] };

  async function publish(name: string, sharing: SharingRequest, by: TenantEntity = a): Promise<string> {
    // One address for all: what differs between the rows is who may see them.
    const doc = newIndicator("[ipv4-addr:value = '198.51.100.9']", { name });
    const id = doc.id as string;
    label.set(id, name);
    await ctx.app.get(IntelService).storeObjects(machineViewer(by), [doc], sharing);
    return id;
  }
  const names = (rows: FeedRow[]) => rows.map((r) => label.get(r.id) ?? r.id);

  beforeAll(async () => {
    ctx = await startServiceContext({ env: { WS_CREDENTIAL_RECHECK_MS: '0' } });
    feed = ctx.app.get(FeedService);
    dataSource = ctx.app.get<DataSource>(getDataSourceToken());
    a = await newTenant(ctx.app, { country: 'US', sectors: ['technology'] });
    b = await newTenant(ctx.app, { country: 'DE', sectors: ['financial-services'] });
    c = await newTenant(ctx.app, { country: 'FR', sectors: ['healthcare'] });
    groupId = await newGroup(ctx.app, a, [b]);
    fromSeq = await feed.headSeq();
    await publish('community', { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    await publish('organisation', { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await publish('group', { distribution: 'SHARING_GROUP', tlp: 'AMBER', groupId });
    await publish('recipients C', { distribution: 'RECIPIENTS', tlp: 'RED', recipientTenantIds: [c.id] });
    await publish('sector financial', { distribution: 'SECTOR', tlp: 'GREEN', sectors: ['financial-services'] });
    await publish('community DE only', { distribution: 'COMMUNITY', tlp: 'GREEN', countries: ['DE'] });
    await publish('b organisation', { distribution: 'ORGANISATION', tlp: 'AMBER' }, b);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('each request gets what its viewer may see, as since() would give that viewer alone, in any order of viewers', async () => {
    const scopes = await ctx.app.get(TenancyService).accessScopes([a.id, b.id, c.id]);
    const [sa, sb, sc] = [scopes.get(a.id)!, scopes.get(b.id)!, scopes.get(c.id)!];
    const ask = (scope: typeof sa) => ({ scope, filter: INDICATORS, afterSeq: fromSeq, limit: 50 });
    // c between two reads of b and after a: a viewer's settings must not carry over to the next request.
    const got = await dataSource.transaction((m) => feed.sinceEach(m, [ask(sb), ask(sc), ask(sb), ask(sa), ask(sc)]));
    const alone = await Promise.all([sa, sb, sc].map((s) => feed.since(s, INDICATORS, fromSeq, 50)));
    expect(got.map(names)).toEqual([alone[1], alone[2], alone[1], alone[0], alone[2]].map(names));
    expect(names(got[0])).toEqual(['community', 'group', 'sector financial', 'community DE only', 'b organisation']);
    expect(names(got[1])).toEqual(['community', 'recipients C']);
    expect(names(got[3])).toEqual(['community', 'organisation', 'group', 'recipients C', 'sector financial', 'community DE only']);
  });

  /**
   * The reference: every row the viewer may see that the filter lists, read in feed order straight
   * from intel's visible versions (the read before the audience-index walk), then windowed here.
   */
  async function everything(tenantId: string, filter: FeedFilter): Promise<FeedRow[]> {
    return ctx.app.get(TenancyService).asViewer(tenantId, async (m, scope) => {
      const q = StoredObjectsService.visibleVersionsStatement(scope, versionsFor(filter), (p, rel) => {
        const where = feedWhere(filter, p, rel.linkedSources);
        return `SELECT o.feed_seq::text AS "feedSeq", o.id FROM ${rel.versions} o LEFT JOIN sighting_fact f ON f.feed_seq = o.feed_seq
                 WHERE ${where.join(' AND ')} ORDER BY o.feed_seq`;
      });
      return m.query(q.sql, q.params);
    });
  }

  it('a page of the feed (audience-index walk) is exactly the window of what the viewer may see, for every filter, cursor, limit and direction', async () => {
    // Two more rows by b, one with a confidence, so that filters have something to drop.
    await publish('b community sector-less', { distribution: 'COMMUNITY', tlp: 'CLEAR' }, b);
    await ctx.app
      .get(IntelService)
      .storeObjects(machineViewer(c), [newIndicator("[ipv4-addr:value = '198.51.100.10']", { name: 'c confident', confidence: 90 })], {
        distribution: 'SECTOR',
        tlp: 'GREEN',
        sectors: ['financial-services', 'healthcare'],
      });
    const filters: FeedFilter[] = [
      {},
      INDICATORS,
      { types: ['sighting'] },
      { sectors: ['financial-services'] },
      { countries: ['DE'] },
      { minConfidence: 80 },
      { sectors: ['healthcare'], countries: ['FR'], minConfidence: 10 },
    ];
    let compared = 0;
    const expectWindow = async (t: TenantEntity, filter: FeedFilter, page: FeedPageQuery, want: FeedRow[]) => {
      const got = await ctx.app.get(TenancyService).asViewer(t.id, (m, scope) => feedRows(m, scope, filter, page));
      const ask = { tenant: t.slug, filter, ...page };
      expect({ ...ask, ids: got.map((r) => r.id) }).toEqual({ ...ask, ids: want.map((r) => r.id) });
      compared++;
    };
    for (const t of [a, b, c]) {
      for (const filter of filters) {
        const all = (await everything(t.id, filter)).filter((r) => BigInt(r.feedSeq) > BigInt(fromSeq));
        const seqs = [fromSeq, ...all.map((r) => r.feedSeq)];
        for (const limit of [1, 2, 3, 50]) {
          for (const after of seqs) {
            const page = { afterSeq: after, limit, newestFirst: false };
            await expectWindow(t, filter, page, all.filter((r) => BigInt(r.feedSeq) > BigInt(after)).slice(0, limit));
          }
          for (const before of [undefined, ...all.map((r) => r.feedSeq)]) {
            const page = { afterSeq: fromSeq, beforeSeq: before, limit, newestFirst: true };
            const older = all.filter((r) => before === undefined || BigInt(r.feedSeq) < BigInt(before));
            await expectWindow(t, filter, page, older.reverse().slice(0, limit));
          }
        }
      }
    }
    // Not vacuous: the filters and viewers leave different, non-empty sets.
    const sizes = await Promise.all(filters.map(async (f) => (await everything(a.id, f)).length));
    expect(new Set(sizes).size).toBeGreaterThan(2);
    expect(compared).toBeGreaterThan(300);
  });

  it('FeedHub reads for every tenant woken by a commit in one pass (one sinceEach call), not one pass per tenant', async () => {
    const hub = ctx.app.get(FeedHub);
    const keys = ctx.app.get(ApiKeyService);
    const viewerOf = async (t: TenantEntity) => {
      const { secret } = await keys.create({ tenantId: t.id, name: 'feed key', scopes: ['intel:read'] });
      return (await keys.verify(parseAuthorization(`Bearer ${secret}`) as never)) as Viewer;
    };
    const subs = await Promise.all([a, b, c].map(async (t) => hub.subscribe(await viewerOf(t), INDICATORS)));
    // Every subscriber has had a pass (the set-up's late wake-ups are over, every scope is known).
    const warm = await publish('warm-up', { distribution: 'COMMUNITY', tlp: 'CLEAR' });
    expect((await Promise.all(subs.map((s) => s.next()))).map((r) => r.value?.id)).toEqual([warm, warm, warm]);
    const calls: string[][] = [];
    const sinceEach = feed.sinceEach.bind(feed);
    const spy = jest.spyOn(feed, 'sinceEach').mockImplementation((m, requests) => {
      calls.push(requests.map((r) => r.scope.tenantId).sort());
      return sinceEach(m, requests);
    });
    try {
      const id = await publish('for everyone', { distribution: 'COMMUNITY', tlp: 'CLEAR' });
      const got = await Promise.all(subs.map((s) => s.next()));
      expect(got.map((r) => r.value?.id)).toEqual([id, id, id]);
      expect(calls[0]).toEqual([a.id, b.id, c.id].sort());
    } finally {
      spy.mockRestore();
      await Promise.all(subs.map((s) => s.return!()));
    }
  });
});
