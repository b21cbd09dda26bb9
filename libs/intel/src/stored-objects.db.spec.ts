import { TenancyService, type TenantEntity } from '@cairn/tenancy';
import { newIndicator } from '../../../test/factories/lookup.factory';
import { machineViewer, newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { IntelService } from './intel.service';
import { StoredObjectsService } from './stored-objects.service';

describe('StoredObjectsService.publisherVersions (libs/intel)', () => {
  let ctx: ServiceContext;
  let a: TenantEntity;

  beforeAll(async () => {
    ctx = await startServiceContext();
    a = await newTenant(ctx.app, { country: 'US', sectors: ['technology'] });
    const b = await newTenant(ctx.app, { country: 'DE', sectors: ['technology'] });
    // Interleaved publishers, so that each one's feed positions are not consecutive, and enough rows that
    // the positions pass from two digits to three (where text order and number order part).
    const intel = ctx.app.get(IntelService);
    for (let i = 0; i < 12; i++)
      for (const t of [a, b])
        await intel.storeObjects(
          machineViewer(t),
          Array.from({ length: 5 }, () => newIndicator("[ipv4-addr:value = '198.51.100.7']")),
          { distribution: 'COMMUNITY' },
        );
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('pages through every version of the publisher once, in feed order, whatever the page size', async () => {
    const owner = await ctx.owner();
    const all = (
      await owner.query(`SELECT feed_seq::text AS seq FROM stix_object WHERE publisher_tenant_id = $1 ORDER BY feed_seq`, [a.id])
    ).rows.map((r: { seq: string }) => r.seq);
    expect(all.some((seq: string) => seq.length === 2) && all.some((seq: string) => seq.length === 3)).toBe(true);
    const objects = ctx.app.get(StoredObjectsService);
    for (const limit of [1, 7, 25, 1000]) {
      const seen = await ctx.app.get(TenancyService).asViewer(a.id, async (m) => {
        const seqs: string[] = [];
        for (let after = '0'; ;) {
          const page = await objects.publisherVersions(m, a.id, after, limit);
          if (page.length === 0) return seqs;
          seqs.push(...page.map((v) => v.feedSeq));
          after = page[page.length - 1].feedSeq;
        }
      });
      expect({ limit, seen }).toEqual({ limit, seen: all });
    }
  });
});
