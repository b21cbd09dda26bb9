import { PublishService } from '@cairn/intel';
import { machineViewer, newTenant } from '../../../test/factories/tenancy.factory';
import { bundleOf } from '../../../test/factories/stix.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { TenancyService } from './tenancy.service';

// 36 characters of hex digits and hyphens that are not a UUID: findTenants once let them through to
// PostgreSQL, whose uuid cast raised (a database error where "unknown ids are simply absent").
const NOT_A_UUID = ['0123456789abcdef0123456789abcdef-012', '------------------------------------'];

let ctx: ServiceContext;

beforeAll(async () => {
  ctx = await startServiceContext();
});

afterAll(async () => {
  await ctx?.close();
});

describe('TenancyService.findTenants with ids that are not UUIDs (libs/tenancy)', () => {
  it('leaves them out and finds the others', async () => {
    const a = await newTenant(ctx.app);
    const found = await ctx.app.get(TenancyService).findTenants([...NOT_A_UUID, a.id]);
    expect(found.map((t) => t.id)).toEqual([a.id]);
  });

  it('so a publisher naming one as a recipient is told the recipient is unknown, nothing stored', async () => {
    const a = await newTenant(ctx.app);
    const T = '2025-06-02T09:00:00.000Z';
    const indicator = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--5f3e8c52-77a3-4d3e-9f0c-2a1b7c9d0e11',
      created: T,
      modified: T,
      pattern: "[ipv4-addr:value = '198.51.100.9']",
      pattern_type: 'stix',
      valid_from: T,
    };
    const publish = ctx.app
      .get(PublishService)
      .publishBundle(machineViewer(a), bundleOf(indicator), { distribution: 'RECIPIENTS', recipientTenantIds: [NOT_A_UUID[0]] });
    await expect(publish).rejects.toMatchObject({
      reason: 'UNKNOWN_RECIPIENT',
      details: expect.objectContaining({ field: 'sharing.recipientTenantIds' }),
    });
    const owner = await ctx.owner();
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM stix_object WHERE publisher_tenant_id = $1`, [a.id]);
    expect(rows[0].n).toBe(0);
  });
});

describe('TenancyService.namedMembers (libs/tenancy)', () => {
  it('finds the members that chose to be named among the identities asked for, and no other', async () => {
    const tenancy = ctx.app.get(TenancyService);
    const named = await tenancy.getTenant((await newTenant(ctx.app, { attribution: 'NAMED' })).id);
    await newTenant(ctx.app, { attribution: 'NAMED' }); // named, but not asked for
    const anonymous = await tenancy.getTenant((await newTenant(ctx.app)).id);
    const found = await tenancy.namedMembers([named.stixIdentityId, anonymous.stixIdentityId, 'identity--not-a-member']);
    expect(found.map((t) => t.id)).toEqual([named.id]);
    expect(await tenancy.namedMembers([])).toEqual([]);
  });
});
