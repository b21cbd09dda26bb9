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
    // Interleaved publishers, so that each one's pks are not consecutive, and enough rows that pks
    // pass from two digits to three (where text order and number order part).
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

  it('pages through every version of the publisher once, in pk order, whatever the page size', async () => {
    const owner = await ctx.owner();
    const all = (
      await owner.query(`SELECT pk::text AS pk FROM stix_object WHERE publisher_tenant_id = $1 ORDER BY pk::bigint`, [a.id])
    ).rows.map((r: { pk: string }) => r.pk);
    expect(all.some((pk: string) => pk.length === 2) && all.some((pk: string) => pk.length === 3)).toBe(true);
    const objects = ctx.app.get(StoredObjectsService);
    for (const limit of [1, 7, 25, 1000]) {
      const seen = await ctx.app.get(TenancyService).asViewer(a.id, async (m) => {
        const pks: string[] = [];
        for (let after = '0'; ;) {
          const page = await objects.publisherVersions(m, a.id, after, limit);
          if (page.length === 0) return pks;
          pks.push(...page.map((v) => v.pk));
          after = page[page.length - 1].pk;
        }
      });
      expect({ limit, seen }).toEqual({ limit, seen: all });
    }
  });
});
