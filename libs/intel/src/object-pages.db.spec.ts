import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { audienceKeys, SqlParams, visibleTo, type AccessScope } from '@cairn/access';
import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { IntelService } from '@cairn/intel';
import { PAGE_PLAN_SQL } from './object-page.sql';
import { collectionPageSql, listNewestVisibleSql, listVisibleSql } from './object-store';
import { machineViewer, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { bulkPageTable, indexPagePlans } from '../../../test/support/page-plans';

/**
 * The hot paged reads keep their plans on the audience index (issue 18): on a table large enough
 * that reading everything visible and sorting it is what the planner used to choose, each page is
 * an index range read per audience key — no sequential scan, no bitmap scan, and at most
 * keys × (limit + 1) index entries read, whatever the table's size. Asserted on EXPLAIN (ANALYZE,
 * FORMAT JSON) as the run-time login under row-level security: row counts, not time. The audience
 * index is left unanalysed, as after a bulk write: its plan must not depend on statistics.
 */
describe('page plans stay on the audience index (libs/intel)', () => {
  const ROWS = 60_000;
  let ctx: ServiceContext;
  let owner: Client;
  let app: Client;
  let publishers: TenantEntity[];
  let reader: TenantEntity;
  let readerScope: AccessScope;

  const { expectIndexPage } = indexPagePlans(() => app, PAGE_PLAN_SQL);

  beforeAll(async () => {
    ctx = await startServiceContext();
    ({ owner, app, publishers, reader, readerScope } = await bulkPageTable(ctx, ROWS));
  }, 120_000);

  afterAll(async () => {
    await app?.end();
    await ctx?.close();
  });

  const page = (q: Parameters<typeof listVisibleSql>[1], scope = readerScope) => {
    const p = new SqlParams();
    return { sql: listVisibleSql(scope, q, p), values: p.values };
  };
  const collection = (
    filter: Parameters<typeof collectionPageSql>[1],
    q: Partial<Parameters<typeof collectionPageSql>[2]>,
    scope = readerScope,
  ) => {
    const p = new SqlParams();
    return { sql: collectionPageSql(scope, filter, { limit: 100, versions: { last: true }, withDoc: true, ...q }, p), values: p.values };
  };

  it("a row carries one of a viewer's audience keys exactly when visibleTo lets the viewer see it", async () => {
    for (const t of [reader, ...publishers]) {
      const scope = await ctx.app.get(TenancyService).accessScope(t.id);
      const p = new SqlParams();
      const visible = visibleTo('o', scope, p);
      const keyed = `EXISTS (SELECT 1 FROM stix_object_audience a WHERE a.feed_seq = o.feed_seq AND a.key = ANY (${p.add(audienceKeys(scope).map((k) => k.key))}::text[]))`;
      const { rows } = await owner.query(
        `SELECT count(*) FILTER (WHERE ${visible})::int AS visible, count(*) FILTER (WHERE (${visible}) <> ${keyed})::int AS differ FROM stix_object o`,
        p.values,
      );
      expect(rows[0].differ).toBe(0);
      expect(rows[0].visible).toBeGreaterThan(ROWS / 2);
    }
  });

  it('GraphQL objects(first: 100), with and without a types filter, and its next page', async () => {
    const first = page({ limit: 101 });
    expect(await expectIndexPage(readerScope, first.sql, first.values, 101)).toBe(101);
    const typed = page({ limit: 101, types: ['indicator'] });
    expect(await expectIndexPage(readerScope, typed.sql, typed.values, 101)).toBe(101);
    const next = page({ limit: 101, afterSeq: String(ROWS / 2) });
    expect(await expectIndexPage(readerScope, next.sql, next.values, 101)).toBe(101);
  });

  it('a TAXII page of 100 and of 1,000 (default match[version]=last), of everything and of a sector collection, and after added_after', async () => {
    for (const limit of [100, 1000]) {
      const all = collection({}, { limit });
      expect(await expectIndexPage(readerScope, all.sql, all.values, limit + 1)).toBe(limit + 1);
    }
    const sector = collection({ distributions: ['SECTOR'], sectors: ['insurance'] }, {});
    expect(await expectIndexPage(readerScope, sector.sql, sector.values, 101)).toBe(101);
    const community = collection({ distributions: ['COMMUNITY'] }, { afterSeq: String(ROWS / 2) });
    expect(await expectIndexPage(readerScope, community.sql, community.values, 101)).toBe(101);
    const { rows } = await owner.query('SELECT date_added FROM stix_object WHERE feed_seq = $1', [ROWS / 2]);
    const added = collection({}, { addedAfter: (rows[0].date_added as Date).toISOString() });
    expect(await expectIndexPage(readerScope, added.sql, added.values, 101)).toBe(101);
  });

  it('an export page of 100 (newest visible version of each object, as of a snapshot)', async () => {
    const p = new SqlParams();
    const sql = listNewestVisibleSql(readerScope, { limit: 101, horizonSeq: String(ROWS) }, p);
    expect(await expectIndexPage(readerScope, sql, p.values, 101)).toBe(101);
  });

  it('a new member publishing 10,000 objects into the analysed table (under autoanalyze threshold) still gets index pages', async () => {
    const member = await newTenant(ctx.app, { country: 'DE', sectors: ['healthcare'] });
    const docs = Array.from({ length: 10_000 }, (_, i) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${randomUUID()}`,
      created: '2025-03-01T00:00:00.000Z',
      modified: '2025-03-01T00:00:00.000Z',
      name: `New member ${i}`,
      pattern: `[ipv4-addr:value = '192.0.${(i >> 8) & 255}.${i & 255}']`,
      pattern_type: 'stix',
      valid_from: '2025-03-01T00:00:00Z',
    }));
    await ctx.app.get(IntelService).storeObjects(machineViewer(member), docs, { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const scope = await ctx.app.get(TenancyService).accessScope(member.id);
    const own = collection({ publishedByViewer: true }, { limit: 1000 }, scope);
    expect(await expectIndexPage(scope, own.sql, own.values, 1001)).toBe(1001);
    const all = collection({}, { limit: 1000, afterSeq: String(ROWS) }, scope);
    expect(await expectIndexPage(scope, all.sql, all.values, 1001)).toBe(1001);
    const mine = page({ limit: 1001, publishedByViewer: true }, scope);
    expect(await expectIndexPage(scope, mine.sql, mine.values, 1001)).toBe(1001);
  }, 180_000);
});
