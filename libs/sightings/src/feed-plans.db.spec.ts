import { Client } from 'pg';
import type { AccessScope } from '@cairn/access';
import { StoredObjectsService } from '@cairn/intel';
import { FEED_PASS_PLAN_SQL, feedPassQuery, feedRowsQuery } from './sighting-facts';
import { bulkPageTable, indexPagePlans } from '../../../test/support/page-plans';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';

/**
 * The feed's reads keep their plans on the audience index (issue 18), as intel's pages do
 * (libs/intel/src/object-pages.db.spec.ts, the same check): a subscriber catching up from an old
 * cursor, a delivery pass at the head, and the feed connection's pages, oldest and newest first.
 * Before, the read went to stix_object in feed order and, guessing that the viewer sees few rows,
 * the planner read and sorted everything visible (a sequential scan and a sort on disk).
 */
describe('feed read plans stay on the audience index (libs/sightings)', () => {
  const ROWS = 60_000;
  const PASS = { planSql: FEED_PASS_PLAN_SQL, prepared: true };
  let ctx: ServiceContext;
  let owner: Client;
  let app: Client;
  let readerScope: AccessScope;
  const { expectIndexPage } = indexPagePlans(() => app, StoredObjectsService.PAGE_PLAN_SQL);

  beforeAll(async () => {
    ctx = await startServiceContext();
    ({ owner, app, readerScope } = await bulkPageTable(ctx, ROWS));
  }, 120_000);

  afterAll(async () => {
    await app?.end();
    await ctx?.close();
  });

  it('the live feed: a delivery pass read (prepared, generic plan) and the feed connection, oldest and newest first, filtered or not', async () => {
    const head = String((await owner.query('SELECT max(feed_seq)::text AS head FROM stix_object')).rows[0].head);
    for (const filter of [{}, { types: ['indicator'] }, { sectors: ['insurance'] }, { countries: ['FR'] }]) {
      // A subscriber resuming from an old cursor, from the middle, and one at the head.
      for (const afterSeq of ['0', String(ROWS / 2)]) {
        const pass = feedPassQuery(readerScope, filter, { afterSeq, limit: 500, newestFirst: false });
        expect(await expectIndexPage(readerScope, pass.sql, pass.params, 500, PASS)).toBe(500);
      }
      const atHead = feedPassQuery(readerScope, filter, { afterSeq: head, limit: 500, newestFirst: false });
      expect(await expectIndexPage(readerScope, atHead.sql, atHead.params, 500, PASS)).toBe(0);
      const oldest = feedRowsQuery(readerScope, filter, { afterSeq: '0', limit: 101, newestFirst: false });
      expect(await expectIndexPage(readerScope, oldest.sql, oldest.params, 101)).toBe(101);
      const newest = feedRowsQuery(readerScope, filter, { limit: 101, newestFirst: true });
      expect(await expectIndexPage(readerScope, newest.sql, newest.params, 101)).toBe(101);
      const older = feedRowsQuery(readerScope, filter, { beforeSeq: String(ROWS / 2), limit: 101, newestFirst: true });
      expect(await expectIndexPage(readerScope, older.sql, older.params, 101)).toBe(101);
    }
  });
});
