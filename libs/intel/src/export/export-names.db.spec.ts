import { randomUUID } from 'node:crypto';
import { machineViewer, newTenant } from '../../../../test/factories/tenancy.factory';
import { bundleOf } from '../../../../test/factories/stix.factory';
import { startServiceContext, type ServiceContext } from '../../../../test/support/service-context';
import { TenancyService } from '@cairn/tenancy';
import { IntelService } from '../intel.service';
import { PublishService } from '../publish/publish.service';

type Json = Record<string, unknown>;

describe('an export page credits a named member it does not carry (libs/intel)', () => {
  let ctx: ServiceContext;

  beforeAll(async () => {
    ctx = await startServiceContext();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  // A member named after start-up has its identity stored right after its first publication
  // (publishNamedIdentity). Paging one object at a time, the page that ends at that publication
  // has the identity as its look-ahead row: neither on the page nor fetched as referenced, so the
  // directory must supply it.
  it("adds the member's identity, by name, to the page whose object it created", async () => {
    const named = await ctx.app
      .get(TenancyService)
      .getTenant((await newTenant(ctx.app, { name: 'Openly Named Insurer', attribution: 'NAMED' })).id);
    const anonymous = await newTenant(ctx.app);
    const reader = await newTenant(ctx.app);
    const T = '2026-03-01T10:00:00.000Z';
    const indicator = (id: string) => ({
      type: 'indicator',
      spec_version: '2.1',
      id,
      created: T,
      modified: T,
      pattern: "[ipv4-addr:value = '203.0.113.77']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const namedId = `indicator--${randomUUID()}`;
    await ctx.app.get(PublishService).publishBundle(machineViewer(anonymous), bundleOf(indicator(`indicator--${randomUUID()}`)), {
      distribution: 'COMMUNITY',
      tlp: 'CLEAR',
    });
    await ctx.app
      .get(PublishService)
      .publishBundle(machineViewer(named), bundleOf(indicator(namedId)), { distribution: 'COMMUNITY', tlp: 'CLEAR' });

    const intel = ctx.app.get(IntelService);
    const viewer = machineViewer(reader);
    let after: string | undefined;
    let page: Json[] | undefined;
    for (let i = 0; i < 100 && !page; i++) {
      const p = await intel.exportBundle(viewer, {}, { first: 1, after });
      if (p.bundle.objects.some((o) => o.id === namedId)) page = p.bundle.objects;
      after = p.nextCursor ?? undefined;
      if (!after) break;
    }
    expect(page).toBeDefined();
    expect(page!.find((o) => o.id === namedId)!.created_by_ref).toBe(named.stixIdentityId);
    expect(page!.find((o) => o.id === named.stixIdentityId)).toMatchObject({ type: 'identity', name: 'Openly Named Insurer' });
    // The anonymous member is credited to the exchange, never by its own identity.
    expect(page!.some((o) => o.type === 'identity' && o.name === anonymous.name)).toBe(false);
  });
});
